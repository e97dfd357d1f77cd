"""The driver app in Chromium at phone size (390×844): a driver logs in, opens /app/, picks a free
van, sees its status and the remote functions, accepts a job, classifies a trip, then loses the connection and gets
the offline page from the service worker. And a check at desktop width (1366×900).

Set MPRO_SHOTS=/some/dir to keep screenshots of each step."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from companies.audit import Actor
from jobs import services as job_services
from jobs.models import Job
from tests import factories as f
from tests.commands.conftest import set_state
from tests.e2e.test_layout_a11y import axe_source, inject_axe
from tests.e2e.test_vehicles_browser import log_in
from tests.telematics.conftest import connect
from tests.trips.conftest import make_trip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("MPRO_SHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def world(company, fred, dora):
    from packs.catalogue import seed_catalogue
    from packs.models import Pack

    seed_catalogue()
    van = f.VehicleFactory(
        company=company, vin="W1V9076331P400002", nickname="Harbour van", licence_plate="CD 40 002"
    )
    set_state(
        connect(van, Pack.objects.get(code="connect-complete")),
        battery_percent=None,
        plug_inserted=None,
        fuel_percent=71.0,
        range_km=510.0,
        odometer_km=48211.0,
    )
    job = job_services.job_send(
        company=company,
        actor=Actor.customer(fred),
        driver_member_id=dora.membership.pk,
        title="Deliver the spare parts",
        notes="Back entrance, ring twice.",
        destination="Industrivej 12, Glostrup",
        destination_lat=55.665,
        destination_lon=12.398,
    )
    return {"van": van, "job": job}


def no_overflow(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def axe_problems(page) -> list[str]:
    axe = axe_source()
    if not axe:
        return []
    inject_axe(page, axe)
    return page.evaluate(
        """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))"""
    )


def test_a_driver_picks_a_van_accepts_a_job_and_goes_offline(_browser, live_server, world, dora):
    context = _browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="en-GB",
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, dora)
    page.goto("/app/")
    page.get_by_role("heading", name="No van yet").wait_for()
    shot(page, "01-no-van-390")
    no_overflow(page, 390)
    assert axe_problems(page) == []

    page.get_by_role("button", name="Pick Harbour van").click()
    page.get_by_text("You now drive").wait_for()
    expect(page.get_by_text("71 %")).to_be_visible()
    expect(page.get_by_text("510 km")).to_be_visible()
    assert page.get_by_role("link", name="Open in maps").get_attribute("href").startswith("geo:")
    # The commands app's panel. Its stylesheet is linked in the body, which holds Chromium's parser
    # until it loads: wait for the button instead of asking at once.
    expect(page.get_by_role("button", name="Lock", exact=True)).to_be_visible()
    world["van"].refresh_from_db()
    assert world["van"].driver == dora
    shot(page, "02-my-van-390")
    no_overflow(page, 390)
    assert axe_problems(page) == []

    page.get_by_role("navigation", name="Driver app").get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="Deliver the spare parts").click()
    assert (
        page.get_by_role("link", name="Navigate there")
        .get_attribute("href")
        .startswith("geo:55.665000,12.398000")
    )
    shot(page, "03-job-390")
    assert axe_problems(page) == []
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("Saved: Accepted.").wait_for()
    job = Job.objects.get(pk=world["job"].pk)
    assert job.status == "accepted" and job.accepted_at is not None
    expect(page.get_by_role("button", name="Mark as done")).to_be_visible()
    shot(page, "04-job-accepted-390")
    no_overflow(page, 390)

    # Trips: the van's trip of this morning waits for a category; two taps make it private.
    trip = make_trip(world["van"], dora)
    page.get_by_role("navigation", name="Driver app").get_by_role("link", name="Trips").click()
    page.get_by_text("1 trip still needs a category.").wait_for()
    expect(page.get_by_text("Copenhagen → Odense")).to_be_visible()
    shot(page, "05-trips-390")
    no_overflow(page, 390)
    assert axe_problems(page) == []
    page.get_by_role("button", name="Private").click()
    page.get_by_text("Trip classified.").wait_for()
    assert page.url.endswith("/app/trips/")
    trip.refresh_from_db()
    assert trip.category == "private"
    assert not page.get_by_text("still needs a category").is_visible()

    # The service worker installs, takes control, caches the shell and the offline page.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # a function: no eval (CSP)
    context.set_offline(True)
    page.goto("/app/jobs/")
    page.get_by_role("heading", name="No connection").wait_for()
    assert "Dora" not in page.content()  # the cached offline page names nobody
    shot(page, "06-offline-390")
    no_overflow(page, 390)
    context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    page.get_by_role("heading", name="Harbour van").wait_for()
    context.close()


def test_the_app_reads_well_at_desktop_width(_browser, live_server, world, dora):
    world["van"].driver = dora
    world["van"].save()
    context = _browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, dora)
    for path, name in (("/app/", "my-van"), ("/app/jobs/", "jobs"), ("/app/trips/", "trips")):
        page.goto(path)
        no_overflow(page, 1366)
        tabbar = page.get_by_role("navigation", name="Driver app")
        assert tabbar.is_visible()
        box = tabbar.bounding_box()
        assert box["width"] <= 700  # a column, not a bar across the whole screen
        main = page.locator("main").bounding_box()
        assert main["width"] <= 700
        shot(page, f"06-{name}-1366")
    assert axe_problems(page) == []
    context.close()


def test_a_fleet_manager_sends_a_job_in_the_portal_and_sees_the_answer(
    _browser, live_server, world, fred, dora
):
    context = _browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    log_in(page, fred)
    page.goto("/jobs/new/")
    page.select_option("select[name=driver]", label="Dora Dahl")
    page.fill("input[name=title]", "Fetch the ladder")
    page.fill("input[name=destination]", "Hovedgaden 3, Glostrup")
    page.get_by_role("button", name="Send the job").click()
    page.get_by_text("The job was sent to Dora Dahl.").wait_for()
    shot(page, "07-portal-job-1366")
    job = Job.objects.get(title="Fetch the ladder")
    job_services.job_mark(job=job, status="declined", reason="Van is full", actor=Actor.customer(dora))
    page.goto("/jobs/")
    expect(page.get_by_text("Van is full")).to_be_visible()
    shot(page, "08-portal-jobs-1366")
    assert axe_problems(page) == []
    context.close()
