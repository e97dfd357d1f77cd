"""Trips come from the module's ignition changes, through the real reporting round."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from mpro.models import OutboxMessage
from telematics.services import reporting_round
from tests import factories as f
from tests.telematics.conftest import connect
from trips.models import Trip
from vehicles.models import EmulatedModule, EmulatorClock

from .conftest import WEEKEND, assign


def test_it_records_a_trip_from_ignition_on_to_off(van, dora, drive):
    trip = drive(van, WEEKEND, km=12.5, minutes=20)
    assert trip is not None
    assert trip.driver == dora
    assert trip.started_at == WEEKEND and trip.ended_at == WEEKEND + datetime.timedelta(minutes=20)
    assert trip.odometer_start_km == 10_000.0 and trip.odometer_end_km == 10_012.5
    assert trip.distance_km == 12.5
    assert trip.start_place == "Copenhagen"
    assert trip.end_place == "Odense"
    assert trip.category == "unclassified"


def test_it_publishes_trip_completed_through_the_outbox(van, drive):
    trip = drive(van, WEEKEND)
    message = OutboxMessage.objects.get(kind="trip.completed")
    assert message.company_id == van.company_id
    assert message.payload["trip_id"] == trip.pk and message.payload["vin"] == van.vin
    assert message.payload["distance_km"] == trip.distance_km
    assert "place" not in str(message.payload)  # no places travel: the trip may be private


def test_the_driver_is_whoever_was_assigned_when_the_trip_started(van, dora, dan, drive):
    assign(van, dan, WEEKEND + datetime.timedelta(minutes=5))  # changed during the trip
    trip = drive(van, WEEKEND)
    assert trip.driver == dora


def test_a_van_without_a_driver_then_makes_a_trip_without_driver(van, drive):
    from vehicles.models import DriverAssignment

    DriverAssignment.objects.all().delete()
    assert drive(van, WEEKEND).driver is None


def test_it_keeps_no_logbook_for_a_van_without_the_service(company, catalogue, dora, drive):
    vehicle = f.VehicleFactory(company=company, vin="W1V9076331P300009")
    connect(vehicle, catalogue["fleet-management"])
    assign(vehicle, dora, WEEKEND - datetime.timedelta(days=1))
    drive(vehicle, WEEKEND)
    assert not Trip.objects.exists()


def test_a_batch_delivered_twice_makes_one_trip(van, drive, django_capture_on_commit_callbacks):
    drive(van, WEEKEND)
    with django_capture_on_commit_callbacks(execute=True):
        reporting_round(now=WEEKEND + datetime.timedelta(minutes=20))  # the same reports again
    assert Trip.objects.count() == 1


def test_the_emulator_command_drives_a_trip_end_to_end(
    van, dora, django_capture_on_commit_callbacks, settings
):
    """`manage.py emulator --trip` then reporting rounds at the times the beat would run them.

    The van's own routine runs on the emulator's clock, which starts at the real time: on a
    working-day morning it drives too, and its kilometres joined the trip's. The clock is set to
    the Saturday evening of the other tests here, when the routine keeps the van parked."""
    settings.TELEMATICS_TIME_SCALE = 1.0
    EmulatorClock.objects.all().delete()
    EmulatorClock.objects.create(scale=1.0, real_anchor=timezone.now(), sim_anchor=WEEKEND)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("emulator", "--tick", stdout=StringIO())
    call_command("emulator", "--vin", van.vin, "--trip", "18", "--minutes", "30", stdout=StringIO())
    start = datetime.datetime.fromtimestamp(
        EmulatedModule.objects.get(vin=van.vin).manual_trips[-1]["start"], tz=datetime.UTC
    )
    for minutes in (1, 15, 31):
        with django_capture_on_commit_callbacks(execute=True):
            reporting_round(now=start + datetime.timedelta(minutes=minutes))
    trip = Trip.objects.get(vehicle=van)
    assert trip.driver == dora
    assert trip.ended_at == start + datetime.timedelta(minutes=31)
    assert 17 <= trip.distance_km <= 19
    assert timezone.is_aware(trip.started_at) and trip.started_at <= start + datetime.timedelta(minutes=1)


def test_a_webhook_subscribed_to_trip_completed_receives_it(api, alice, van, drive, settings):
    """The outbox's consumer in integrations delivers the event to a real local receiver."""
    import json

    from tests.integrations.conftest import Receiver

    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    with Receiver() as receiver:
        created = api(alice).post(
            "/api/v1/webhooks", {"url": receiver.url, "events": ["trip.completed"]}, format="json"
        )
        assert created.status_code == 201
        trip = drive(van, WEEKEND)
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    assert len(bodies) == 1
    assert bodies[0]["type"] == "trip.completed"
    assert bodies[0]["data"]["trip_id"] == trip.pk and bodies[0]["data"]["vin"] == van.vin
    assert bodies[0]["data"]["pro_id"] == van.company.pro_id
