"""Portal pages: the fleet map and its marker feed (rights, states, flat query count), alerts,
acknowledging, geofences with form errors, thresholds, the dashboard card and the e-mail opt-in."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Alert, AlertEmailOptIn, AlertKind, Geofence
from companies.models import AuditEvent
from telematics.models import VehicleState
from tests import factories as f
from tests.telematics.conftest import connect

from .test_raising import calm

pytestmark = pytest.mark.django_db


def markers(client) -> dict:
    response = client.get("/fleet/map/markers.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return {van["vin"]: van for van in json.loads(b"".join(response.streaming_content))["vans"]}


@pytest.fixture
def reported(report, live_van, electric_van, logbook_van, other_live_van):
    for van in (live_van, electric_van, logbook_van, other_live_van):
        calm(report, van)
    return live_van, electric_van


def test_the_map_shows_every_live_van_to_managers_and_a_driver_their_own(
    login, alice, fred, dora, oscar, reported, logbook_van, other_live_van
):
    live_van, electric_van = reported
    for user in (alice, fred):
        assert set(markers(login(user))) == {live_van.vin, electric_van.vin}
    assert set(markers(login(dora))) == {live_van.vin}
    assert set(markers(login(oscar))) == {other_live_van.vin}
    page = login(alice).get("/fleet/map/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-markers-url="/fleet/map/markers.json"' in html
    assert "<script>" not in html and "onclick" not in html
    assert 'data-tiles-url="http://127.0.0.1:9/{z}/{x}/{y}.png"' in html  # tests never reach out


def test_markers_carry_state_and_the_list_filters(login, alice, report, reported, settings):
    live_van, electric_van = reported
    report(live_van.vin, fuel_percent=9.0, ignition=True, speed_kmh=50.0, gear="D")
    rows = markers(login(alice))
    assert rows[live_van.vin]["state"] == "alert" and rows[live_van.vin]["low"] is True
    assert rows[electric_van.vin]["state"] == "parked" and rows[electric_van.vin]["low"] is False
    assert rows[live_van.vin]["plate"] == "AC-101" and rows[electric_van.vin]["electric"] is True

    Alert.objects.update(acknowledged_at=timezone.now())
    assert markers(login(alice))[live_van.vin]["state"] == "moving"
    VehicleState.objects.filter(vehicle=electric_van).update(
        reported_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert markers(login(alice))[electric_van.vin]["state"] == "stale"


def test_the_marker_feed_keeps_to_the_maps_view(login, alice, dora, reported):
    live_van, electric_van = reported
    VehicleState.objects.filter(vehicle=live_van).update(lat=48.78, lon=9.18)  # Stuttgart
    VehicleState.objects.filter(vehicle=electric_van).update(lat=55.68, lon=12.57)  # Copenhagen
    client = login(alice)

    def vins(bbox):
        response = client.get("/fleet/map/markers.json", {"bbox": bbox})
        assert response.status_code == 200
        return {van["vin"] for van in json.loads(b"".join(response.streaming_content))["vans"]}

    assert vins("9.0,48.6,9.4,48.9") == {live_van.vin}
    assert vins("12.4,55.6,12.7,55.8") == {electric_van.vin}
    assert vins("-180,-90,180,90") == {live_van.vin, electric_van.vin}
    assert vins("20,10,21,11") == set()
    assert set(markers(client)) == {live_van.vin, electric_van.vin}  # no bbox: the whole fleet
    # A driver's view holds their own van only, whatever the box.
    whole_world = login(dora).get("/fleet/map/markers.json?bbox=-180,-90,180,90")
    assert [van["vin"] for van in json.loads(b"".join(whole_world.streaming_content))["vans"]] == [
        live_van.vin
    ]
    page = client.get("/fleet/map/").content.decode()
    assert 'data-extent="[48.78, 9.18, 55.68, 12.57]"' in page  # where the map starts


@pytest.mark.parametrize(
    "bbox,says",
    [
        ("1,2,3", "Four numbers"),
        ("a,b,c,d", "Four numbers"),
        ("0,95,1,96", "within"),
        ("-181,0,0,1", "within"),
        ("0,nan,1,2", "within"),
    ],
)
def test_a_bad_box_is_a_400_on_the_bbox_field(login, alice, reported, bbox, says):
    response = login(alice).get("/fleet/map/markers.json", {"bbox": bbox})
    assert response.status_code == 400
    assert says in response.json()["bbox"][0]


def test_the_marker_feed_costs_the_same_queries_for_3_or_30_vans(login, alice, company, catalogue, report):
    client = login(alice)

    def add_vans(count):
        for _ in range(count):
            connect(f.VehicleFactory(company=company), catalogue["fleet-management"])
        report()

    def queries():
        client.get("/fleet/map/")  # session and membership warm
        with CaptureQueriesContext(connection) as captured:
            body = markers(client)
        return len(captured), len(body)

    add_vans(3)
    few, shown = queries()
    assert shown == 3
    add_vans(27)
    many, shown = queries()
    assert shown == 30
    assert many == few


def test_the_alert_page_lists_and_acknowledges(login, alice, dora, oscar, report, live_van):
    calm(report, live_van)
    report(live_van.vin, fuel_percent=4.0)
    alert = Alert.objects.get(kind=AlertKind.FUEL_LOW)
    client = login(alice)
    page = client.get("/fleet/alerts/")
    assert page.status_code == 200 and "AC-101" in page.content.decode()
    assert login(dora).get("/fleet/alerts/").status_code == 403
    assert login(oscar).post(f"/fleet/alerts/{alert.pk}/acknowledge/").status_code == 404

    response = client.post(f"/fleet/alerts/{alert.pk}/acknowledge/", {"next": "/dashboard/"})
    assert response.status_code == 302 and response.url == "/dashboard/"
    alert.refresh_from_db()
    assert alert.acknowledged_by == alice
    assert AuditEvent.objects.filter(action="alert.acknowledged", actor=alice).count() == 1
    assert "AC-101" not in client.get("/fleet/alerts/").content.decode()  # open ones by default
    assert "AC-101" in client.get("/fleet/alerts/?status=acknowledged").content.decode()


def test_the_dashboard_shows_open_alerts_to_managers(login, alice, dora, report, live_van):
    calm(report, live_van)
    report(live_van.vin, service_due_days=3)
    html = login(alice).get("/dashboard/").content.decode()
    assert 'id="open-alert-count">1<' in html and "Service due in 3 days" in html
    assert "open-alert-count" not in login(dora).get("/dashboard/").content.decode()


def test_geofence_form_errors_and_creation(login, alice, dora, settings):
    client = login(alice)
    bad = client.post("/fleet/geofences/", {"name": "Yard", "lat": "48.7", "lon": "9.1", "radius_m": "5"})
    assert bad.status_code == 400 and "radius" in bad.content.decode().lower()
    assert not Geofence.objects.exists()
    ok = client.post("/fleet/geofences/", {"name": "Yard", "lat": "48.7", "lon": "9.1", "radius_m": "400"})
    assert ok.status_code == 302 and Geofence.objects.get().radius_m == 400
    settings.ALERTS_MAX_GEOFENCES = 1
    full = client.post("/fleet/geofences/", {"name": "Site", "lat": "48.7", "lon": "9.1", "radius_m": "400"})
    assert full.status_code == 400 and "the most it can have" in full.content.decode()
    assert login(dora).get("/fleet/geofences/").status_code == 403
    geofence = Geofence.objects.get()
    assert client.post(f"/fleet/geofences/{geofence.pk}/delete/").status_code == 302
    assert not Geofence.objects.exists()


def test_a_geofence_is_edited_on_its_page(login, alice, dora, oscar):
    client = login(alice)
    for name in ("Yard", "Depot"):
        client.post("/fleet/geofences/", {"name": name, "lat": "48.7", "lon": "9.1", "radius_m": "400"})
    yard = Geofence.objects.get(name="Yard")
    url = f"/fleet/geofences/{yard.pk}/edit/"
    assert f'href="{url}"' in client.get("/fleet/geofences/").content.decode()
    form = client.get(url)
    assert form.status_code == 200 and 'value="Yard"' in form.content.decode()

    clash = client.post(url, {"name": "depot", "lat": "48.7", "lon": "9.1", "radius_m": "400"})
    assert clash.status_code == 400 and "already" in clash.content.decode()
    small = client.post(url, {"name": "Yard", "lat": "48.7", "lon": "9.1", "radius_m": "5"})
    assert small.status_code == 400 and "radius" in small.content.decode().lower()
    saved = client.post(url, {"name": "Back yard", "lat": "48.71", "lon": "9.12", "radius_m": "800"})
    assert saved.status_code == 302
    yard.refresh_from_db()
    assert (yard.name, yard.lat, yard.lon, yard.radius_m) == ("Back yard", 48.71, 9.12, 800)
    assert login(dora).get(url).status_code == 403
    assert login(oscar).get(url).status_code == 404
    taken = login(oscar).post(url, {"name": "Taken", "lat": "1", "lon": "1", "radius_m": "400"})
    assert taken.status_code == 404
    yard.refresh_from_db()
    assert yard.name == "Back yard"


def test_thresholds_page_saves_and_shows_errors(login, alice, fred):
    client = login(fred)
    values = {
        "fuel_low_percent": "20",
        "battery_low_percent": "25",
        "service_due_days": "10",
        "service_due_km": "800",
    }
    assert client.post("/fleet/alerts/settings/", {**values, "service_due_km": "-3"}).status_code == 400
    assert client.post("/fleet/alerts/settings/", values).status_code == 302
    assert 'value="20"' in login(alice).get("/fleet/alerts/settings/").content.decode()


def test_alert_emails_are_opted_in_on_the_profile_page(login, alice, dora):
    client = login(alice)
    assert "Switch alert e-mails on" in client.get("/account/profile/").content.decode()
    assert client.post("/fleet/alerts/emails/", {"enabled": "1"}).status_code == 302
    assert AlertEmailOptIn.objects.filter(user=alice).exists()
    assert "Switch alert e-mails off" in client.get("/account/profile/").content.decode()
    client.post("/fleet/alerts/emails/", {"enabled": "0"})
    assert not AlertEmailOptIn.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(action="alerts.emails_changed").count() == 2
    assert "alert-emails" not in login(dora).get("/account/profile/").content.decode()
    assert login(dora).post("/fleet/alerts/emails/", {"enabled": "1"}).status_code == 403
