"""The logbook in Chromium: a driver classifies a trip at phone width (390×844), a fleet manager
filters the Trips page at desktop width (1366). Screenshots go to TRIPS_SHOTS when it is set."""

import datetime
import os
from pathlib import Path

import pytest

from tests.factories import VehicleFactory
from tests.trips.conftest import make_trip
from trips.models import Trip, TripChange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("TRIPS_SHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def log_in(page, user):
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def fleet(company, dora, fred):
    van = VehicleFactory(company=company, vin="W1V9076331P400001", nickname="City van", driver=dora)
    other = VehicleFactory(company=company, vin="W1V9076331P400002", nickname="Long hauler")
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=5)
    return {
        "open": make_trip(van, dora, started_at=start),
        "done": make_trip(van, dora, started_at=start - datetime.timedelta(days=1), category="private"),
        "other": make_trip(
            other,
            fred,
            started_at=start - datetime.timedelta(hours=2),
            km=55.0,
            category="business",
            purpose="Fair",
            business_partner="Messe",
        ),
    }


def test_a_driver_classifies_a_trip_at_phone_width(page, dora, fleet):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, dora)
    page.goto("/trips/")
    rows = page.locator("tr.classify-row")
    assert rows.count() == 2
    shot(page, "driver-trips-390")
    form = page.locator(f'form[action="/trips/{fleet["open"].pk}/classify/"]')
    # A business trip without its purpose: the page says what is missing, nothing is saved.
    form.get_by_role("button", name="Business").click()
    page.get_by_text("A business trip needs its purpose.").wait_for()
    assert not TripChange.objects.exists()
    shot(page, "driver-classify-error-390")
    page.fill("input[name=purpose]", "Delivery of parts")
    page.fill("input[name=business_partner]", "Hansen A/S")
    page.get_by_role("button", name="Business").click()
    page.get_by_text("Trip classified.").wait_for()
    trip = Trip.objects.get(pk=fleet["open"].pk)
    assert (trip.category, trip.purpose, trip.business_partner) == (
        "business",
        "Delivery of parts",
        "Hansen A/S",
    )
    # The second trip in one tap: private.
    page.locator(f'form[action="/trips/{fleet["done"].pk}/classify/"]').get_by_role(
        "button", name="Private"
    ).click()
    page.get_by_text("Trip classified.").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    shot(page, "driver-classified-390")
    page.goto("/vehicles/W1V9076331P400001/")
    page.locator("#trips").get_by_text("Monthly logbook").wait_for()
    shot(page, "driver-van-page-390")


def test_a_manager_filters_the_trips_page(page, fred, fleet):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, fred)
    page.goto("/trips/")
    assert page.locator("table.trips tr.trip").count() == 3
    assert page.get_by_text("Kilometres per driver and month").is_visible()
    shot(page, "manager-trips-1366")
    page.select_option("select[name=vehicle]", label="Long hauler")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/trips/?*vehicle=W1V9076331P400002*")
    assert page.locator("table.trips tr.trip").count() == 1
    assert page.locator("table.trips").get_by_text("Messe").count() == 0  # the partner is on the trip page
    page.select_option("select[name=vehicle]", value="")
    page.select_option("select[name=category]", value="private")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**category=private*")
    assert page.locator("table.trips tr.trip").count() == 1
    assert page.locator("table.trips").get_by_text("private: places not shown").is_visible()
    assert page.locator("body").get_by_text("Copenhagen").count() == 0
    shot(page, "manager-trips-filtered-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "manager-trips-filtered-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/vehicles/W1V9076331P400001/")
    assert page.locator("#trips").get_by_text("private: places not shown").is_visible()
    shot(page, "manager-van-page-1366")
