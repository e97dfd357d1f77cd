"""In Chromium at 1366 and 390 px: the header's VIN search finds a van of any company (its PRO ID
and states, the rest behind the identity confirmation), the dealer buys a pack for the customer
through the review step, and "leave this company" closes the company again. No page overflows
the viewport, and axe-core finds nothing serious. With SHOTS_DIR set, each step is saved there."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from companies.models import AuditEvent, TermsAcceptance
from packs.catalogue import seed_catalogue
from packs.models import Order, Pack
from retail.models import Attestation, SupportSession
from tests import factories as f
from tests.factories import PASSWORD

from .test_layout_a11y import axe_source, inject_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUPPORT_PASSWORD = "blue-van-42"
VIN = "W1V9076331P300077"
HELD_VIN = "W1V9076331P300078"


def _check(page, width: int, name: str, axe: str | None) -> None:
    shots = os.environ.get("SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} at {width}px is {scroll_width}px wide"
    if axe:
        inject_axe(page, axe)
        violations = page.evaluate(
            """() => axe.run(document, {resultTypes: ['violations']}).then(result => result.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id))"""
        )
        assert violations == [], (name, width, violations)


def _open_menu(page) -> None:
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_vin_search_review_step_and_leaving(_browser, live_server, sam, company, alice, width, height):
    seed_catalogue()
    alice.set_support_password(SUPPORT_PASSWORD)
    alice.save()
    TermsAcceptance.objects.create(user=alice, document="pack_terms", version=settings.PACK_TERMS_VERSION)
    held = f.VehicleFactory(company=company, vin=HELD_VIN, nickname="Grey van")
    f.SubscriptionFactory(
        order__company=company,
        order__pack=Pack.objects.get(code="fleet-management"),
        vehicle=held,
        status="active",
    )
    f.VehicleFactory(company=company, vin=VIN, nickname="Blue van")
    axe = axe_source()
    context = _browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/retail/login/")
        page.get_by_label("Dealer ID").fill("D5SAM001")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Welcome, Sam")).to_be_visible()
        _check(page, width, "dashboard", axe)

        # 1. The header's VIN search, across the network.
        _open_menu(page)
        page.locator(".retail-vin-find summary").click()
        page.locator("#header-vin").fill(VIN.lower())
        page.locator(".retail-vin-find").get_by_role("button", name="Find").click()
        result = page.locator(f".retail-results li[data-vin={VIN}]")
        expect(result).to_contain_text(company.pro_id)
        expect(result).to_contain_text("Account not verified")
        _check(page, width, "vin-search", axe)
        result.get_by_role("link", name=re.compile("Open the vehicle")).click()
        expect(page.get_by_role("heading", name="Confirm identity")).to_be_visible()
        page.get_by_label(re.compile("I checked who they are")).check()
        page.get_by_role("button", name="Confirm and open the company").click()
        expect(page.locator("main")).to_contain_text(VIN)

        # 5. Buy a pack for two vans through the review step.
        page.get_by_role("link", name="Act for the customer (support password)").click()
        page.get_by_label("Support password").fill(SUPPORT_PASSWORD)
        page.get_by_role("button", name="Open the support session").click()
        page.get_by_role("link", name=re.compile("^Buy a pack")).click()
        page.locator("select[name=pack]").select_option("connect-complete")
        page.get_by_label(re.compile(VIN)).check()
        page.get_by_label(re.compile(HELD_VIN)).check()
        _check(page, width, "order-form", axe)
        page.get_by_role("button", name="Review the order").click()
        expect(page.locator("#order-review [data-role=total]")).to_contain_text("3,740.00")
        expect(page.locator(f"tr[data-vin={HELD_VIN}]")).to_contain_text("Fleet management")
        expect(page.locator(f"tr[data-vin={VIN}]")).to_contain_text("nothing yet")
        _check(page, width, "order-review", axe)
        page.get_by_role("button", name="Confirm the order").click()
        expect(
            page.get_by_text(re.compile(r"Order MP-\w{4}-\w{4} placed: 2 subscriptions\."))
        ).to_be_visible()
        assert str(Order.objects.get(company=company, pack__code="connect-complete").total) == "3740.00"

        # 2. Leave the company: both windows end at once.
        page.goto(f"/retail/companies/{company.pro_id}/")
        _check(page, width, "company-profile", axe)
        page.get_by_role("button", name="Leave this company").click()
        expect(page.get_by_text(re.compile("You left ACME Transport ApS"))).to_be_visible()
        assert not Attestation.objects.open_for(staff=sam, company=company).exists()
        assert not SupportSession.objects.open_for(staff=sam, company=company).exists()
        assert AuditEvent.objects.filter(company=company, action="retail.company_left").exists()
        page.goto(f"/retail/companies/{company.pro_id}/")
        expect(page.get_by_role("heading", name="Confirm identity")).to_be_visible()
    except Exception:
        shots = os.environ.get("SHOTS_DIR")
        if shots:
            page.screenshot(path=f"{shots}/failure-{width}.png", full_page=True)
        raise
    finally:
        context.close()
