"""The driver app's screens through the test client: My van (status, pick / release), Jobs
(answer them), Trips, and the PWA's manifest, service worker and offline page."""

import json

import pytest

from companies.audit import Actor
from jobs import services as job_services
from jobs.models import Job
from tests.commands.conftest import set_state
from tests.telematics.conftest import connect
from vehicles.models import DriverAssignment


@pytest.fixture
def catalogue(db):
    from packs.catalogue import seed_catalogue
    from packs.models import Pack

    seed_catalogue()
    return {pack.code: pack for pack in Pack.objects.prefetch_related("services")}


def _job(fred, driver, **extra):
    return job_services.job_send(
        company=driver.membership.company,
        actor=Actor.customer(fred),
        driver_member_id=driver.membership.pk,
        title=extra.pop("title", "Collect the tyres"),
        **extra,
    )


# --- My van -----------------------------------------------------------------------------------
def test_it_offers_free_vans_to_a_driver_without_one(login, dora, van, dora_van):
    dora_van.driver = None
    dora_van.save()
    page = login(dora).get("/app/").content.decode()
    assert "No van yet" in page and "Pick a free van" in page
    assert f"/app/take/{van.vin}/" in page and f"/app/take/{dora_van.vin}/" in page


def test_it_lets_a_driver_pick_and_release_a_van(login, dora, van):
    client = login(dora)
    response = client.post(f"/app/take/{van.vin}/")
    assert response.status_code == 302 and response.url == "/app/"
    van.refresh_from_db()
    assert van.driver == dora
    page = client.get("/app/").content.decode()
    assert van.vin in page and "Release the van" in page
    client.post("/app/release/")
    van.refresh_from_db()
    assert van.driver is None and DriverAssignment.objects.get(vehicle=van).ended_at is not None


def test_it_refuses_a_van_someone_else_drives(login, dan, dora_van):
    client = login(dan)
    client.post(f"/app/take/{dora_van.vin}/")
    dora_van.refresh_from_db()
    assert dora_van.driver.email == "dora@acme.example"


def test_it_answers_404_for_another_companys_van(login, dora, other_van):
    assert login(dora).post(f"/app/take/{other_van.vin}/").status_code == 404
    other_van.refresh_from_db()
    assert other_van.driver is None


def test_it_lets_managers_open_the_app_but_not_pick_vans(login, fred, van):
    client = login(fred)
    page = client.get("/app/").content.decode()
    assert "You drive no van" in page and "/app/take/" not in page
    client.post(f"/app/take/{van.vin}/")
    van.refresh_from_db()
    assert van.driver is None


def test_it_shows_the_vans_status_with_a_geo_link(login, dora, dora_van, catalogue):
    set_state(
        connect(dora_van, catalogue["connect-complete"]),
        fuel_percent=64.0,
        range_km=420.0,
        battery_percent=None,
        doors_locked=True,
        odometer_km=12345.0,
    )
    page = login(dora).get("/app/").content.decode()
    assert "64 %" in page and "420 km" in page and "12,345 km" in page and "Locked" in page
    assert 'href="geo:' in page
    assert "Parked" in page
    assert "data-van-actions" in page  # the remote functions' panel of the commands app
    from driverapp.places import nearest_town
    from telematics.models import VehicleState

    state = VehicleState.objects.get(vehicle=dora_van)
    assert nearest_town(state.lat, state.lon).name in page


def test_my_van_shows_the_vans_open_alerts_and_no_other_vans(login, dora, dora_van, van, catalogue):
    from django.utils import timezone

    from alerts.models import Alert, AlertKind

    for vehicle in (dora_van, van):
        set_state(connect(vehicle, catalogue["connect-complete"]), fuel_percent=64.0, battery_percent=None)
    now = timezone.now()
    mine = {"company": dora_van.company, "vehicle": dora_van, "raised_at": now}
    Alert.objects.create(**mine, kind=AlertKind.FUEL_LOW, value=7.0)
    Alert.objects.create(**mine, kind=AlertKind.SERVICE_DUE, value=3, acknowledged_at=now)  # seen
    Alert.objects.create(**mine, kind=AlertKind.MOVED_IGNITION_OFF, value=20, cleared_at=now)  # over
    Alert.objects.create(company=van.company, vehicle=van, raised_at=now, kind=AlertKind.BATTERY_LOW, value=4)
    page = login(dora).get("/app/").content.decode()
    assert "Open alerts" in page and "Fuel at 7 %" in page
    assert "Service due in 3 days" not in page and "km/h with the ignition off" not in page
    assert "Battery at 4 %" not in page  # another van's
    assert "/acknowledge" not in page  # a driver reads them; the fleet manager acknowledges


def test_it_says_when_fleet_management_is_not_booked(login, dora, dora_van):
    page = login(dora).get("/app/").content.decode()
    assert "not booked" in page and "data-van-actions" not in page


# --- Jobs -------------------------------------------------------------------------------------
def test_it_lists_the_drivers_jobs_and_answers_them(login, fred, dora):
    job = _job(fred, dora, destination="Industrivej 5", destination_lat=55.67, destination_lon=12.41)
    client = login(dora)
    page = client.get("/app/jobs/").content.decode()
    assert "Collect the tyres" in page and "New" in page
    detail = client.get(f"/app/jobs/{job.pk}/").content.decode()
    assert 'href="geo:55.670000,12.410000?q=Industrivej%205"' in detail
    for status in ("read", "accepted", "done"):
        assert client.post(f"/app/jobs/{job.pk}/status/", {"status": status}).status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.read_at and job.accepted_at and job.done_at
    finished = client.get("/app/jobs/").content.decode()
    assert "Finished" in finished


def test_it_declines_with_a_reason(login, fred, dora):
    job = _job(fred, dora)
    client = login(dora)
    page = client.post(f"/app/jobs/{job.pk}/status/", {"status": "declined"}, follow=True).content.decode()
    assert "Say why you decline" in page
    client.post(f"/app/jobs/{job.pk}/status/", {"status": "declined", "reason": "Sick today"})
    job.refresh_from_db()
    assert (job.status, job.decline_reason) == ("declined", "Sick today")


def test_it_refuses_a_transition_with_a_message(login, fred, dora):
    job = _job(fred, dora)
    page = login(dora).post(f"/app/jobs/{job.pk}/status/", {"status": "done"}, follow=True).content.decode()
    assert "cannot become done" in page
    job.refresh_from_db()
    assert job.status == "sent"


def test_it_hides_other_drivers_jobs(login, fred, dora, dan, oscar):
    job = _job(fred, dora)
    for person in (dan, fred, oscar):
        client = login(person)
        assert client.get(f"/app/jobs/{job.pk}/").status_code == 404
        assert client.post(f"/app/jobs/{job.pk}/status/", {"status": "read"}).status_code == 404
    assert "Collect the tyres" not in login(dan).get("/app/jobs/").content.decode()
    assert Job.objects.get().status == "sent"


def test_it_counts_open_jobs_on_my_van(login, fred, dora):
    _job(fred, dora)
    _job(fred, dora, title="Second")
    assert "2 open jobs" in login(dora).get("/app/").content.decode()


def test_the_trips_tab_lists_the_drivers_own_trips_and_classifies_one_in_two_taps(login, dora, dan, dora_van):
    from tests.trips.conftest import make_trip
    from trips.models import Trip, TripChange

    mine = make_trip(dora_van, dora)
    done = make_trip(dora_van, dora, category="private")
    theirs = make_trip(dora_van, dan)
    client = login(dora)
    page = client.get("/app/trips/").content.decode()
    assert 'aria-current="page"' in page and "1 trip still needs a category." in page
    assert page.count('<li class="app-card app-trip') == 2 and f"/trips/{theirs.pk}/classify/" not in page
    assert f"/trips/{mine.pk}/classify/" in page and f"/trips/{done.pk}/classify/" in page
    answer = client.post(f"/trips/{mine.pk}/classify/", {"category": "private", "next": "/app/trips/"})
    assert answer.status_code == 302 and answer.url == "/app/trips/"
    assert (
        Trip.objects.get(pk=mine.pk).category == "private" and TripChange.objects.filter(trip=mine).exists()
    )
    assert "still needs a category" not in client.get("/app/trips/").content.decode()


def test_the_trips_tab_says_when_there_is_nothing_yet(login, dora):
    page = login(dora).get("/app/trips/").content.decode()
    assert "No trips yet." in page


# --- the PWA ----------------------------------------------------------------------------------
def test_it_serves_a_manifest_with_png_icons(client):
    response = client.get("/app/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/app/" and manifest["scope"] == "/app/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        from django.contrib.staticfiles import finders

        path = finders.find(icon["src"].removeprefix("/static/"))
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_it_serves_the_service_worker_at_the_apps_scope(client):
    response = client.get("/app/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/app/"
    source = response.content.decode()
    assert "__SHELL__" not in source and "/static/driverapp/app.css" in source and '"/app/offline/"' in source


def test_it_serves_an_offline_page_without_personal_data(login, dora):
    page = login(dora).get("/app/offline/").content.decode()
    assert "No connection" in page and "Dora" not in page


def test_it_has_no_inline_script(login, dora, fred):
    _job(fred, dora)
    client = login(dora)
    for url in ("/app/", "/app/jobs/", f"/app/jobs/{Job.objects.get().pk}/", "/app/trips/", "/app/offline/"):
        page = client.get(url).content.decode()
        assert "<script>" not in page and " onclick=" not in page
        assert "<script src=" in page


def test_it_links_the_portal_hints_to_the_app(login, dora, van):
    page = login(dora).get("/vehicles/").content.decode()
    assert 'href="/app/"' in page
