"""What the company services share: field errors, PRO IDs, company data cleaning, terms, and
contract generations."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mpro.errors import FieldErrors
from mpro.names import clean_name

from .. import timezones, validators
from ..audit import Actor, record
from ..models import (
    Company,
    ContractGeneration,
    IssuedProId,
    TermsAcceptance,
)
from ..selectors import terms_version

User = get_user_model()

PRO_ID_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# A change to any of these starts a new contract generation (the FAQ: base data).
BASE_DATA_FIELDS = ("name", "street", "postal_code", "city")
COMPANY_FIELDS = (
    "name",
    "manager_name",
    "street",
    "postal_code",
    "city",
    "country",
    "email",
    "phone",
    "vat_number",
)


# --- helpers ---------------------------------------------------------------------------------
def _field_errors(error: ValidationError) -> FieldErrors:
    if hasattr(error, "error_dict"):
        return FieldErrors(
            {field: [m for e in errs for m in e.messages] for field, errs in error.error_dict.items()}
        )
    return FieldErrors({"non_field_errors": error.messages})


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_pro_id() -> str:
    return "PRO-" + "".join(secrets.choice(PRO_ID_LETTERS) for _ in range(6))


def _issue_pro_id() -> str:
    """A random PRO ID never issued before. IssuedProId's unique constraint is the arbiter; a
    collision (1 in 300 million per company) just draws again."""
    for _attempt in range(10):
        pro_id = new_pro_id()
        try:
            with transaction.atomic():
                IssuedProId.objects.create(pro_id=pro_id)
            return pro_id
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free PRO ID")


def _clean_company_data(data: dict[str, Any], *, country: str) -> dict[str, Any]:
    """Normalises and checks company fields; raises FieldErrors naming every bad field."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list] = {}
    for field, value in data.items():
        if field not in COMPANY_FIELDS and field != "time_zone":
            continue
        try:
            if field == "time_zone":
                cleaned[field] = (value or "").strip()
                if cleaned[field] and not timezones.is_valid(cleaned[field]):
                    raise ValidationError(_("Choose a time zone from the list."))
            elif field == "country":
                cleaned[field] = validators.normalize_country(value)
            elif field == "postal_code":
                cleaned[field] = validators.normalize_postal_code(value, country)
            elif field == "phone":
                cleaned[field] = validators.normalize_phone(value, validators.region_for(country=country))
                if not cleaned[field]:
                    raise ValidationError(_("This field is required."))
            elif field == "vat_number":
                cleaned[field] = validators.normalize_vat_number(value)
            elif field == "email":
                cleaned[field] = (value or "").strip().lower()
            else:  # name, manager_name, street, city: text people read
                cleaned[field] = clean_name(value)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise FieldErrors(errors)
    return cleaned


def _validate_instance(instance, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise _field_errors(error) from None


def terms_accept(*, user, documents: list[str], actor: Actor, company: Company | None = None) -> None:
    accepted = []
    for document in documents:
        version = terms_version(document)
        _acceptance, created = TermsAcceptance.objects.get_or_create(
            user=user, document=document, version=version
        )
        if created:
            accepted.append({"document": document, "version": version})
    if accepted:
        # One event for one tick of the box, however many documents it covered.
        record(
            actor=actor,
            company=company,
            action="terms.accepted",
            target=user.email,
            details={"documents": accepted},
        )


def _start_generation(company: Company) -> ContractGeneration:
    return ContractGeneration.objects.create(
        company=company,
        number=company.contract_generation,
        base_data={field: getattr(company, field) for field in (*BASE_DATA_FIELDS, "country", "vat_number")},
    )
