"""Fixtures of the logbook tests: ACME's van with the whole connect bundle live (digital logbook
and fleet management), assigned to dora through the assignment history, and helpers that drive
it through the emulator and the reporting round, as the module would."""

import datetime

import pytest
from django.utils import timezone

from companies.models import Role
from telematics.services import reporting_round
from tests import factories as f
from tests.telematics.conftest import connect
from trips.models import Trip
from vehicles.models import DriverAssignment
from vehicles.telematics import get_backend

# A Saturday night: outside the default working hours (Mon–Fri 08:00–17:00) in Copenhagen.
WEEKEND = datetime.datetime(2026, 11, 21, 21, 0, tzinfo=datetime.UTC)
WORKDAY = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=datetime.UTC)  # a Wednesday, 11:00 local


@pytest.fixture
def catalogue(db):
    from packs.catalogue import seed_catalogue
    from packs.models import Pack

    seed_catalogue()
    return {pack.code: pack for pack in Pack.objects.prefetch_related("services")}


def assign(vehicle, driver, since):
    vehicle.driver = driver
    vehicle.save(update_fields=["driver"])
    DriverAssignment.objects.filter(vehicle=vehicle, ended_at__isnull=True).update(ended_at=since)
    DriverAssignment.objects.create(vehicle=vehicle, driver=driver, started_at=since)


@pytest.fixture
def van(company, catalogue, dora):
    vehicle = f.VehicleFactory(company=company, vin="W1V9076331P300001", nickname="Logbook one")
    connect(vehicle, catalogue["connect-complete"])
    assign(vehicle, dora, timezone.now() - datetime.timedelta(days=400))
    return vehicle


@pytest.fixture
def dan(company):
    """A second driver of ACME."""
    user = f.UserFactory(email="dan@acme.example", first_name="Dan", last_name="Dreyer")
    f.MembershipFactory(user=user, company=company, role=Role.DRIVER)
    return user


@pytest.fixture
def drive(django_capture_on_commit_callbacks):
    """drive(van, start, km=..., minutes=...): the van reports parked, then with the ignition on,
    then parked `km` further: one trip, through the real reporting round."""

    def run(vehicle, start, *, km=12.0, minutes=20, odometer=None, lat=55.676, lon=12.568, to=(55.40, 10.39)):
        backend = get_backend()
        odometer = odometer if odometer is not None else 10_000.0
        steps = [
            (
                start - datetime.timedelta(minutes=5),
                dict(ignition=False, speed_kmh=0.0, gear="P", lat=lat, lon=lon, odometer_km=odometer),
            ),
            (
                start,
                dict(ignition=True, speed_kmh=40.0, gear="D", lat=lat, lon=lon, odometer_km=odometer + 0.2),
            ),
            (
                start + datetime.timedelta(minutes=minutes / 2),
                dict(
                    ignition=True,
                    speed_kmh=50.0,
                    gear="D",
                    lat=(lat + to[0]) / 2,
                    lon=(lon + to[1]) / 2,
                    odometer_km=odometer + km / 2,
                ),
            ),
            (
                start + datetime.timedelta(minutes=minutes),
                dict(
                    ignition=False, speed_kmh=0.0, gear="P", lat=to[0], lon=to[1], odometer_km=odometer + km
                ),
            ),
        ]
        for at, fields in steps:
            backend.set_fields(vehicle.vin, fields)
            with django_capture_on_commit_callbacks(execute=True):
                reporting_round(now=at)
        return Trip.objects.filter(vehicle=vehicle).order_by("-started_at").first()

    return run


def make_trip(vehicle, driver, *, started_at=None, km=10.0, category="unclassified", **fields):
    started_at = started_at or timezone.now() - datetime.timedelta(hours=3)
    return Trip.objects.create(
        company=vehicle.company,
        vehicle=vehicle,
        driver=driver,
        started_at=started_at,
        ended_at=started_at + datetime.timedelta(minutes=30),
        odometer_start_km=1000.0,
        odometer_end_km=1000.0 + km,
        start_lat=55.676,
        start_lon=12.568,
        start_place="Copenhagen",
        end_lat=55.40,
        end_lon=10.39,
        end_place="Odense",
        category=category,
        **fields,
    )
