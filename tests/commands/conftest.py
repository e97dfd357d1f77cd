"""Fixtures of the remote-command tests: ACME's vans with remote functions / eCharging live and a
reported state that meets every prerequisite (each test breaks what it needs)."""

import pytest
from django.utils import timezone

from packs.catalogue import seed_catalogue
from packs.models import Pack
from telematics.models import VehicleState
from tests import factories as f
from tests.telematics.conftest import connect
from vehicles.telematics import towns

READY = {
    "odometer_km": 1000.0,
    "battery_percent": 80.0,
    "speed_kmh": 0.0,
    "doors_locked": True,
    "doors_closed": True,
    "windows_closed": True,
    "bonnet_closed": True,
    "gear": "P",
    "plug_inserted": True,
    "plug_locked": True,
    "plug_connected": True,
    "rfid_authorised": True,
    "outside_temp_c": 5.0,
    "cabin_temp_c": 5.0,
}


def set_state(van, **fields):
    """The van's reported state: ready for everything, at its base, but for `fields`."""
    lat, lon = towns.home_of(van.vin, van.company.city, van.company.country)
    now = timezone.now()
    values = {**READY, "lat": lat, "lon": lon, "reported_at": now, "received_at": now, **fields}
    VehicleState.objects.update_or_create(vehicle=van, defaults={"company": van.company, **values})
    return van


@pytest.fixture
def catalogue(db):
    seed_catalogue()
    return {pack.code: pack for pack in Pack.objects.prefetch_related("services")}


@pytest.fixture
def remote_van(company, catalogue, dora):
    """ACME's diesel van with remote functions live, driven by dora."""
    van = f.VehicleFactory(company=company, vin="W1V9076331P300001", driver=dora)
    return set_state(connect(van, catalogue["remote-functions"]), battery_percent=None, plug_inserted=None)


@pytest.fixture
def ecell_van(company, catalogue):
    van = f.VehicleFactory(company=company, vin="W1V9106731P300002", fuel="electric")
    return set_state(connect(van, catalogue["connect-complete"]))


@pytest.fixture(autouse=True)
def run_on_commit(monkeypatch):
    """The test's transaction never commits: publish what a service records in the outbox at once
    (with eager Celery, the command's task runs then)."""
    from mpro import outbox

    monkeypatch.setattr("mpro.outbox._publish_on_commit", outbox.publish)
