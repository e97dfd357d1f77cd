"""Demo data for `manage.py seed_demo`: eight vans of the demo company. Idempotent."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from companies.audit import Actor
from companies.models import Dealer

from . import services
from .models import Fuel, Vehicle

# VIN, licence plate, nickname, drive when the VIN does not tell it, verified by the dealer
DEMO_VANS = [
    ("WDB9066351S512001", "DV 12 001", "Sprinter 1 – Aarhus", None, True),
    ("W1V9076351P512002", "DV 12 002", "Sprinter 2 – Aarhus", Fuel.COMBUSTION, True),
    ("W1V9106731P512003", "DV 12 003", "eSprinter – city", None, True),
    ("VSA44770313512004", "DV 12 004", "Vito – service", Fuel.COMBUSTION, False),
    ("VSA44768313512005", "DV 12 005", "eVito – parcels", None, True),
    ("WDF4157031U512006", "DV 12 006", "Citan – spare parts", None, False),
    ("W1V4201811U512007", "DV 12 007", "eCitan – city", None, False),
    # Serial starting with 9: the telematics emulator treats it as built without a module.
    ("W1V9076331P912008", "DV 12 008", "Old Sprinter (no module)", Fuel.COMBUSTION, False),
]
DEMO_DRIVER = "driver@demo.mpro.example"


def seed(company) -> list[str]:
    """Seeds the demo company's vans; returns lines to print."""
    actor = Actor.system()
    for vin, plate, nickname, fuel, verified in DEMO_VANS:
        vehicle = Vehicle.objects.filter(vin=vin).first()
        if vehicle is None:
            vehicle = services.vehicle_add(
                company=company, vin=vin, licence_plate=plate, nickname=nickname, actor=actor
            )
        if vehicle.company_id != company.pk:
            continue  # someone registered this VIN elsewhere; leave it alone
        if fuel and vehicle.fuel == Fuel.UNKNOWN:
            services.vehicle_update(vehicle=vehicle, actor=actor, fuel=fuel)
        if verified and not vehicle.is_verified:
            Vehicle.objects.filter(pk=vehicle.pk).update(
                verification_status="verified", verified_at=timezone.now()
            )

    workshop = Dealer.objects.filter(code="DK2600").first()
    own_workshop_van = Vehicle.objects.for_company(company).filter(vin=DEMO_VANS[4][0]).first()
    if workshop and own_workshop_van and own_workshop_van.workshop_id is None:
        services.workshop_choose(vehicle=own_workshop_van, dealer=workshop, actor=actor)

    driver = get_user_model().objects.filter(email=DEMO_DRIVER).first()
    first_van = Vehicle.objects.for_company(company).filter(vin=DEMO_VANS[0][0]).first()
    if (
        driver
        and first_van
        and first_van.driver_id is None
        and not Vehicle.objects.filter(driver=driver).exists()
    ):
        services.driver_assign(vehicle=first_van, driver=driver, actor=actor)

    return [
        f"  Vehicles: {Vehicle.objects.for_company(company).count()} demo vans "
        f"(Sprinter, eSprinter, Vito, eVito, Citan, eCitan; {DEMO_VANS[-1][0]} has no communication module)",
        f"    {DEMO_DRIVER} drives {DEMO_VANS[0][2]}",
    ]
