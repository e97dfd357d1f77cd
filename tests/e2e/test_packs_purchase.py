"""Browser test of the purchase flow: pick a pack, select vehicles, review, accept the terms,
confirm, and watch the status change without a reload once the dealer has verified the van."""

import re

import pytest
from playwright.sync_api import expect

from companies.audit import Actor
from packs import services
from packs.catalogue import seed_catalogue
from packs.models import Order
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def test_it_buys_a_pack_and_shows_the_activation_live(page, verified_company, alice):
    seed_catalogue()
    van = f.VehicleFactory(company=verified_company, vin="W1V9076331P400001", nickname="Blue van")
    diesel = f.VehicleFactory(
        company=verified_company, vin="W1V9076331P400002", nickname="Red van", verification_status="verified"
    )
    f.VehicleFactory(company=verified_company, vin="W1V9076331P900003", nickname="Old van")

    log_in(page, alice)
    page.goto("/products/")
    page.locator("#pack-connect-complete").get_by_role("link", name="Buy for vehicles").click()

    # The van without a communication module cannot be ticked, and the page says why.
    old_row = page.locator("tr", has_text="W1V9076331P900003")
    expect(old_row).to_contain_text("communication module")
    expect(old_row.locator("input[type=checkbox]")).to_have_count(0)

    page.check("input[name=vin][value='W1V9076331P400001']")
    page.check("input[name=vin][value='W1V9076331P400002']")
    expect(page.locator("[data-role=selected-count]")).to_contain_text("2")
    page.get_by_role("button", name="Review order").click()

    expect(page.locator("h1")).to_have_text("Review your order")
    expect(page.locator("[data-role=total]")).to_contain_text("3,740.00")

    page.get_by_role("button", name="Confirm order").click()  # terms not accepted yet
    expect(page.locator(".errorlist")).to_contain_text("Accept the service pack terms")
    page.check("input[name=accept_terms]")
    page.get_by_role("button", name="Confirm order").click()

    order = Order.objects.get()
    page.wait_for_url(f"**/products/orders/{order.pk}/")
    subs = {s.vehicle.vin: s for s in order.subscriptions.select_related("vehicle")}
    waiting_row = page.locator(f"tr[data-subscription-id='{subs[van.vin].pk}']")
    active_row = page.locator(f"tr[data-subscription-id='{subs[diesel.vin].pk}']")
    expect(active_row.locator("[data-role=status]")).to_have_text("Active")
    expect(waiting_row.locator("[data-role=status]")).to_have_text("Waiting for dealer verification")
    expect(waiting_row).to_contain_text("has not verified the vehicle W1V9076331P400001")

    # The dealer verifies the van: the page follows without a reload.
    van.verification_status = "verified"
    van.save()
    services.subscriptions_release(company=verified_company, vehicles=[van], actor=Actor.system())
    expect(waiting_row.locator("[data-role=status]")).to_have_text("Active", timeout=20_000)
    expect(waiting_row).not_to_contain_text("has not verified")
