"""The Content-Security-Policy in Chromium: every page of the portal, the Retail site, the driver
app, the help centre and the API docs is served with the policy, the browser reports no violation
on any of them (no inline script, no `style=` attribute, no foreign source), and what the pages do
with JavaScript still works under it: maps with markers and clusters, geofence drawing, the
confirm-before-submit dialog, the driver app's service worker, Swagger UI's operations.

Violations are caught twice: a `securitypolicyviolation` listener added to every document before
its own scripts run (it reports to the test through an exposed binding), and Chromium's console
errors ("Refused to … because it violates the following Content Security Policy directive")."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from alerts import services as alert_services
from companies.audit import Actor
from helpcentre.models import Article
from jobs import services as job_services
from retail import services as retail_services
from telematics.services import reporting_round
from tests import factories as f
from tests.telematics.conftest import connect
from tests.trips.conftest import make_trip
from vehicles.telematics import get_backend

from .test_vehicles_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALM = {"ignition": False, "speed_kmh": 0.0, "gear": "P", "service_due_days": 200, "service_due_km": 20000}
LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.mproCspViolation(
    location.pathname + ": " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + (event.sourceFile || "?") + ":" + event.lineNumber
  );
});
"""


class Watch:
    """What the browser reported while the test walked the site."""

    def __init__(self, context, origin):
        self.violations: list[str] = []
        self.documents: list[str] = []
        self.origin = origin
        context.expose_binding("mproCspViolation", lambda source, text: self.violations.append(text))
        context.add_init_script(LISTENER)
        context.on("console", self._console)
        context.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def _response(self, response):
        if response.request.resource_type != "document" or not response.url.startswith(self.origin):
            return
        policy = response.headers.get("content-security-policy", "")
        script_src = re.search(r"script-src ([^;]*)", policy)
        if not script_src or script_src.group(1).strip() != "'self'":
            self.documents.append(f"{response.url}: {policy or 'no Content-Security-Policy'}")


@pytest.fixture
def world(company, alice, fred, dora, sam, dealer, other_dealer, catalogue, settings):
    settings.MAP_TILES_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens there
    call_command("helpcentre_sync", stdout=StringIO())
    backend = get_backend()
    vans = []
    for n in range(8):  # around Stuttgart, a few km apart: markers and clusters
        van = connect(
            f.VehicleFactory(company=company, vin=f"W1V9076331P5{n:05d}", licence_plate=f"CSP-{n:02d}"),
            catalogue["connect-complete"],
        )
        backend.set_fields(van.vin, {**CALM, "lat": 48.70 + n * 0.02, "lon": 9.10, "fuel_percent": 70.0})
        vans.append(van)
    assert reporting_round(now=timezone.now()).stored == 8
    vans[0].driver = dora
    vans[0].save(update_fields=["driver"])
    job = job_services.job_send(
        company=company,
        actor=Actor.customer(fred),
        driver_member_id=dora.membership.pk,
        title="Deliver the spare parts",
        notes="Back entrance.",
        destination="Industrivej 12, Glostrup",
        destination_lat=55.665,
        destination_lon=12.398,
    )
    alert_services.geofence_create(
        company=company, actor=Actor.customer(alice), name="Depot", lat=48.7, lon=9.1, radius_m=800
    )
    retail_services.attestation_open(staff=sam, company=company, identity_checked=True)
    return {"vans": vans, "job": job, "trip": make_trip(vans[0], dora)}


@pytest.fixture
def watched(_browser, live_server):
    context = _browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(15_000)
    watch = Watch(context, live_server.url)
    yield context, watch
    context.close()


def visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 500, f"{path}: {response and response.status}"
    page.wait_for_load_state("load")


def test_the_api_docs_render_their_operations_under_the_policy(watched):
    context, watch = watched
    page = context.new_page()
    visit(page, "/api/v1/docs/")
    page.wait_for_load_state("networkidle")  # the schema fetched, or the start-up script refused
    assert watch.documents == []
    assert watch.violations == []
    page.locator(".opblock").first.wait_for()  # Swagger UI started and drew the operations
    assert page.locator(".opblock").count() > 40
    operation = page.locator(".opblock-get").first
    operation.locator(".opblock-summary").click()  # an operation opens
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()  # and calls the API (connect-src)
    operation.locator(".live-responses-table .response-col_status").first.wait_for()
    assert watch.violations == []


def test_the_public_pages_and_the_help_centre_run_under_the_policy(watched, world):
    context, watch = watched
    page = context.new_page()
    for path in ["/", "/help/", "/accounts/login/", "/accounts/signup/", "/no-such-page/"]:
        visit(page, path)
    visit(page, "/help/")
    page.locator(".help-categories a").first.click()
    # An answer, with its copy-link button (the script shows it where the clipboard is available).
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit(page, Article.objects.published().select_related("category").first().get_absolute_url())
    copy = page.locator("button[data-copy]")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("#help-share-link").input_value()
    visit(page, "/dealers/")
    page.wait_for_selector("#dealer-map[data-markers='2']")
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert watch.documents == []
    assert watch.violations == []


def test_a_customer_administrators_pages_run_under_the_policy(watched, world, alice, fred):
    context, watch = watched
    page = context.new_page()
    log_in(page, alice)
    van = world["vans"][1]
    for path in [
        "/dashboard/",
        "/vehicles/",
        f"/vehicles/{van.vin}/",
        "/trips/",
        f"/trips/{world['trip'].pk}/",
        "/jobs/",
        f"/jobs/{world['job'].pk}/",
        "/jobs/new/",
        "/fleet/alerts/",
        "/products/",
        "/products/buy/connect-complete/",
        "/company/",
    ]:
        visit(page, path)

    visit(page, "/fleet/map/")
    page.wait_for_selector("#fleetmap[data-loaded='1']")
    page.locator(".leaflet-marker-icon").first.wait_for()  # markers or clusters drawn
    assert page.locator("#fleetmap").get_attribute("data-shown") == "8"

    visit(page, "/fleet/geofences/")
    page.locator("path.geofence-circle").first.wait_for()  # the saved circle
    page.locator("#geofence-map").click(position={"x": 200, "y": 150})  # place a new centre
    assert page.locator("#geofence-form [name=lat]").input_value() != ""
    page.locator("path.geofence-preview").wait_for()  # the preview circle follows

    visit(page, "/company/members/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button").first.click()
    assert asked == ["Remove this user from the company?"]
    assert page.url.endswith("/company/members/")  # dismissed: nothing was posted
    assert page.get_by_text("Fred Frost").first.is_visible()

    assert watch.documents == []
    assert watch.violations == []


def test_dealer_staff_pages_run_under_the_policy(watched, world, company):
    context, watch = watched
    page = context.new_page()
    visit(page, "/retail/login/")
    page.fill("input[name=d5_id]", "D5SAM001")
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    for path in [
        "/retail/",
        f"/retail/companies/{company.pro_id}/",
        f"/retail/companies/{company.pro_id}/vehicles/",
        f"/retail/vehicles/?vin={world['vans'][2].vin}",
    ]:
        visit(page, path)
    assert watch.documents == []
    assert watch.violations == []


def test_the_driver_app_and_its_service_worker_run_under_the_policy(watched, world, dora):
    context, watch = watched
    page = context.new_page()
    log_in(page, dora)
    for path in ["/app/", "/app/jobs/", f"/app/jobs/{world['job'].pk}/", "/app/trips/"]:
        visit(page, path)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert watch.documents == []
    assert watch.violations == []
