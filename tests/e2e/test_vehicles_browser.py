"""A fleet manager adds a van in Chromium (with the live VIN check) and assigns a driver."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from vehicles.models import DriverAssignment, Vehicle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_it_adds_a_van_and_assigns_a_driver(page, fred, dora, company):
    log_in(page, fred)
    page.goto("/vehicles/add/")
    vin_input = page.locator("input[name=vin]")

    vin_input.press_sequentially("w1v 9076")
    live = page.locator("#vin-live")
    live.get_by_text("of 17 characters").wait_for()

    vin_input.press_sequentially("331o")
    live.get_by_text("I, O or Q").wait_for()

    vin_input.fill("")
    vin_input.press_sequentially("w1v9076331p000555")
    assert vin_input.input_value() == "W1V9076331P000555"  # normalised as typed
    live.get_by_text("Valid VIN").wait_for()
    assert "Sprinter" in live.inner_text()

    page.fill("input[name=licence_plate]", "ab 55 555")
    page.fill("input[name=nickname]", "Browser van")
    page.get_by_role("button", name="Add the van").click()
    page.wait_for_url("**/vehicles/W1V9076331P000555/")
    assert page.get_by_text("was added to your fleet").is_visible()

    page.select_option("select[name=member]", label="Dora Dahl")
    page.get_by_role("button", name="Assign driver").click()
    page.get_by_text("Dora Dahl now drives").wait_for()

    vehicle = Vehicle.objects.get(vin="W1V9076331P000555")
    assert (vehicle.company, vehicle.licence_plate, vehicle.driver) == (company, "AB 55 555", dora)
    assert DriverAssignment.objects.get(vehicle=vehicle).ended_at is None

    page.goto("/vehicles/?search=browser")
    assert page.locator("table.fleet").get_by_text("W1V9076331P000555").is_visible()
    assert page.locator("table.fleet").get_by_text("Dora Dahl").is_visible()


def test_it_follows_an_import_with_a_progress_bar(page, fred, company):
    from vehicles.models import VehicleImport

    vehicle_import = VehicleImport.objects.create(
        company=company,
        created_by=fred,
        file_name="fleet.csv",
        content="vin\nW1V9076331P000556\nBAD\n",
        total=2,
    )
    log_in(page, fred)
    page.goto(f"/vehicles/import/{vehicle_import.pk}/")
    bar = page.locator("#import-progress .progress")
    assert bar.get_attribute("aria-valuenow") == "0"

    # The worker checks the first row, then finishes: the page follows by polling, then reloads.
    VehicleImport.objects.filter(pk=vehicle_import.pk).update(status="running", processed=1)
    # (A locator wait: a wait_for_function string is run with eval, which the page's CSP refuses.)
    expect(bar).to_have_attribute("aria-valuenow", "50")
    from companies.audit import Actor
    from vehicles.imports import vehicle_import_run

    vehicle_import_run(vehicle_import_id=vehicle_import.pk, actor=Actor.customer(fred))
    page.get_by_text("Download the rows with problems").wait_for()
    assert page.locator("table.import-rows").get_by_text("BAD").is_visible()
    assert Vehicle.objects.filter(vin="W1V9076331P000556", company=company).exists()


def test_it_checks_a_csv_file_in_a_dry_run_then_imports_it(page, fred, company, tmp_path):
    csv_file = tmp_path / "fleet.csv"
    csv_file.write_text(
        "vin;licence_plate;nickname\nW1V9076331P000561;AB 61;Harbour\nW1V907633;;too short\n",
        encoding="utf-8",
    )
    log_in(page, fred)
    page.goto("/vehicles/")
    page.get_by_role("link", name="Import a CSV file").click()
    page.set_input_files("input[name=file]", str(csv_file))
    assert page.locator("input[name=dry_run]").is_checked()  # a dry run unless the user says otherwise
    page.get_by_role("button", name="Upload").click()

    page.get_by_role("heading", name="Dry run: fleet.csv").wait_for()
    rows = page.locator("table.import-rows")
    assert rows.locator("tr.ok").get_by_text("W1V9076331P000561").is_visible()
    assert rows.locator("tr.bad").get_by_text("17 characters").is_visible()
    assert not Vehicle.objects.filter(vin="W1V9076331P000561").exists()  # a dry run creates nothing

    page.get_by_role("button", name="Import 1 van now").click()
    page.get_by_role("heading", name="Import: fleet.csv").wait_for()
    assert page.locator("#import-progress").get_by_text("2 of 2 rows checked").is_visible()
    page.get_by_role("link", name="See the fleet").click()
    assert page.locator("table.fleet").get_by_text("W1V9076331P000561").is_visible()
    vehicle = Vehicle.objects.get(vin="W1V9076331P000561")
    assert (vehicle.company, vehicle.licence_plate, vehicle.nickname) == (company, "AB 61", "Harbour")
