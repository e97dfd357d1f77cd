import pytest
from django.utils import timezone

from alerts import services
from companies.audit import Actor
from telematics.services import reporting_round
from tests import factories as f
from tests.telematics.conftest import connect
from vehicles.telematics import get_backend

from .test_vehicles_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = "/work/wt/shots/fleetmap"


def test_shots(page, alice, company, catalogue, settings):
    settings.MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    backend = get_backend()
    for n in range(40):
        van = connect(
            f.VehicleFactory(company=company, vin=f"W1V9076331P5{n:05d}", licence_plate=f"S-MP {n:03d}"),
            catalogue["fleet-management"],
        )
        backend.set_fields(
            van.vin,
            {
                "ignition": n % 3 == 0,
                "speed_kmh": 40.0 if n % 3 == 0 else 0.0,
                "gear": "D" if n % 3 == 0 else "P",
                "lat": 48.70 + (n % 8) * 0.03,
                "lon": 9.05 + (n // 8) * 0.06,
                "fuel_percent": 8.0 if n % 7 == 0 else 70.0,
                "service_due_days": 200,
                "service_due_km": 20000,
            },
        )
    services.geofence_create(
        company=company,
        name="Depot Vaihingen",
        lat=48.73,
        lon=9.11,
        radius_m=2500,
        actor=Actor.customer(alice),
    )
    reporting_round(now=timezone.now())
    log_in(page, alice)
    for w, h in [(1366, 900), (390, 844)]:
        page.set_viewport_size({"width": w, "height": h})
        page.goto("/fleet/map/")
        page.wait_for_selector("#fleetmap[data-loaded='1']")
        page.wait_for_timeout(800)
        page.screenshot(path=f"{OUT}/map-{w}.png", full_page=True)
        for path, name in [
            ("/fleet/geofences/", "geofences"),
            ("/fleet/alerts/", "alerts"),
            ("/dashboard/", "dashboard"),
            ("/account/profile/", "profile"),
            ("/fleet/alerts/settings/", "settings"),
        ]:
            page.goto(path)
            page.wait_for_timeout(500)
            page.screenshot(path=f"{OUT}/{name}-{w}.png", full_page=True)
