"""Fixtures of the connected-van tests: ACME's vans with fleet management live, reporting."""

import pytest

from packs.catalogue import seed_catalogue
from packs.models import Pack
from tests import factories as f
from vehicles.models import EmulatedModule, ModuleStatus


@pytest.fixture
def catalogue(db):
    seed_catalogue()
    return {pack.code: pack for pack in Pack.objects.prefetch_related("services")}


def connect(vehicle, pack, *, status="active"):
    """The van with `pack` subscribed in `status`, its module on (as after a real activation)."""
    f.SubscriptionFactory(order__company=vehicle.company, order__pack=pack, vehicle=vehicle, status=status)
    if status == "active":
        vehicle.module_status = ModuleStatus.ACTIVE
        vehicle.save(update_fields=["module_status"])
        EmulatedModule.objects.update_or_create(
            vin=vehicle.vin, defaults={"active_services": [s.code for s in pack.services.all()]}
        )
    return vehicle


@pytest.fixture
def live_van(company, catalogue, dora):
    """ACME's diesel Sprinter with fleet management live, driven by dora."""
    van = f.VehicleFactory(company=company, vin="W1V9076331P200001", nickname="Live one", driver=dora)
    return connect(van, catalogue["fleet-management"])


@pytest.fixture
def electric_van(company, catalogue):
    van = f.VehicleFactory(
        company=company, vin="W1V9106731P200002", fuel="electric", model_family="eSprinter"
    )
    return connect(van, catalogue["connect-complete"])


@pytest.fixture
def logbook_van(company, catalogue):
    """A van with a live pack that does not contain fleet management."""
    van = f.VehicleFactory(company=company, vin="W1V9076331P200003")
    return connect(van, catalogue["digital-logbook"])


@pytest.fixture
def moduleless_van(company, catalogue):
    return f.VehicleFactory(company=company, vin="W1V9076331P900004", module_status=ModuleStatus.ABSENT)


@pytest.fixture
def other_van(other_company, catalogue):
    van = f.VehicleFactory(company=other_company, vin="W1V9076331P200005")
    return connect(van, catalogue["fleet-management"])
