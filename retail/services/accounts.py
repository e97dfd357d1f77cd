"""Dealer staff accounts, and the registration of a company on a customer's behalf."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from companies.audit import Actor
from companies.models import Company, Dealer
from companies.services import company_register_for_customer
from mpro.errors import ConflictError, DomainError

from ..models import (
    DealerStaff,
    RetailRegistration,
    normalize_d5_id,
)
from ._common import REGISTRATION_WINDOW

# --- staff accounts (operators: admin site, create_dealer_staff, demo data) ----------------------
D5_ID_RE = re.compile(r"^[A-Z0-9]{3,20}$")


def dealer_staff_create(
    *, d5_id: str, password: str, dealer_code: str, email: str, first_name: str, last_name: str
) -> DealerStaff:
    """A dealer staff account at an existing outlet: a user (e-mail confirmed, so that the account
    is complete) and its dealer ID. Staff accounts never belong to a company."""
    d5_id = normalize_d5_id(d5_id)
    email = (email or "").strip().lower()
    if not D5_ID_RE.match(d5_id):
        raise DomainError(_("A dealer ID has 3 to 20 letters and digits."), field="d5_id")
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from error
    dealer = Dealer.objects.filter(code=(dealer_code or "").strip().upper()).first()
    if dealer is None:
        raise DomainError(_("No outlet has the code %(code)s.") % {"code": dealer_code}, field="dealer")
    User = get_user_model()
    if DealerStaff.objects.filter(d5_id=d5_id).exists():
        raise ConflictError(_("The dealer ID %(d5_id)s is taken.") % {"d5_id": d5_id}, code="d5_id_taken")
    if User.objects.filter(email__iexact=email).exists():
        raise ConflictError(_("An account with this e-mail address exists already."), code="email_taken")
    try:
        validate_password(password, User(email=email, first_name=first_name, last_name=last_name))
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name.strip(), last_name=last_name.strip()
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        staff = DealerStaff.objects.create(user=user, dealer=dealer, d5_id=d5_id)
    return staff


# --- registration on the customer's behalf ---------------------------------------------------
def registration_create(*, staff: DealerStaff, admin: dict[str, Any], company: dict[str, Any]) -> Company:
    """Registers a company for a customer at the outlet (main user, then company). The new PRO ID
    is for the seller to note; the administrator gets the e-mails to finish (password, terms,
    support password). The outlet is remembered for its verification queue."""
    actor = Actor.dealer_staff(user=staff.user, dealer=staff.dealer, acting_under=REGISTRATION_WINDOW)
    with transaction.atomic():
        new_company = company_register_for_customer(admin=admin, company=company, actor=actor)
        RetailRegistration.objects.create(company=new_company, staff=staff, dealer=staff.dealer)
    return new_company
