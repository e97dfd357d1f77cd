"""Demo data for `manage.py seed_demo`: the service catalogue, and a first order for the demo fleet.
Idempotent."""

from django.db import transaction

from companies.audit import Actor

from .catalogue import seed_catalogue
from .models import Order, Pack


def seed(company) -> list[str]:
    """Seeds the catalogue now; the demo order waits until the whole seed has committed, because
    seed_demo creates the demo vans (vehicles.demo) after this app's seed runs."""
    seed_catalogue()
    transaction.on_commit(lambda: seed_demo_order(company.pk))
    return [
        f"  Packs    {Pack.objects.filter(is_active=True).count()} packs in the catalogue (manage.py seed_catalogue)"
    ]


def seed_demo_order(company_id: int) -> Order | None:
    """Buys the complete bundle for up to five demo vans that fit it (once)."""
    from companies.models import Company
    from companies.selectors import primary_admin
    from vehicles.models import Vehicle

    from .eligibility import pack_compatibility
    from .services import order_place

    company = Company.objects.get(pk=company_id)
    if Order.objects.for_company(company).exists():
        return None
    admin = primary_admin(company)
    bundle = Pack.objects.prefetch_related("services").filter(code="connect-complete").first()
    if admin is None or bundle is None:
        return None
    vehicles = Vehicle.objects.for_company(company).order_by("id")[:20]
    vins = [v.vin for v in vehicles if not pack_compatibility(pack=bundle, vehicle=v)][:5]
    if not vins:
        return None
    return order_place(
        company=company,
        pack_code=bundle.code,
        vins=vins,
        actor=Actor.customer(admin),
        accept_pack_terms=True,
    )
