"""GET /vehicles/{vin}/status, /vehicles/{vin}/positions and /fleet/status: the rights matrix of
API-CONNECTED.md, the 409s, bad filters, and query counts flat in the fleet's size."""

import datetime

import pytest
from django.utils import timezone

from telematics.models import Reading, VehicleState
from telematics.services import reporting_round
from tests import factories as f

from .conftest import connect

pytestmark = pytest.mark.django_db


def status(client, vin):
    return client.get(f"/api/v1/vehicles/{vin}/status")


@pytest.mark.parametrize("persona", ["alice", "fred"])
def test_it_shows_managers_any_van_of_their_company(request, api, live_van, persona):
    reporting_round()
    response = status(api(request.getfixturevalue(persona)), live_van.vin)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["vin"] == live_van.vin and body["stale"] is False
    assert body["fuel_percent"] is not None and body["battery_percent"] is None and body["plug"] is None
    assert set(body["position"]) == {"lat", "lon", "heading", "speed_kmh"}
    assert set(body["service_due"]) == {"days", "km"}
    assert body["gear"] in {"P", "D"}


def test_it_shows_a_driver_their_own_van_only(api, live_van, dora, company, catalogue):
    reporting_round()
    assert status(api(dora), live_van.vin).status_code == 200
    someone_elses = connect(
        f.VehicleFactory(company=company, vin="W1V9076331P200009"), catalogue["fleet-management"]
    )
    reporting_round()
    assert status(api(dora), someone_elses.vin).status_code == 404
    assert api(dora).get(f"/api/v1/vehicles/{someone_elses.vin}/positions").status_code == 404
    fleet = api(dora).get("/api/v1/fleet/status").json()["results"]
    assert [row["vin"] for row in fleet] == [live_van.vin]


def test_it_hides_another_companys_van(api, oscar, live_van, other_van):
    reporting_round()
    assert status(api(oscar), live_van.vin).status_code == 404
    assert api(oscar).get(f"/api/v1/vehicles/{live_van.vin}/positions").status_code == 404
    assert [row["vin"] for row in api(oscar).get("/api/v1/fleet/status").json()["results"]] == [other_van.vin]


def test_it_refuses_anonymous_callers_and_dealer_staff(anon_api, api, sam, live_van):
    assert status(anon_api, live_van.vin).status_code in (401, 403)
    assert anon_api.get("/api/v1/fleet/status").status_code in (401, 403)
    assert status(api(sam.user), live_van.vin).status_code == 404


def test_it_answers_409_when_fleet_management_is_not_live(api, alice, logbook_van, live_van, catalogue):
    reporting_round()  # the logbook van reports (its module runs the logbook) ...
    assert VehicleState.objects.filter(vehicle=logbook_van).exists()
    response = status(api(alice), logbook_van.vin)  # ... but its status needs fleet management
    assert response.status_code == 409
    assert response.json()["code"] == "service_not_active"
    assert response.json()["service"] == "fleet-management"
    assert api(alice).get(f"/api/v1/vehicles/{logbook_van.vin}/positions").status_code == 409
    assert logbook_van.vin not in [r["vin"] for r in api(alice).get("/api/v1/fleet/status").json()["results"]]


def test_it_counts_the_bundle_as_fleet_management_and_ignores_ended_subscriptions(
    api, alice, electric_van, company, catalogue
):
    reporting_round()
    body = status(api(alice), electric_van.vin).json()
    assert body["battery_percent"] is not None and body["fuel_percent"] is None
    assert set(body["plug"]) == {"inserted", "locked", "connected"}
    cancelled = connect(f.VehicleFactory(company=company), catalogue["fleet-management"], status="cancelled")
    assert status(api(alice), cancelled.vin).json()["code"] == "service_not_active"


def test_it_answers_409_no_module(api, alice, moduleless_van):
    response = status(api(alice), moduleless_van.vin)
    assert response.status_code == 409 and response.json()["code"] == "no_module"


def test_it_answers_before_the_first_report(api, alice, live_van):
    body = status(api(alice), live_van.vin).json()
    assert body["reported_at"] is None and body["stale"] is True and body["odometer_km"] is None


def test_it_marks_an_old_report_stale(api, alice, live_van, settings):
    reporting_round(now=timezone.now() - datetime.timedelta(minutes=settings.TELEMATICS_STALE_MINUTES + 1))
    assert status(api(alice), live_van.vin).json()["stale"] is True
    stale = api(alice).get("/api/v1/fleet/status?stale=true").json()["results"]
    assert [row["vin"] for row in stale] == [live_van.vin]
    assert api(alice).get("/api/v1/fleet/status?stale=false").json()["results"] == []


def test_it_lists_positions_oldest_first_within_the_window(api, alice, live_van):
    now = timezone.now()
    for minutes in (50, 30, 10):
        reporting_round(now=now - datetime.timedelta(minutes=minutes))
    Reading.objects.update(ignition=True)  # every round appended a reading: the first always does
    response = api(alice).get(
        f"/api/v1/vehicles/{live_van.vin}/positions",
        {"since": (now - datetime.timedelta(minutes=40)).isoformat(), "until": now.isoformat()},
    )
    assert response.status_code == 200, response.json()
    points = response.json()["results"]
    assert set(points[0]) == {"at", "lat", "lon", "speed_kmh"}
    assert [p["at"] for p in points] == sorted(p["at"] for p in points)
    assert all(
        p["at"] >= (now - datetime.timedelta(minutes=40)).isoformat().replace("+00:00", "Z") for p in points
    )


@pytest.mark.parametrize(
    "query",
    [
        "since=yesterday",
        "since=2026-11-20T00:00:00Z&until=2026-11-10T00:00:00Z",
        "since=2026-01-01T00:00:00Z&until=2026-11-10T00:00:00Z",
    ],
)
def test_it_refuses_bad_position_windows(api, alice, live_van, query):
    response = api(alice).get(f"/api/v1/vehicles/{live_van.vin}/positions?{query}")
    assert response.status_code == 400 and "since" in response.json()


@pytest.mark.parametrize(
    "query,field",
    [
        ("fuel_below=abc", "fuel_below"),
        ("fuel_below=120", "fuel_below"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=0,95,1,96", "bbox"),
        ("stale=perhaps", "stale"),
    ],
)
def test_it_refuses_bad_fleet_filters(api, alice, live_van, query, field):
    response = api(alice).get(f"/api/v1/fleet/status?{query}")
    assert response.status_code == 400 and field in response.json()


def test_it_filters_the_fleet(api, alice, live_van, electric_van):
    reporting_round()
    VehicleState.objects.filter(vehicle=live_van).update(
        fuel_percent=9, service_due_days=10, lat=55.0, lon=12.0
    )
    VehicleState.objects.filter(vehicle=electric_van).update(
        battery_percent=12, service_due_days=200, lat=56.0, lon=10.0
    )

    def vins(query):
        response = api(alice).get(f"/api/v1/fleet/status?{query}")
        assert response.status_code == 200, response.json()
        return {row["vin"] for row in response.json()["results"]}

    assert vins("") == {live_van.vin, electric_van.vin}
    assert vins("fuel_below=10") == {live_van.vin}
    assert vins("battery_below=15") == {electric_van.vin}
    assert vins("service_due_within_days=30") == {live_van.vin}
    assert vins("bbox=11.5,54.5,12.5,55.5") == {live_van.vin}
    # Two opposite corners in either order (the contract's lon1,lat1,lon2,lat2), as before.
    assert vins("bbox=12.5,55.5,11.5,54.5") == {live_van.vin}
    assert vins("bbox=11.5,55.5,12.5,54.5") == {live_van.vin}


def test_it_reads_the_fleet_in_a_flat_number_of_queries(
    api, alice, company, catalogue, django_assert_max_num_queries
):
    pack = catalogue["fleet-management"]
    for n in range(3):
        connect(f.VehicleFactory(company=company, vin=f"W1V9076331P3100{n:02d}"), pack)
    reporting_round()
    client = api(alice)
    with django_assert_max_num_queries(4) as few:
        assert len(client.get("/api/v1/fleet/status").json()["results"]) == 3
    for n in range(3, 25):
        connect(f.VehicleFactory(company=company, vin=f"W1V9076331P3100{n:02d}"), pack)
    reporting_round()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/fleet/status").json()["results"]) == 25


def test_the_fleet_page_is_what_the_serializer_gives(api, alice, live_van, electric_van, company):
    """GET /fleet/status formats its rows itself (telematics.api.fleet_status_data): the same JSON
    as FleetStatusSerializer, key order included, for a combustion van and an electric van with a
    plug partly unknown."""
    from telematics.api import FleetStatusSerializer, status_body

    reporting_round()
    VehicleState.objects.filter(vehicle=electric_van).update(plug_inserted=True, plug_locked=None)
    body = api(alice).get("/api/v1/fleet/status").json()["results"]
    states = VehicleState.objects.filter(company=company).select_related("vehicle").order_by("vehicle_id")
    now = timezone.now()
    rows = [
        {
            **status_body(s.vehicle.vin, s, now, withheld=False),
            "licence_plate": s.vehicle.licence_plate,
            "nickname": s.vehicle.nickname,
            "fuel": s.vehicle.fuel,
        }
        for s in states
    ]
    expected = [dict(row) for row in FleetStatusSerializer(rows, many=True).data]
    assert body == expected and [list(row) for row in body] == [list(row) for row in expected]
    assert any(
        row["plug"] == {"inserted": True, "locked": None, "connected": row["plug"]["connected"]}
        for row in body
        if row["plug"]
    )
