"""Seeding a company straight into the database, for demo data (`seed_demo`) and the benchmarks:
no registration flow and no audit trail, idempotent by PRO ID. Never called by a request."""

from __future__ import annotations

from .models import Company, Country, IssuedProId


def company_seed(
    *,
    pro_id: str,
    name: str,
    manager_name: str,
    street: str,
    email: str,
    phone: str,
    postal_code: str = "8000",
    city: str = "Aarhus",
    country: str = Country.DK,
    verified: bool = False,
    **extra,
) -> Company:
    """The company `pro_id`, created with these details the first time (and verified by a dealer
    when `verified`); later calls return it unchanged. Its PRO ID is recorded as issued."""
    company, created = Company.objects.get_or_create(
        pro_id=pro_id,
        defaults=dict(
            name=name,
            manager_name=manager_name,
            street=street,
            postal_code=postal_code,
            city=city,
            country=country,
            email=email,
            phone=phone,
            **extra,
        ),
    )
    if created and verified:
        company.mark_verified(by=None)
    IssuedProId.objects.get_or_create(pro_id=pro_id)
    return company
