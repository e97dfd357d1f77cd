"""The van page's status panel: what the van reports when fleet management is live, what to book
otherwise, nothing for a van without a module; stale reports said so; query count flat."""

import datetime

import pytest
from django.utils import timezone

from telematics.models import VehicleState
from telematics.services import reporting_round

pytestmark = pytest.mark.django_db


def page(client, van):
    response = client.get(f"/vehicles/{van.vin}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_status_of_a_reporting_van(login, fred, live_van):
    reporting_round()
    html = page(login(fred), live_van)
    state = VehicleState.objects.get(vehicle=live_van)
    assert "Live status" in html and "Odometer" in html and "Fuel" in html and "Battery" not in html
    assert "Reported" in html and "ago" in html and "Out of date" not in html
    assert f"{state.lat:.5f}" in html
    assert "openstreetmap.org/?mlat=" in html


def test_it_shows_battery_and_plug_on_an_electric_van(login, alice, electric_van):
    reporting_round()
    html = page(login(alice), electric_van)
    assert "Battery" in html and "Charging plug" in html


def test_it_says_when_the_report_is_old(login, alice, live_van, settings):
    reporting_round(now=timezone.now() - datetime.timedelta(minutes=settings.TELEMATICS_STALE_MINUTES + 5))
    assert "Out of date" in page(login(alice), live_van)


def test_it_shows_the_driver_their_own_vans_status(login, dora, live_van):
    reporting_round()
    assert "Odometer" in page(login(dora), live_van)


def test_it_says_what_to_book_without_fleet_management(login, alice, fred, logbook_van, catalogue):
    reporting_round()
    html = page(login(alice), logbook_van)
    assert "Fleet management is not active on this van" in html and "Odometer" not in html
    assert "/products/buy/fleet-management/" in html and "/products/buy/connect-complete/" in html
    assert "/products/buy/" not in page(login(fred), logbook_van)  # fred cannot order: names only


def test_it_says_a_van_without_module_never_reports(login, alice, moduleless_van):
    assert "never reports" in page(login(alice), moduleless_van)


def test_it_waits_for_the_first_report(login, alice, live_van):
    assert "has not reported yet" in page(login(alice), live_van)
