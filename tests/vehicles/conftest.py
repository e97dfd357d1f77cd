"""Fixtures of the vehicles tests: vans of ACME and of Other Co, and VINs to type."""

import pytest

from tests import factories as f


def vin(serial: int, *, type_code: str = "907633", wmi: str = "W1V", plant: str = "1P") -> str:
    """A European-structure Mercedes-Benz VIN: WMI, type code, steering + plant, 6-digit serial."""
    return f"{wmi}{type_code}{plant}{serial:06d}"


@pytest.fixture
def driven_van(company, dora):
    from companies.audit import Actor
    from vehicles.services import driver_assign

    vehicle = f.VehicleFactory(company=company, vin=vin(100002), nickname="Dora's van")
    driver_assign(vehicle=vehicle, driver=dora, actor=Actor.system())
    vehicle.refresh_from_db()
    return vehicle


@pytest.fixture
def live_subscription(van):
    return f.SubscriptionFactory(order__company=van.company, vehicle=van, status="active")
