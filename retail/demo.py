"""Demo data for `manage.py seed_demo` (idempotent): a dealer staff login at the Aarhus outlet
(DK8200, the demo company's workshop) and a second company, registered there, still waiting for
the dealer's checks, so that the whole validation procedure can be tried."""

from django.conf import settings
from django.db import transaction

from companies.demo import DEMO_PASSWORD, ensure_user
from companies.models import Company, Dealer, Membership, Role
from companies.seeding import company_seed

from .models import DealerStaff, RetailRegistration
from .services import dealer_staff_create

DEMO_D5_ID = "D5DEMO01"
DEMO_DEALER_CODE = "DK8200"
DEMO_STAFF_EMAIL = "staff@dk8200.mpro.example"
WAITING_PRO_ID = "PRO-DEMOWT"
WAITING_ADMIN_EMAIL = "waiting@demo.mpro.example"
WAITING_SUPPORT_PASSWORD = "demo-support"


def seed(company) -> list[str]:
    with transaction.atomic():
        staff = DealerStaff.objects.select_related("dealer").filter(d5_id=DEMO_D5_ID).first()
        if staff is None:
            staff = dealer_staff_create(
                d5_id=DEMO_D5_ID,
                password=DEMO_PASSWORD,
                dealer_code=DEMO_DEALER_CODE,
                email=DEMO_STAFF_EMAIL,
                first_name="Mette",
                last_name="Mikkelsen",
            )
        waiting = _seed_waiting_company(staff)
    return [
        f"  Retail  {settings.SITE_URL}/retail/login/  (dealer site, outlet {staff.dealer.name}, {staff.dealer.code})",
        f"    {'Dealer staff':<24} dealer ID {staff.d5_id:<18} password: {DEMO_PASSWORD}",
        f"    waiting for verification: {waiting.name} ({waiting.pro_id}, {waiting.postal_code} {waiting.city}),"
        f" support password {WAITING_SUPPORT_PASSWORD}",
    ]


def _seed_waiting_company(staff: DealerStaff) -> Company:
    company = company_seed(
        pro_id=WAITING_PRO_ID,
        name="Fjord Kurér ApS",
        manager_name="Kasper Fjord",
        street="Nørre Allé 7",
        city="Aarhus C",
        email="office@fjordkurer.example",
        phone="+4586112233",
        vat_number="DK29876543",
        default_workshop=Dealer.objects.get(code=DEMO_DEALER_CODE),
    )
    admin = ensure_user(WAITING_ADMIN_EMAIL, "Kasper", "Fjord", birth_date="1979-11-02", phone="+4522334455")
    if not admin.has_support_password:
        admin.set_support_password(WAITING_SUPPORT_PASSWORD)
        admin.save()
    Membership.objects.get_or_create(
        user=admin, defaults=dict(company=company, role=Role.ADMIN, is_primary_admin=True)
    )
    RetailRegistration.objects.get_or_create(company=company, defaults=dict(staff=staff, dealer=staff.dealer))
    return company
