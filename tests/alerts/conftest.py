"""Fixtures of the alert and fleet-map tests: ACME's vans with fleet management live, reporting
through the real emulator and ingestion (the path the beat round takes)."""

import datetime

import pytest
from django.utils import timezone

from telematics.services import reporting_round
from tests import factories as f
from tests.telematics.conftest import connect
from vehicles.telematics import get_backend


@pytest.fixture
def live_van(company, catalogue, dora):
    """ACME's diesel Sprinter with fleet management live, driven by dora."""
    van = f.VehicleFactory(company=company, vin="W1V9076331P300001", licence_plate="AC-101", driver=dora)
    return connect(van, catalogue["fleet-management"])


@pytest.fixture
def electric_van(company, catalogue):
    van = f.VehicleFactory(
        company=company,
        vin="W1V9106731P300002",
        fuel="electric",
        model_family="eSprinter",
        licence_plate="AC-202",
    )
    return connect(van, catalogue["connect-complete"])


@pytest.fixture
def logbook_van(company, catalogue):
    """A van reporting for the digital logbook only: no fleet management, so no alerts or marker."""
    van = f.VehicleFactory(company=company, vin="W1V9076331P300003", licence_plate="AC-303")
    return connect(van, catalogue["digital-logbook"])


@pytest.fixture
def other_live_van(other_company, catalogue):
    van = f.VehicleFactory(company=other_company, vin="W1V9076331P300005", licence_plate="OT-505")
    return connect(van, catalogue["fleet-management"])


@pytest.fixture
def report(django_capture_on_commit_callbacks):
    """report(vin=..., **fields) → sets the emulated van's fields (as `emulator --set` does) and runs
    one reporting round, its after-commit work (the alerts evaluation, outbox consumers) included.
    Each round is 5 seconds later than the previous one, all within the last 5 minutes (not stale)."""
    clock = {"now": timezone.now() - datetime.timedelta(minutes=5)}

    def run(vin=None, **fields):
        if vin is not None:
            get_backend().set_fields(vin, fields)
        clock["now"] += datetime.timedelta(seconds=5)
        with django_capture_on_commit_callbacks(execute=True):
            return reporting_round(now=clock["now"])

    return run
