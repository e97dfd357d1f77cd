"""GET /trips, GET|PATCH /trips/{id}, GET /trips/{id}/history: rights, the Fahrtenbuch rules, the
lock, the history, and privacy (API-CONNECTED.md, "Trips and logbook")."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from companies.models import AuditEvent
from telematics.models import Reading
from tests import factories as f
from trips.models import Trip, TripChange

from .conftest import make_trip

BUSINESS = {"category": "business", "purpose": "Delivery of parts", "business_partner": "Hansen A/S"}


@pytest.fixture
def trips(van, dora, dan):
    return {"dora": make_trip(van, dora), "dan": make_trip(van, dan), "nobody": make_trip(van, None)}


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# --- rights ----------------------------------------------------------------------------------------
def test_it_lists_a_drivers_own_trips_only(api, dora, trips):
    response = api(dora).get("/api/v1/trips")
    assert response.status_code == 200
    assert ids(response) == {trips["dora"].pk}


def test_it_lists_every_trip_of_the_company_to_managers(api, alice, fred, trips):
    for user in (alice, fred):
        assert ids(api(user).get("/api/v1/trips")) == {t.pk for t in trips.values()}


def test_it_hides_another_companys_trips(api, oscar, trips):
    assert ids(api(oscar).get("/api/v1/trips")) == set()
    for path in (f"/api/v1/trips/{trips['dora'].pk}", f"/api/v1/trips/{trips['dora'].pk}/history"):
        assert api(oscar).get(path).status_code == 404
    assert api(oscar).patch(f"/api/v1/trips/{trips['dora'].pk}", BUSINESS, format="json").status_code == 404


def test_it_answers_404_to_a_driver_for_someone_elses_trip(api, dora, trips):
    assert api(dora).get(f"/api/v1/trips/{trips['dan'].pk}").status_code == 404
    response = api(dora).patch(f"/api/v1/trips/{trips['dan'].pk}", BUSINESS, format="json")
    assert response.status_code == 404
    assert Trip.objects.get(pk=trips["dan"].pk).category == "unclassified"


def test_only_the_trips_driver_classifies_it(api, fred, alice, trips):
    for user in (fred, alice):
        response = api(user).patch(f"/api/v1/trips/{trips['dora'].pk}", BUSINESS, format="json")
        assert response.status_code == 403, user
    assert not TripChange.objects.exists()


def test_an_admin_classifies_a_trip_without_driver_and_a_fleet_manager_cannot(api, alice, fred, trips):
    path = f"/api/v1/trips/{trips['nobody'].pk}"
    assert api(fred).patch(path, {"category": "private"}, format="json").status_code == 403
    assert api(alice).patch(path, {"category": "private"}, format="json").status_code == 200


def test_it_filters_trips(api, fred, van, dora, dan, trips):
    trips["dan"].category = "private"
    trips["dan"].save()
    client = api(fred)
    assert ids(client.get("/api/v1/trips", {"category": "private"})) == {trips["dan"].pk}
    assert ids(client.get("/api/v1/trips", {"driver": dora.membership.pk})) == {trips["dora"].pk}
    assert ids(client.get("/api/v1/trips", {"vehicle": van.vin.lower()})) == {t.pk for t in trips.values()}
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert ids(client.get("/api/v1/trips", {"since": later})) == set()
    assert client.get("/api/v1/trips", {"category": "holiday"}).status_code == 400


def test_the_list_costs_the_same_queries_for_more_trips(
    api, fred, van, dora, trips, django_assert_max_num_queries
):
    client = api(fred)
    client.get("/api/v1/trips")
    for _ in range(20):
        make_trip(van, dora)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/trips").json()["results"]) == 23


# --- classification rules --------------------------------------------------------------------------
def test_a_driver_classifies_a_business_trip(api, dora, trips):
    response = api(dora).patch(f"/api/v1/trips/{trips['dora'].pk}", BUSINESS, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["category"] == "business" and body["purpose"] == "Delivery of parts"
    assert body["business_partner"] == "Hansen A/S" and body["locked"] is False
    assert AuditEvent.objects.filter(action="trip.classified").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "business", "business_partner": "Hansen"}, "purpose"),
        ({"category": "business", "purpose": "Visit"}, "business_partner"),
        ({"category": "business", "purpose": "   ", "business_partner": "Hansen"}, "purpose"),
        ({"category": "commute"}, "category"),  # ACME is Danish: no commute category
        ({"category": "unclassified"}, "category"),
        ({"category": "holiday"}, "category"),
        ({"category": "business", "purpose": "x" * 201, "business_partner": "Hansen"}, "purpose"),
        ({"category": "business", "purpose": "Visit", "business_partner": "y" * 201}, "business_partner"),
    ],
)
def test_it_refuses_bad_classifications_and_saves_nothing(api, dora, trips, body, field):
    response = api(dora).patch(f"/api/v1/trips/{trips['dora'].pk}", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    trip = Trip.objects.get(pk=trips["dora"].pk)
    assert (trip.category, trip.purpose, trip.business_partner) == ("unclassified", "", "")
    assert (
        not TripChange.objects.exists() and not AuditEvent.objects.filter(action="trip.classified").exists()
    )


def test_commute_exists_for_companies_in_germany(api, catalogue):
    from companies.models import Role

    company = f.CompanyFactory(name="Berlin Logistik GmbH", pro_id="PRO-BERLIN", country="DE", city="Berlin")
    driver = f.UserFactory(email="greta@berlin.example")
    f.MembershipFactory(user=driver, company=company, role=Role.DRIVER)
    vehicle = f.VehicleFactory(company=company, vin="W1V9076331P300077")
    trip = make_trip(vehicle, driver)
    response = api(driver).patch(f"/api/v1/trips/{trip.pk}", {"category": "commute"}, format="json")
    assert response.status_code == 200 and response.json()["category"] == "commute"


def test_private_and_commute_trips_carry_no_purpose(api, dora, trips):
    body = {**BUSINESS, "category": "private"}
    assert api(dora).patch(f"/api/v1/trips/{trips['dora'].pk}", body, format="json").json()["purpose"] == ""


# --- the lock and the history ----------------------------------------------------------------------
def test_it_locks_a_trip_after_the_edit_days(api, dora, van, settings):
    settings.LOGBOOK_EDIT_DAYS = 7
    start = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)
    trip = make_trip(van, dora, started_at=start)  # ended at 08:30
    path = f"/api/v1/trips/{trip.pk}"
    with time_machine.travel(start + datetime.timedelta(days=7, minutes=29), tick=False):
        assert api(dora).get(path).json()["locked"] is False
        assert api(dora).patch(path, {"category": "private"}, format="json").status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=7, minutes=30), tick=False):
        body = api(dora).get(path).json()
        assert body["locked"] is True and body["editable_until"] is None
        response = api(dora).patch(path, BUSINESS, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "trip_locked"
    assert Trip.objects.get(pk=trip.pk).category == "private"
    assert TripChange.objects.count() == 1


def test_it_keeps_every_change_in_the_history(api, dora, alice, trips):
    path = f"/api/v1/trips/{trips['dora'].pk}"
    client = api(dora)
    client.patch(path, BUSINESS, format="json")
    client.patch(path, {"category": "private"}, format="json")
    client.patch(path, {"category": "private"}, format="json")  # no change: nothing recorded
    client.patch(path, {**BUSINESS, "purpose": "Return of parts"}, format="json")
    history = api(alice).get(f"{path}/history").json()
    assert [(h["before"]["category"], h["after"]["category"]) for h in history] == [
        ("unclassified", "business"),
        ("business", "private"),
        ("private", "business"),
    ]
    assert history[0]["before"]["purpose"] == "" and history[0]["after"]["purpose"] == "Delivery of parts"
    assert history[2]["after"]["purpose"] == "Return of parts"
    assert {h["changed_by"] for h in history} == {"Dora Dahl"}
    assert api(dora).get(f"/api/v1/trips/{trips['dan'].pk}/history").status_code == 404


# --- privacy ---------------------------------------------------------------------------------------
def test_a_private_trip_shows_no_places_but_to_its_driver(api, dora, fred, trips):
    trip = trips["dora"]
    api(dora).patch(f"/api/v1/trips/{trip.pk}", {"category": "private"}, format="json")
    mine = api(dora).get(f"/api/v1/trips/{trip.pk}").json()
    assert mine["start"]["place"] == "Copenhagen" and mine["end"]["place"] == "Odense"
    theirs = api(fred).get(f"/api/v1/trips/{trip.pk}").json()
    assert theirs["start"] is None and theirs["end"] is None
    assert theirs["category"] == "private" and theirs["distance_km"] == 10.0
    assert theirs["started_at"] and theirs["ended_at"]
    listed = next(r for r in api(fred).get("/api/v1/trips").json()["results"] if r["id"] == trip.pk)
    assert listed["start"] is None and "Copenhagen" not in str(listed)


def test_the_positions_of_a_private_trip_are_hidden_but_from_its_driver(api, dora, fred, van, drive):
    from .conftest import WEEKEND

    trip = drive(van, WEEKEND, minutes=20)
    window = {
        "since": (WEEKEND - datetime.timedelta(hours=1)).isoformat(),
        "until": (WEEKEND + datetime.timedelta(hours=1)).isoformat(),
    }
    path = f"/api/v1/vehicles/{van.vin}/positions"
    during = Reading.objects.filter(vehicle=van, at__gte=trip.started_at, at__lte=trip.ended_at).count()
    assert during >= 3
    everything = len(api(fred).get(path, window).json()["results"])
    api(dora).patch(f"/api/v1/trips/{trip.pk}", {"category": "private"}, format="json")
    seen_by_manager = api(fred).get(path, window).json()["results"]
    assert len(seen_by_manager) == everything - during
    assert all(
        not (trip.started_at.isoformat() <= p["at"] <= trip.ended_at.isoformat()) for p in seen_by_manager
    )
    assert len(api(dora).get(path, window).json()["results"]) == everything


def test_the_trips_page_is_what_the_serializer_gives(api, fred, trips):
    """GET /trips formats its rows itself (trips.api.trip_list_data): the same JSON as
    TripSerializer, key order included (trips with and without a driver)."""
    from trips.api import TripSerializer, trip_body

    body = api(fred).get("/api/v1/trips").json()["results"]
    now = timezone.now()
    page = Trip.objects.filter(pk__in=[row["id"] for row in body]).select_related(
        "vehicle", "driver__membership"
    )
    by_id = {trip.pk: trip for trip in page}
    expected = [
        dict(r)
        for r in TripSerializer([trip_body(by_id[row["id"]], fred.pk, now) for row in body], many=True).data
    ]
    assert body == expected and [list(row) for row in body] == [list(row) for row in expected]
    assert {row["driver"] is None for row in body} == {True, False}
