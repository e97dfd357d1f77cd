"""Issue 17 (harden1): the pages this work changed, in Chromium at a laptop and a phone size, with
screenshots under /work/wt/shots/harden1/ to look at: the attestation page without the
administrator's data, the look-up limit's 429 page, a driver's navigation without the Company link
and the login page's lock message."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/wt/shots/harden1")
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)


def log_in(page, email):
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()


def test_pages_of_the_hardening(page, settings, sam, company, alice, dora):
    settings.LOGIN_LOCK_FAILURES = 2
    # A locked customer login.
    for _ in range(2):
        page.goto(reverse("account_login"))
        page.fill("input[name=login]", alice.email)
        page.fill("input[name=password]", "wrong-one")
        page.locator("main form button[type=submit]").last.click()
    log_in(page, alice.email)
    expect(page.get_by_text("Too many failed login attempts")).to_be_visible()
    shoot(page, "login-locked")

    # A driver: no Company link, and /company/ refused.
    page.context.clear_cookies()
    log_in(page, dora.email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.locator("header nav a[href='/company/']")).to_have_count(0)
    shoot(page, "driver-dashboard")

    # Dealer staff: the attestation page shows no administrator data; the look-up limit's page.
    page.context.clear_cookies()
    page.goto("/retail/")
    page.goto("/retail/login/")
    page.fill("input[name=d5_id]", "D5SAM001")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(reverse("retail:attest", args=[company.pro_id]))
    expect(page.get_by_text("Andersen")).to_have_count(0)
    shoot(page, "attest")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "retail_search": "1/min",
        },
    }
    page.goto(reverse("retail:attest", args=["PRO-ZZZZZZ"]))
    response = page.goto(reverse("retail:attest", args=[company.pro_id]))
    assert response.status == 429
    shoot(page, "lookup-limited")
