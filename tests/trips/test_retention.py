"""Trips, private-mode periods and positions in the retention registry, and trips in a person's
data export."""

import datetime
import io
import json
import zipfile

import time_machine

from mpro import retention
from telematics.models import Reading
from trips.models import PrivateModePeriod, Trip

from .conftest import WEEKEND, make_trip

NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


def test_trips_are_kept_as_long_as_the_setting_says(van, dora, settings):
    settings.RETENTION_TRIPS_DAYS = 3650
    old = make_trip(van, dora, started_at=NOW - datetime.timedelta(days=3650, seconds=1))
    kept = make_trip(van, dora, started_at=NOW - datetime.timedelta(days=3649))
    with time_machine.travel(NOW, tick=False):
        results = {r.rule.key: r.count for r in retention.purge_expired()}
    assert results["trips"] == 1
    assert list(Trip.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk not in set(Trip.objects.values_list("pk", flat=True))


def test_positions_and_private_mode_periods_expire(van, dora, drive, settings):
    settings.TELEMATICS_RETENTION_DAYS = 90
    settings.RETENTION_PRIVATE_MODE_DAYS = 90
    drive(van, WEEKEND)
    PrivateModePeriod.objects.create(
        company=van.company,
        vehicle=van,
        driver=dora,
        started_at=WEEKEND,
        ends_at=WEEKEND + datetime.timedelta(hours=9),
    )
    readings = Reading.objects.count()
    assert readings
    with time_machine.travel(WEEKEND + datetime.timedelta(days=89), tick=False):
        dry = {r.rule.key: r.count for r in retention.purge_expired(dry_run=True)}
        assert dry["positions"] == 0 and dry["private_mode_periods"] == 0
    with time_machine.travel(WEEKEND + datetime.timedelta(days=91), tick=False):
        done = {r.rule.key: r.count for r in retention.purge_expired()}
    assert done["positions"] == readings and done["private_mode_periods"] == 1
    assert not Reading.objects.exists() and not PrivateModePeriod.objects.exists()
    assert Trip.objects.count() == 1  # the logbook keeps the trip, with its start and end only


def test_the_privacy_page_lists_the_logbooks_keeping_periods(client):
    html = client.get("/privacy/").content.decode()
    assert "Trips (digital logbook)" in html and "3650" in html.replace("\u202f", "").replace(",", "")


def test_a_persons_export_holds_their_trips_and_nobody_elses(api, dora, dan, van):
    make_trip(van, dora)
    make_trip(van, dan, category="private")
    response = api(dora).get("/api/v1/me/export")
    assert response.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("mpro-personal-data.json"))
    trips = data["sections"]["trips"]["trips"]
    assert len(trips) == 1 and trips[0]["start"]["place"] == "Copenhagen"
    assert trips[0]["vehicle"] == van.vin
