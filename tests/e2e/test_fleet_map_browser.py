"""The fleet map in Chromium at desktop and phone width, with the tile server unreachable (how
tests run, and how the map must behave on a closed network): markers on a plain background, the
list beside them, and its filters narrowing the markers."""

import pytest
from django.utils import timezone

from telematics.services import reporting_round
from tests import factories as f
from tests.telematics.conftest import connect
from vehicles.telematics import get_backend

from .test_vehicles_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALM = {"ignition": False, "speed_kmh": 0.0, "gear": "P", "service_due_days": 200, "service_due_km": 20000}


@pytest.fixture
def fleet(company, catalogue, settings):
    settings.MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens there
    backend = get_backend()
    vans = []
    for n in range(12):
        van = connect(
            f.VehicleFactory(company=company, vin=f"W1V9076331P4{n:05d}", licence_plate=f"MAP-{n:02d}"),
            catalogue["fleet-management"],
        )
        # Around Stuttgart, a few km apart; every fourth van nearly out of fuel.
        backend.set_fields(
            van.vin,
            {
                **CALM,
                "lat": 48.70 + n * 0.02,
                "lon": 9.10 + (n % 4) * 0.05,
                "fuel_percent": 8.0 if n % 4 == 0 else 70.0,
            },
        )
        vans.append(van)
    outcome = reporting_round(now=timezone.now())
    assert outcome.stored == 12
    return vans


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_the_fleet_map_shows_and_filters_the_vans(page, fred, fleet, width, height):
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, fred)
    page.goto("/fleet/map/")
    root = page.locator("#fleetmap")
    page.wait_for_selector("#fleetmap[data-loaded='1']")
    assert root.get_attribute("data-shown") == "12"
    page.locator(".leaflet-marker-icon").first.wait_for()  # markers (or clusters) on the map
    assert page.locator(".leaflet-tile-loaded").count() == 0  # no tile ever arrived

    panel = page.locator("details.fleetmap-panel")
    if width < 700:
        assert panel.get_attribute("open") is None  # the list starts collapsed on a phone
        page.locator("details.fleetmap-panel summary").click()
    assert page.locator("[data-van-list] li").count() == 12

    page.get_by_label("Low fuel or battery").check()
    page.wait_for_selector("#fleetmap[data-shown='3']")
    assert page.locator("[data-van-list] li").count() == 3

    page.get_by_label("Low fuel or battery").uncheck()
    page.get_by_label("Plate, VIN or name").fill("map-05")
    page.wait_for_selector("#fleetmap[data-shown='1']")
    assert page.locator("[data-van-list] li").all_inner_texts()[0].strip().startswith("MAP-05")
    marker = page.locator(".van-marker")
    assert marker.count() == 1 and marker.is_visible()  # one van left: a marker, not a cluster
    assert page.locator(".map").bounding_box()["width"] > width * 0.5


def test_the_fleet_map_asks_for_its_views_markers_again_when_panned_or_zoomed(page, fred, fleet):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, fred)
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "markers.json" in request.url else None)
    page.goto("/fleet/map/")
    page.wait_for_selector("#fleetmap[data-loaded='1'][data-shown='12']")
    assert asked and all("bbox=" in url for url in asked)  # the view's box, never the whole fleet
    before = len(asked)

    # Drag the map three screens east: the vans leave the view, and the list beside it empties.
    box = page.locator("#fleet-map").bounding_box()
    middle = box["y"] + box["height"] / 2
    for _ in range(3):
        page.mouse.move(box["x"] + box["width"] - 20, middle)
        page.mouse.down()
        page.mouse.move(box["x"] + 20, middle, steps=8)
        page.mouse.up()
    page.wait_for_selector("#fleetmap[data-shown='0']")
    assert page.locator("[data-van-list] li").count() == 0
    assert len(asked) > before

    # Zoom out, a step at a time (each answered by a fetch), until Stuttgart is in view again:
    # the vans come back, map and list.
    for _ in range(8):
        fetches = page.locator("#fleetmap").get_attribute("data-fetches")
        page.locator(".leaflet-control-zoom-out").click()
        page.wait_for_function(
            "n => { const r = document.getElementById('fleetmap');"
            " return r.dataset.fetches !== n && r.dataset.loading === '0'; }",
            arg=fetches,
        )
        if page.locator("#fleetmap").get_attribute("data-shown") == "12":
            break
    assert page.locator("#fleetmap").get_attribute("data-shown") == "12"
    assert page.locator("[data-van-list] li").count() == 12


def test_the_dealer_finder_shows_the_dealers_on_the_same_map(page, dealer, other_dealer, settings):
    settings.MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/dealers/")
    page.wait_for_selector("#dealer-map[data-markers='2']")
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".help-dealers tbody tr").count() == 2
