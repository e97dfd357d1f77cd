"""Fixtures of the maintenance tests: ACME's van with maintenance management live, whose workshop
is sam's outlet (DK00001), and its reported state (each test sets the counters it needs)."""

import pytest
from django.utils import timezone

from maintenance.models import DueItem
from telematics.models import VehicleState
from telematics.services import reporting_round
from tests import factories as f
from tests.telematics.conftest import connect
from vehicles.telematics import get_backend, towns


def set_counters(van, days, km, *, odometer_km=52_000.0):
    """The van's latest reported state with these service-due counters."""
    lat, lon = towns.home_of(van.vin, van.company.city, van.company.country)
    now = timezone.now()
    VehicleState.objects.update_or_create(
        vehicle=van,
        defaults={
            "company": van.company,
            "reported_at": now,
            "received_at": now,
            "odometer_km": odometer_km,
            "lat": lat,
            "lon": lon,
            "service_due_days": days,
            "service_due_km": km,
        },
    )
    return van


@pytest.fixture
def maint_van(company, catalogue, dealer, dora):
    """ACME's Sprinter with maintenance management live; its workshop is sam's outlet."""
    van = f.VehicleFactory(
        company=company,
        vin="W1V9076331P400001",
        licence_plate="MT 40 001",
        nickname="Service van",
        model_family="Sprinter",
        workshop=dealer,
        driver=dora,
    )
    return connect(van, catalogue["maintenance-management"])


@pytest.fixture
def plain_van(company, catalogue, dealer):
    """A van with fleet management only: maintenance is not live on it."""
    van = f.VehicleFactory(company=company, vin="W1V9076331P400002", workshop=dealer)
    return connect(van, catalogue["fleet-management"])


@pytest.fixture
def due_van(maint_van, django_capture_on_commit_callbacks):
    """The van has reported 12 days / 9,000 km left through a real reporting round: in sam's queue.
    (test_pages.py has its own, quicker `due_van` that writes the due item directly.)"""
    get_backend().set_fields(maint_van.vin, {"service_due_days": 12, "service_due_km": 9000})
    with django_capture_on_commit_callbacks(execute=True):
        reporting_round()
    assert DueItem.objects.filter(vehicle=maint_van, informed_at__isnull=False).exists()
    return maint_van
