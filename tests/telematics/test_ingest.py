"""Reports into state and history: bad reports refused (logged, counted, not stored), a timeout
marks the van stale and nothing else, parked vans append a reading per heartbeat, consumers hear
ignition changes once per batch, and a round costs the same number of queries for 2 or 20 vans."""

import dataclasses
import datetime
import logging

import pytest
from django.utils import timezone

from telematics.ingest import ingest_batch
from telematics.models import Reading, VehicleState
from telematics.services import reporting_round
from telematics.signals import reports_ingested
from tests import factories as f
from vehicles.telematics import NoAnswer, get_backend

from .conftest import connect

pytestmark = pytest.mark.django_db


def report_of(van, now=None):
    now = now or timezone.now()
    return get_backend().fetch_reports([van.vin], at=now)[0]


def vans_of(*vans):
    return {v.vin: (v.pk, v.company_id) for v in vans}


@pytest.mark.parametrize(
    "change,code",
    [
        ({"lat": 91.0}, "position_out_of_range"),
        ({"lon": -181.0}, "position_out_of_range"),
        ({"lat": float("nan")}, "not_a_number"),
        ({"fuel_percent": 140.0}, "value_out_of_range"),
        ({"gear": "X"}, "value_out_of_range"),
        ({"at_offset": datetime.timedelta(hours=1)}, "time_in_future"),
        ({"odometer_km": 1.0}, "odometer_went_back"),
    ],
)
def test_it_refuses_a_bad_report_without_storing_it(live_van, caplog, change, code):
    now = timezone.now()
    ingest_batch([report_of(live_van, now - datetime.timedelta(minutes=5))], vans=vans_of(live_van), now=now)
    stored = VehicleState.objects.get(vehicle=live_van)
    readings = Reading.objects.count()
    bad = report_of(live_van, now)
    if "at_offset" in change:
        bad = dataclasses.replace(bad, at=now + change.pop("at_offset"))
    bad = dataclasses.replace(bad, **change)
    with caplog.at_level(logging.WARNING, logger="telematics.ingest"):
        outcome = ingest_batch([bad], vans=vans_of(live_van), now=now)
    assert outcome.rejected == {code: 1} and outcome.stored == 0
    assert code in caplog.text
    after = VehicleState.objects.get(vehicle=live_van)
    assert (after.reported_at, after.lat, after.odometer_km) == (
        stored.reported_at,
        stored.lat,
        stored.odometer_km,
    )
    assert after.rejected_reports == 1
    assert Reading.objects.count() == readings


def test_it_stores_the_good_reports_of_a_batch_with_a_bad_one(live_van, electric_van):
    now = timezone.now()
    bad = dataclasses.replace(report_of(live_van, now), lat=123.0)
    outcome = ingest_batch([bad, report_of(electric_van, now)], vans=vans_of(live_van, electric_van), now=now)
    assert outcome.stored == 1
    assert list(VehicleState.objects.values_list("vehicle_id", flat=True)) == [electric_van.pk]


def test_it_marks_a_van_that_did_not_answer_stale_and_changes_nothing_else(live_van, api, alice):
    reporting_round()
    before = VehicleState.objects.get(vehicle=live_van)
    outcome = ingest_batch([NoAnswer(live_van.vin)], vans=vans_of(live_van))
    assert outcome.unreachable == 1
    after = VehicleState.objects.get(vehicle=live_van)
    assert after.unreachable_since is not None
    assert (after.reported_at, after.odometer_km, after.lat) == (
        before.reported_at,
        before.odometer_km,
        before.lat,
    )
    assert api(alice).get(f"/api/v1/vehicles/{live_van.vin}/status").json()["stale"] is True
    reporting_round(now=timezone.now() + datetime.timedelta(seconds=1))
    assert VehicleState.objects.get(vehicle=live_van).unreachable_since is None


def test_it_takes_a_van_offline_through_the_emulator(live_van, settings):
    get_backend().set_fields(live_van.vin, {"online": False})
    assert get_backend().fetch_reports([live_van.vin], at=timezone.now()) == [NoAnswer(live_van.vin)]


def test_it_appends_readings_for_a_parked_van_once_per_heartbeat(live_van, settings):
    settings.TELEMATICS_HEARTBEAT_MINUTES = 15
    get_backend().set_fields(live_van.vin, {"ignition": False, "speed_kmh": 0.0, "lat": 55.0, "lon": 12.0})
    start = timezone.now() - datetime.timedelta(minutes=40)
    for minutes in range(0, 40, 5):
        reporting_round(now=start + datetime.timedelta(minutes=minutes))
    assert Reading.objects.filter(vehicle_id=live_van.pk).count() == 3  # at 0, 15 and 30 minutes
    assert VehicleState.objects.get(vehicle=live_van).reported_at == start + datetime.timedelta(minutes=35)


def test_it_ignores_the_same_report_twice(live_van):
    now = timezone.now()
    report = report_of(live_van, now)
    ingest_batch([report], vans=vans_of(live_van), now=now)
    outcome = ingest_batch([report], vans=vans_of(live_van), now=now)
    assert outcome.stored == 0 and outcome.rejected == {}
    assert Reading.objects.count() == 1


def test_it_tells_consumers_about_ignition_changes_once_per_batch(
    live_van, electric_van, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, batch, **kwargs):
        heard.append({item.vehicle_id: item.ignition_change for item in batch})

    reports_ingested.connect(listener)
    try:
        backend = get_backend()
        backend.set_fields(live_van.vin, {"ignition": False, "speed_kmh": 0.0})
        backend.set_fields(electric_van.vin, {"ignition": False, "speed_kmh": 0.0})
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            reporting_round(now=now - datetime.timedelta(minutes=2))
        backend.set_fields(live_van.vin, {"ignition": True, "speed_kmh": 30.0, "gear": "D"})
        with django_capture_on_commit_callbacks(execute=True):
            reporting_round(now=now)
    finally:
        reports_ingested.disconnect(listener)
    assert heard == [{live_van.pk: None, electric_van.pk: None}, {live_van.pk: "on", electric_van.pk: None}]


def test_it_reports_only_vans_whose_module_runs_a_live_service(live_van, moduleless_van, company, catalogue):
    pending = connect(
        f.VehicleFactory(company=company), catalogue["fleet-management"], status="activation_pending"
    )
    outcome = reporting_round()
    assert outcome.stored == 1
    assert set(VehicleState.objects.values_list("vehicle_id", flat=True)) == {live_van.pk}
    assert not VehicleState.objects.filter(vehicle__in=[moduleless_van, pending]).exists()


def test_it_runs_a_round_in_a_flat_number_of_queries(
    company, catalogue, django_assert_max_num_queries, settings
):
    settings.TELEMATICS_BATCH_SIZE = 1000
    pack = catalogue["fleet-management"]
    for n in range(2):
        connect(f.VehicleFactory(company=company, vin=f"W1V9076331P4100{n:02d}"), pack)
    with django_assert_max_num_queries(16) as few:
        reporting_round()
    for n in range(2, 22):
        connect(f.VehicleFactory(company=company, vin=f"W1V9076331P4100{n:02d}"), pack)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert reporting_round(now=timezone.now() + datetime.timedelta(seconds=1)).stored == 22
