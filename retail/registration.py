"""Where a refusal of `services.registration_create` belongs: to the main user (step 1 of the
page, `admin` in the API) or to the company (step 2, `company`). One mapping for both faces."""

from __future__ import annotations

from collections.abc import Iterator

from companies.services import COMPANY_FIELDS as COMPANY_DATA_FIELDS
from mpro.errors import DomainError, FieldErrors

ADMIN = "admin"
COMPANY = "company"
# What the dealer enters for the main user (a subset of a person's fields) and for the company.
ADMIN_FIELDS = frozenset({"email", "first_name", "last_name", "birth_date", "phone"})
COMPANY_FIELDS = frozenset(COMPANY_DATA_FIELDS)


def registration_errors(error: DomainError) -> Iterator[tuple[str | None, str, str]]:
    """(part, field, message) for each message of the refusal. `admin.email` and `company.name`
    name their part; a bare field is the company's when the company has one of that name (e-mail,
    phone), else the main user's. Part None: not about a field the forms know."""
    errors = error.errors if isinstance(error, FieldErrors) else {error.field: [error.message]}
    for field, messages in errors.items():
        part, _dot, name = (field or "").partition(".")
        if not (part in (ADMIN, COMPANY) and name):
            if field in COMPANY_FIELDS:
                part, name = COMPANY, field
            elif field in ADMIN_FIELDS:
                part, name = ADMIN, field
            else:
                part, name = None, ""
        for message in messages:
            yield part, name, str(message)
