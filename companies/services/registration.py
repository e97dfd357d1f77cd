"""Companies: registration (by the customer or by dealer staff for one), and edits of the company's
data (a change of name or address starts a new contract generation)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mpro.errors import ConflictError, DomainError, FieldErrors

from .. import validators
from ..audit import Actor, record
from ..models import (
    Company,
    InvitationStatus,
    Membership,
    Role,
    TermsDocument,
)
from ..signals import contract_generation_started
from ._common import (
    BASE_DATA_FIELDS,
    User,
    _clean_company_data,
    _issue_pro_id,
    _start_generation,
    _validate_instance,
    terms_accept,
)
from .members import _send_invitation, membership_release_lapsed
from .people import _apply_person


# --- companies -------------------------------------------------------------------------------
def company_register(
    *,
    user,
    name: str,
    manager_name: str,
    street: str,
    postal_code: str,
    city: str,
    country: str,
    email: str,
    phone: str,
    vat_number: str = "",
    accept_terms: bool,
    actor: Actor,
) -> Company:
    """A customer registers their company and becomes its first (primary) administrator."""
    membership_release_lapsed(user=user)
    if Membership.objects.filter(user=user).exists():
        raise ConflictError(
            _("You already belong to a company. A person can belong to one company only."),
            code="company_exists",
        )
    data = dict(
        name=name,
        manager_name=manager_name,
        street=street,
        postal_code=postal_code,
        city=city,
        country=country,
        email=email,
        phone=phone,
        vat_number=vat_number,
    )
    if not accept_terms:
        # Every field error in one round: the terms error comes with the address's, not after it.
        terms_error = _("Accept the terms of use and the service pack terms to register.")
        try:
            company_data_check(data=data)
        except FieldErrors as error:
            raise FieldErrors({**error.errors, "accept_terms": [terms_error]}) from None
        raise DomainError(terms_error, field="accept_terms")
    try:
        with transaction.atomic():
            return _register(user=user, actor=actor, data=data)
    except IntegrityError:
        # A second request of the same person won the race for the one-company constraint.
        raise ConflictError(
            _("You already belong to a company. A person can belong to one company only."),
            code="company_exists",
        ) from None


def _register(*, user, actor: Actor, data: dict[str, Any]) -> Company:
    company = _create_company(data)
    Membership.objects.create(user=user, company=company, role=Role.ADMIN, is_primary_admin=True)
    record(
        actor=actor,
        company=company,
        action="company.registered",
        target=company.pro_id,
        details={"name": company.name},
    )
    terms_accept(
        user=user,
        documents=[TermsDocument.TERMS_OF_USE, TermsDocument.PACK_TERMS],
        actor=actor,
        company=company,
    )
    return company


def _create_company(data: dict[str, Any]) -> Company:
    country = validators.normalize_country(data.get("country", "")) if data.get("country") else ""
    if not country:
        raise FieldErrors({"country": [_("This field is required.")]})
    cleaned = _clean_company_data(data, country=country)
    company = Company(**cleaned)
    _validate_instance(company, exclude=["pro_id", "default_workshop"])
    company.pro_id = _issue_pro_id()
    company.save()
    _start_generation(company)
    return company


def company_data_check(*, data: dict[str, Any]) -> None:
    """Raises FieldErrors for every company field that would be refused (postal code for the
    country, phone, VAT number...), without writing anything: forms show them in one round."""
    _clean_company_data(data, country=(data.get("country") or "").strip().upper())


def company_update(*, company: Company, actor: Actor, **fields: Any) -> Company:
    """Changes company data: the one service behind the portal's company page, PATCH /company and
    the Retail site's edit for the customer. The country is fixed once registered; a change of
    name or address starts a new contract generation, and the company's live subscriptions move
    onto it in the same transaction (packs listens to `contract_generation_started`)."""
    if "country" in fields and (fields["country"] or "").strip().upper() != company.country:
        raise DomainError(_("The country cannot be changed once the company is registered."), field="country")
    fields.pop("country", None)
    cleaned = _clean_company_data(fields, country=company.country)
    changed = {f: v for f, v in cleaned.items() if getattr(company, f) != v}
    if not changed:
        return company
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        before = {f: getattr(company, f) for f in changed}
        for field, value in changed.items():
            setattr(company, field, value)
        _validate_instance(company, exclude=["pro_id", "default_workshop"])
        new_generation = any(f in BASE_DATA_FIELDS for f in changed)
        if new_generation:
            company.contract_generation += 1
        company.save()
        record(
            actor=actor,
            company=company,
            action="company.updated",
            target=company.pro_id,
            details={"changed": {f: [before[f], changed[f]] for f in changed}},
        )
        if new_generation:
            _start_generation(company)
            record(
                actor=actor,
                company=company,
                action="company.new_contract_generation",
                target=company.pro_id,
                details={"generation": company.contract_generation},
            )
            contract_generation_started.send(
                sender=Company, company=company, generation=company.contract_generation, actor=actor
            )
    return company


def company_register_for_customer(*, admin: dict[str, Any], company: dict[str, Any], actor: Actor) -> Company:
    """A dealer registers a company with its customer. The administrator receives an e-mail to
    finish: choose a password, accept the terms, set the support password."""
    email = (admin.get("email") or "").strip().lower()
    if not email:
        raise FieldErrors({"admin.email": [_("This field is required.")]})
    if User.objects.filter(email__iexact=email).exists():
        raise FieldErrors({"admin.email": [_email_taken()]})
    try:
        return _register_for_customer(email=email, admin=admin, company=company, actor=actor)
    except IntegrityError:
        # The address was registered in the meantime (the unique e-mail constraint decided).
        raise FieldErrors({"admin.email": [_email_taken()]}) from None


def _email_taken() -> str:
    return _(
        "This e-mail address cannot be used for a new registration. "
        "If the customer already has an account, they can register the company themselves."
    )


@transaction.atomic
def _register_for_customer(
    *, email: str, admin: dict[str, Any], company: dict[str, Any], actor: Actor
) -> Company:
    user = User(email=email)
    _apply_person(
        user,
        admin,
        region=validators.region_for(country=(company.get("country") or "").upper() or None),
        prefix="admin.",
    )
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    try:
        new_company = _create_company(company)
    except FieldErrors as error:
        raise FieldErrors({f"company.{k}": v for k, v in error.errors.items()}) from None
    membership = Membership.objects.create(
        user=user,
        company=new_company,
        role=Role.ADMIN,
        is_primary_admin=True,
        invitation_status=InvitationStatus.PENDING,
    )
    record(
        actor=actor,
        company=new_company,
        action="company.registered",
        target=new_company.pro_id,
        details={"name": new_company.name, "by_dealer": True},
    )
    _send_invitation(membership=membership, actor=actor)
    return new_company
