"""Every page of the portal and the Retail site fits a phone (390 px) and a laptop (1366 px) without
horizontal scrolling, and the key pages of the portal, the Retail site and the help centre have no
serious or critical accessibility violation according to axe-core.

axe-core comes from the npm registry (package.json, installed by `make install`/`make test` into
node_modules/); it is injected into the page by the test and never served by the site. On CI a missing
axe-core is a failure, elsewhere the axe checks skip with the reason."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "mpro-demo-2026"
NO_MODULE_VIN = "W1V9076331P912008"
WIDTHS = [(390, 844), (1366, 900)]

PUBLIC = [
    "/",
    "/help/",
    "/help/search/?q=vin",
    "/dealers/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
]
PORTAL = [
    "/dashboard/",
    "/vehicles/",
    f"/vehicles/{NO_MODULE_VIN}/",
    "/vehicles/add/",
    "/vehicles/import/",
    "/vehicles/workshops/",
    f"/vehicles/{NO_MODULE_VIN}/edit/",
    f"/vehicles/{NO_MODULE_VIN}/remove/",
    "/products/",
    "/products/buy/connect-complete/",
    "/products/orders/",
    "/products/subscriptions/",
    "/products/billing/",
    "/company/",
    "/company/edit/",
    "/company/members/",
    "/company/members/invite/",
    "/company/activity/",
    "/jobs/",
    "/jobs/new/",
    "/company/terms/",
    "/account/profile/",
    "/account/support-password/",
    "/account/tokens/",
    "/fleet/map/",
    "/fleet/alerts/",
    "/fleet/alerts/settings/",
    "/fleet/geofences/",
]
RETAIL = [
    "/retail/",
    "/retail/companies/",
    "/retail/register/",
    "/retail/knowledge/",
    "/retail/companies/PRO-DEMOVN/",
    "/retail/companies/PRO-DEMOVN/company/",
    "/retail/companies/PRO-DEMOVN/users/",
    "/retail/companies/PRO-DEMOVN/vehicles/",
    f"/retail/companies/PRO-DEMOVN/vehicles/{NO_MODULE_VIN}/",
    "/retail/companies/PRO-DEMOVN/support/",
    "/retail/companies/PRO-DEMOVN/vehicles/transfer/",
]
# Where axe runs: the key pages of each site (all of them at 390 px would double the suite's time).
AXE_PAGES = {
    "/",
    "/help/",
    "/help/search/?q=vin",
    "/dealers/",
    "/accounts/login/",
    "/accounts/signup/",
    "/no-such-page/",
    "/dashboard/",
    "/vehicles/",
    f"/vehicles/{NO_MODULE_VIN}/",
    "/vehicles/add/",
    "/products/",
    "/products/buy/connect-complete/",
    "/products/subscriptions/",
    "/company/",
    "/company/members/",
    "/company/activity/",
    "/account/tokens/",
    "/fleet/map/",
    "/fleet/geofences/",
    "/retail/",
    "/retail/companies/",
    "/retail/companies/PRO-DEMOVN/",
    "/retail/companies/PRO-DEMOVN/users/",
    "/retail/companies/PRO-DEMOVN/vehicles/",
    "/retail/companies/PRO-DEMOVN/support/",
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))


def axe_source() -> str | None:
    if AXE.exists():
        return AXE.read_text()
    if os.environ.get("CI"):
        pytest.fail(f"axe-core is missing at {AXE}: `make install` installs it with npm")
    return None


def inject_axe(page, axe: str) -> None:
    """axe-core into the page from the test (the Content-Security-Policy refuses an inline script
    tag, as it should; Playwright's evaluate runs outside the page's policy)."""
    page.evaluate(axe)


def audit(page, path: str, width: int, axe: str | None) -> list[str]:
    """The problems of one page: horizontal overflow, and axe's serious or critical violations."""
    response = page.goto(path)
    assert response is not None and response.status < 500, f"{path}: {response and response.status}"
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{path} at {width}px is {scroll_width}px wide")
    if axe and path in AXE_PAGES:
        inject_axe(page, axe)
        violations = page.evaluate(
            """() => axe.run(document, {resultTypes: ['violations']}).then(result => result.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))"""
        )
        problems += [f"{path} at {width}px: {violation}" for violation in violations]
    return problems


def new_page(browser, live_server, width, height):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.mark.parametrize("width,height", WIDTHS)
def test_it_fits_every_portal_page_and_passes_axe(_browser, live_server, demo, width, height):
    axe = axe_source()
    context, page = new_page(_browser, live_server, width, height)
    problems = []
    for path in PUBLIC:
        problems += audit(page, path, width, axe)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "admin@demo.mpro.example")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in PORTAL:
        problems += audit(page, path, width, axe)
    context.close()
    assert problems == []


@pytest.mark.parametrize("width,height", WIDTHS)
def test_it_fits_every_retail_page_and_passes_axe(_browser, live_server, demo, width, height):
    axe = axe_source()
    context, page = new_page(_browser, live_server, width, height)
    page.goto("/retail/login/")
    page.fill("input[name=d5_id]", "D5DEMO01")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    # Open the demo company: confirm the customer's identity, then a support session.
    page.goto("/retail/companies/PRO-DEMOVN/attest/")
    page.locator("input[name=identity_checked]").check()
    page.locator("main form button[type=submit]").click()
    page.goto("/retail/companies/PRO-DEMOVN/support/")
    page.locator("input[name=support_password]").fill("demo-support")
    page.locator("main form button[type=submit]").first.click()
    problems = []
    for path in RETAIL:
        problems += audit(page, path, width, axe)
    context.close()
    assert problems == []


def test_it_opens_and_closes_the_phone_menu(_browser, live_server, demo):
    context, page = new_page(_browser, live_server, 390, 844)
    page.goto("/help/")
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Log in").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Log in").is_visible()
    page.keyboard.press("Escape")
    assert not page.get_by_role("link", name="Log in").is_visible()
    context.close()


@pytest.mark.parametrize("language", ["de", "da", "fr"])
def test_the_retail_header_fits_a_laptop_in_every_language(_browser, live_server, sam, language):
    """German's longer links wrapped nowhere and pushed "Abmelden" off a 1366 px screen."""
    from tests.factories import PASSWORD as STAFF_PASSWORD

    sam.user.language = language
    sam.user.save(update_fields=["language"])
    context, page = new_page(_browser, live_server, 1366, 900)
    page.goto("/retail/login/")
    page.fill("input[name=d5_id]", sam.d5_id)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    assert page.locator("html").get_attribute("lang") == language
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    context.close()


def test_a_stacked_cards_names_never_run_into_the_next_line_in_french(_browser, live_server, demo):
    """On a phone each table row is a card of "name: value" lines. A name that wraps to two lines
    ("Plaque d'immatriculation", "Entretien à prévoir") ran over the next line's name while its
    value took one line: each line is now at least as tall as its name."""
    from users.models import User

    User.objects.filter(email="admin@demo.mpro.example").update(language="fr")
    context, page = new_page(_browser, live_server, 390, 844)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "admin@demo.mpro.example")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in ("/vehicles/", "/products/subscriptions/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "fr"
        cells = page.evaluate(
            """() => Array.from(document.querySelectorAll('table.stackable td[data-label]')).map(td => {
                 const name = getComputedStyle(td, '::before');
                 return {label: td.dataset.label, name: parseFloat(name.height), cell: td.getBoundingClientRect().height};
               }).filter(c => !isNaN(c.name))"""
        )
        assert cells, path
        if path == "/vehicles/":
            assert any(c["name"] > 30 for c in cells)  # "Plaque d'immatriculation" takes two lines
        assert [c for c in cells if c["name"] > c["cell"]] == [], path
    context.close()
