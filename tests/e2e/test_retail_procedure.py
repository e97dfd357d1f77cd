"""The dealer training deck's whole validation procedure, in Chromium, on the Retail site:

log in with the dealer ID → select a company by name + postal code + city → confirm identity →
verify the company → verify its administrator by passport → verify a VIN → the customer's waiting
subscription becomes active (activation runs in-process here).

And acting for the customer: support password → support session (with its countdown) → add a van
(the VIN field upper-cases what is typed) → buy a pack for it → end the session."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from companies.models import AuditEvent, TermsAcceptance
from packs.catalogue import seed_catalogue
from packs.models import Order, Pack, Subscription
from retail.models import SupportSession
from tests import factories as f
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIN = "W1V9076331P300001"


@pytest.fixture
def waiting(company, alice):
    """ACME, its administrator and its van, all unverified, with a pack bought and waiting."""
    seed_catalogue()
    van = f.VehicleFactory(company=company, vin=VIN, nickname="Blue van")
    order = f.OrderFactory(company=company, pack=Pack.objects.get(code="connect-complete"))
    return f.SubscriptionFactory(order=order, vehicle=van)


def test_it_walks_the_validation_procedure_and_the_subscription_becomes_active(
    page, sam, company, alice, waiting
):
    # Log in with the dealer ID on the dealer site's own login.
    page.goto("/retail/")
    expect(page.get_by_text("Retail · dealer site")).to_be_visible()
    page.get_by_label("Dealer ID").fill("d5sam001")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Sam")).to_be_visible()

    # Select a company, by the three fields the customer typed.
    page.locator("main").get_by_role("link", name="Select a company").click()
    page.get_by_text("PRO ID unknown?").click()
    page.get_by_label("Company name").fill("acme transport aps")
    page.get_by_label("Postal code").fill("8000")
    page.get_by_label("City").fill("AARHUS")
    page.locator("#pro-id-unknown").get_by_role("button", name="Search").click()
    result = page.locator(".retail-results li")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("PRO-ACMEXX")
    expect(result.locator(".unverified")).to_have_text("Not verified")
    result.get_by_role("link", name="ACME Transport ApS").click()

    # Confirm identity.
    expect(page.get_by_role("heading", name="Confirm identity")).to_be_visible()
    page.get_by_label(re.compile("I checked who they are")).check()
    page.get_by_role("button", name="Confirm and open the company").click()

    # The profile: account not verified, three tiles. Verify the company.
    expect(page.locator(".retail-account-state")).to_contain_text("Account not verified")
    page.locator(".tiles").get_by_role("link", name=re.compile("^Company")).click()
    page.get_by_role("button", name="Verify the company").click()
    expect(page.get_by_text("The company is verified.")).to_be_visible()
    expect(page.locator(".retail-account-state")).to_have_count(0)

    # Verify the administrator by passport.
    page.locator(".tiles").get_by_role("link", name=re.compile("^Users")).click()
    page.get_by_role("link", name="Alice Andersen").click()
    expect(page.get_by_text("17/05/1985")).to_be_visible()
    page.get_by_role("link", name="Verify").click()
    page.get_by_label("Passport").check()
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("Alice Andersen is verified.")).to_be_visible()

    # Find the van by VIN and verify it: the registration document was checked.
    page.locator(".retail-tabs").get_by_role("link", name="Vehicles").click()
    page.get_by_label("VIN").fill(VIN.lower())
    page.locator("form.filters").get_by_role("button", name="Search").click()
    page.get_by_role("link", name=VIN).click()
    expect(page.locator("[data-status]")).to_have_text("Waiting for dealer verification")
    page.get_by_role("button", name="Registration document checked: verify").click()
    expect(page.get_by_text(f"Vehicle {VIN} is verified.")).to_be_visible()

    # The customer's waiting subscription is active now.
    expect(page.locator("[data-status]")).to_have_text("Active")
    waiting.refresh_from_db()
    assert waiting.status == "active"
    assert Subscription.objects.get(pk=waiting.pk).activated_at is not None


NEW_VIN = "W1V9076331P300123"
SUPPORT_PASSWORD = "blue-van-42"


def _log_in_and_open(page, company):
    page.goto("/retail/login/")
    page.get_by_label("Dealer ID").fill("D5SAM001")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Sam")).to_be_visible()
    page.goto(f"/retail/companies/{company.pro_id}/")
    page.get_by_label(re.compile("I checked who they are")).check()
    page.get_by_role("button", name="Confirm and open the company").click()
    expect(page.locator(".retail-company-head")).to_contain_text(company.pro_id)


def test_it_acts_for_the_customer_in_a_support_session(page, sam, company, alice):
    seed_catalogue()
    alice.set_support_password(SUPPORT_PASSWORD)
    alice.save()
    TermsAcceptance.objects.create(user=alice, document="pack_terms", version=settings.PACK_TERMS_VERSION)
    _log_in_and_open(page, company)

    # Ask for the support password: a wrong one is refused, the right one opens the session.
    page.get_by_role("link", name="Act for the customer (support password)").click()
    page.get_by_label("Support password").fill("a-wrong-guess")
    page.get_by_role("button", name="Open the support session").click()
    expect(page.get_by_text("That is not the support password")).to_be_visible()
    page.get_by_label("Support password").fill(SUPPORT_PASSWORD)
    page.get_by_role("button", name="Open the support session").click()
    expect(page.get_by_text("Support session opened.")).to_be_visible()
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^(59|60) minutes left$"))

    # Add a van: the VIN is typed in lower case and shown upper-cased as it is typed.
    page.locator(".tiles").get_by_role("link", name=re.compile("^Add a vehicle")).click()
    page.get_by_label("VIN").press_sequentially(NEW_VIN.lower())
    expect(page.get_by_label("VIN")).to_have_value(NEW_VIN)
    page.get_by_label("Nickname").fill("Red van")
    page.get_by_role("button", name="Add the vehicle").click()
    expect(page.get_by_text(f"Vehicle {NEW_VIN} added to the fleet.")).to_be_visible()

    # Buy a pack for it.
    page.get_by_role("link", name="Buy a pack for the customer").click()
    page.get_by_label("Pack").select_option("connect-complete")
    page.get_by_label(re.compile(NEW_VIN)).check()
    page.get_by_role("button", name="Review the order").click()
    expect(page.locator("#order-review [data-role=total]")).to_contain_text("1,870.00")
    expect(page.locator(f"tr[data-vin={NEW_VIN}]")).to_contain_text("nothing yet")
    page.get_by_role("button", name="Confirm the order").click()
    expect(page.get_by_text(re.compile(r"Order MP-\w{4}-\w{4} placed: 1 subscription\."))).to_be_visible()
    page.get_by_role("link", name=NEW_VIN).click()
    expect(page.locator("[data-status]")).to_have_text("Waiting for dealer verification")

    # Everything was done under the support session, in the customer's history.
    session = SupportSession.objects.get(staff=sam, company=company)
    order = Order.objects.get(company=company)
    assert order.placed_by == sam.user
    assert Subscription.objects.get(order=order).vehicle.vin == NEW_VIN
    for action in ("vehicle.added", "order.placed"):
        event = AuditEvent.objects.get(company=company, action=action)
        assert event.acting_under == f"support session #{session.pk}", action

    # End the session: acting for the customer needs the password again.
    page.locator(".retail-tabs").get_by_role("link", name="Support session").click()
    page.get_by_role("button", name="End the support session").click()
    expect(page.get_by_text("Support session ended.")).to_be_visible()
    page.goto(f"/retail/companies/{company.pro_id}/support/vehicles/add/")
    expect(page.get_by_role("heading", name="Open a support session")).to_be_visible()


def test_what_was_typed_before_the_script_ran_is_upper_cased_when_it_runs(page, sam):
    """On a slow connection the staff member may type before retail.js has run: the PRO ID they
    typed is upper-cased as soon as it does (in CI, under load, the VIN stayed in lower case)."""
    page.goto("/retail/")
    page.get_by_label("Dealer ID").fill("d5sam001")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Sam")).to_be_visible()

    held = []
    page.route("**/js/retail*.js", lambda route: held.append(route))
    page.locator("main").get_by_role("link", name="Select a company").click()
    page.get_by_label("PRO ID").press_sequentially("pro-acmexx")
    expect(page.get_by_label("PRO ID")).to_have_value("pro-acmexx")  # no script yet
    assert held
    held[0].continue_()
    expect(page.get_by_label("PRO ID")).to_have_value("PRO-ACMEXX")
