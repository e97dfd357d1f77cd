"""The service-due loop in Chromium, at a desktop (1366 px) and a phone (390 px) width: dealer
staff log in to Retail, see the van in their outlet's service-due queue on the dashboard and
propose an appointment; the fleet manager accepts it on the van's page and sees it listed with
its calendar file. Screenshots go to $MPRO_SHOTS (when set) for a person to look at."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maintenance import services
from maintenance.models import Appointment
from packs.catalogue import seed_catalogue
from packs.models import Pack
from tests import factories as f
from tests.factories import PASSWORD
from tests.maintenance.conftest import set_counters
from tests.telematics.conftest import connect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("MPRO_SHOTS", "")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def due_van(company, fred, dealer):
    seed_catalogue()
    van = f.VehicleFactory(
        company=company,
        vin="W1V9076331P400001",
        licence_plate="MT 40 001",
        nickname="Service van",
        model_family="Sprinter",
        workshop=dealer,
    )
    connect(van, Pack.objects.get(code="maintenance-management"))
    set_counters(van, 12, 9000)
    services.due_items_sync(counters={van.pk: (12, 9000)})
    return van


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_staff_propose_and_the_fleet_manager_accepts(
    _browser, live_server, sam, fred, due_van, width, height
):
    context = _browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/retail/")
        page.get_by_label("Dealer ID").fill("d5sam001")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        queue = page.locator("#service-due-queue")
        row = queue.locator(f'tr[data-vin="{due_van.vin}"]')
        expect(row).to_contain_text("ACME Transport ApS")
        expect(row).to_contain_text("PRO-ACMEXX")
        expect(row).to_contain_text("Sprinter")
        expect(row).to_contain_text("12 days")
        shot(page, f"retail-dashboard-{width}")

        row.get_by_role("link", name="MT 40 001").click()
        day = timezone.localdate() + datetime.timedelta(days=3)
        page.get_by_label("Date").fill(day.isoformat())
        page.get_by_label("Time").fill("08:30")
        page.get_by_label("Note for the customer").fill("Bring the spare key, please.")
        page.get_by_role("button", name="Propose").click()
        expect(page.get_by_text("Appointment proposed.")).to_be_visible()
        expect(page.locator("[data-status=proposed]")).to_have_count(1)
        shot(page, f"retail-proposed-{width}")
        appointment = Appointment.objects.get()
        assert appointment.note == "Bring the spare key, please."
        page.context.clear_cookies()

        page.goto("/accounts/login/")
        page.fill("input[name=login]", fred.email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto("/dashboard/")
        expect(page.locator("#service-due-count")).to_have_text("1")
        shot(page, f"portal-dashboard-{width}")
        page.goto(f"/vehicles/{due_van.vin}/")
        panel = page.locator("#maintenance")
        expect(panel).to_contain_text("Bring the spare key, please.")
        panel.get_by_label("Message to the workshop").fill("See you then.")
        panel.get_by_role("button", name="Accept").click()
        expect(page.get_by_text("You accepted the appointment.")).to_be_visible()
        expect(page.locator(f'#maintenance [data-accepted="{appointment.pk}"]')).to_be_visible()
        expect(
            page.locator("#maintenance").get_by_role("link", name="Add to my calendar (.ics)")
        ).to_be_visible()
        page.locator("#maintenance").scroll_into_view_if_needed()
        shot(page, f"portal-van-accepted-{width}")
        appointment.refresh_from_db()
        assert appointment.status == "accepted" and appointment.answer_message == "See you then."

        page.goto("/vehicles/?sort=service_due")
        expect(page.locator("td [data-level=soon]")).to_have_count(1)
        shot(page, f"portal-overview-{width}")
    finally:
        context.close()
