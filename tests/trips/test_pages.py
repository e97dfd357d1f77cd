"""The Trips page, a trip's page, classifying from the portal, and the van page's trips panel."""

import datetime

import pytest
import time_machine

from trips.models import Trip, TripChange

from .conftest import make_trip


@pytest.fixture
def trips(van, dora, dan):
    return {"dora": make_trip(van, dora), "dan": make_trip(van, dan, category="private", km=42.0)}


def test_managers_filter_the_trips_page_and_see_totals(login, fred, van, trips):
    page = login(fred).get("/trips/", {"category": "private"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dan Dreyer" in html and "private: places not shown" in html
    assert f"/trips/{trips['dora'].pk}/" not in html  # filtered out
    assert "Kilometres per driver and month" in html and "42.0 km" in html
    month = f"{trips['dora'].started_at:%Y-%m}"
    html = login(fred).get("/trips/", {"vehicle": van.vin, "month": month}).content.decode()
    assert f"/trips/{trips['dora'].pk}/" in html and f"/trips/{trips['dan'].pk}/" in html
    bad = login(fred).get("/trips/", {"month": "someday"})
    assert bad.status_code == 200 and "YYYY-MM" in bad.content.decode()


def test_the_trips_page_costs_the_same_queries_for_more_trips(
    login, fred, van, dora, trips, django_assert_max_num_queries
):
    client = login(fred)
    client.get("/trips/")
    for _ in range(15):
        make_trip(van, dora)
    with django_assert_max_num_queries(16):
        assert client.get("/trips/").status_code == 200


def test_a_driver_sees_and_classifies_their_own_trips(login, dora, trips):
    client = login(dora)
    html = client.get("/trips/").content.decode()
    assert "My trips" in html and f'action="/trips/{trips["dora"].pk}/classify/"' in html
    assert f"/trips/{trips['dan'].pk}/" not in html
    response = client.post(
        f"/trips/{trips['dora'].pk}/classify/",
        {"category": "business", "purpose": "Parts", "business_partner": "Hansen", "next": "/trips/"},
    )
    assert response.status_code == 302 and response.url == "/trips/"
    trip = Trip.objects.get(pk=trips["dora"].pk)
    assert (trip.category, trip.purpose, trip.business_partner) == ("business", "Parts", "Hansen")


def test_the_classify_form_shows_what_is_missing(login, dora, trips):
    response = login(dora).post(f"/trips/{trips['dora'].pk}/classify/", {"category": "business"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "A business trip needs its purpose." in html and "business partner" in html
    assert not TripChange.objects.exists()


def test_a_page_refuses_someone_elses_trip(login, dora, fred, oscar, trips):
    assert login(dora).get(f"/trips/{trips['dan'].pk}/").status_code == 404
    assert login(dora).post(f"/trips/{trips['dan'].pk}/classify/", {"category": "private"}).status_code == 404
    assert login(oscar).get(f"/trips/{trips['dora'].pk}/").status_code == 404
    response = login(fred).post(f"/trips/{trips['dora'].pk}/classify/", {"category": "private"})
    assert response.status_code == 403
    assert Trip.objects.get(pk=trips["dora"].pk).category == "unclassified"


def test_a_locked_trip_page_says_so(login, dora, van, settings):
    trip = make_trip(van, dora, started_at=datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC))
    html = login(dora).get(f"/trips/{trip.pk}/").content.decode()
    assert "This trip is locked" in html
    response = login(dora).post(f"/trips/{trip.pk}/classify/", {"category": "private"})
    assert response.status_code == 409 and "locked" in response.content.decode()


def test_a_private_trip_page_hides_its_places_from_managers(login, dora, dan, fred, trips):
    assert "Copenhagen" not in login(fred).get(f"/trips/{trips['dan'].pk}/").content.decode()
    assert "Copenhagen" in login(dan).get(f"/trips/{trips['dan'].pk}/").content.decode()
    assert "Copenhagen" in login(fred).get(f"/trips/{trips['dora'].pk}/").content.decode()


def test_the_van_page_has_a_trips_section(login, fred, dora, van, trips):
    html = login(fred).get(f"/vehicles/{van.vin}/").content.decode()
    assert 'id="trips"' in html and "Monthly logbook" in html and "private: places not shown" in html
    with time_machine.travel(datetime.datetime(2026, 11, 21, 21, 0, tzinfo=datetime.UTC), tick=False):
        mine = login(dora).get(f"/vehicles/{van.vin}/").content.decode()
    assert "Switch private mode on" in mine and "classify" in mine


def test_the_van_page_says_what_to_book_without_the_logbook(login, alice, company, catalogue):
    from tests import factories as f

    vehicle = f.VehicleFactory(company=company, vin="W1V9076331P300055")
    html = login(alice).get(f"/vehicles/{vehicle.vin}/").content.decode()
    assert "The digital logbook is not active on this van" in html
