"""The FAQ's prerequisites (questions 24 and 25): each condition alone unmet gives exactly its code,
through the real endpoint, and a refused command leaves nothing behind."""

import datetime

import pytest
from django.utils import timezone

from commands.models import Command

from .conftest import set_state

pytestmark = pytest.mark.django_db

CHARGING = [
    ({"plug_inserted": False}, "plug_not_connected"),
    ({"plug_locked": False}, "plug_not_connected"),
    ({"plug_connected": False}, "plug_not_connected"),
    ({"bonnet_closed": False}, "bonnet_open"),
    ({"gear": "N"}, "gear_not_p"),
    ({"rfid_authorised": False}, "rfid_not_authorised"),
]
PRECONDITION = [
    ({"doors_closed": False}, "doors_or_windows_open"),
    ({"windows_closed": False}, "doors_or_windows_open"),
    ({"bonnet_closed": False}, "bonnet_open"),
    ({"gear": "R"}, "gear_not_p"),
    ({"plug_connected": False}, "plug_not_connected"),
    ({"outside_temp_c": 21.0}, "temperature_reached"),
    ({"battery_percent": 15.0}, "battery_too_low"),
]


def send(client, van, **body):
    return client.post(f"/api/v1/vehicles/{van.vin}/commands", body, format="json")


def departure(hours=2):
    return (timezone.now() + datetime.timedelta(hours=hours)).isoformat()


@pytest.mark.parametrize(("broken", "code"), CHARGING)
def test_charging_refuses_with_exactly_the_unmet_code(api, fred, ecell_van, broken, code):
    set_state(ecell_van, **broken)
    response = send(api(fred), ecell_van, kind="charge_start")
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "prerequisites_not_met" and body["unmet"] == [code]
    assert body["reasons"][code]
    assert not Command.objects.exists()


@pytest.mark.parametrize(("broken", "code"), PRECONDITION)
def test_precondition_refuses_with_exactly_the_unmet_code(api, fred, ecell_van, broken, code):
    set_state(ecell_van, **broken)
    response = send(api(fred), ecell_van, kind="precondition", departure_at=departure(), target_temp_c=21)
    assert response.status_code == 409, response.json()
    assert response.json()["unmet"] == [code]
    assert not Command.objects.exists()


def test_precondition_without_departure_time(api, fred, ecell_van):
    response = send(api(fred), ecell_van, kind="precondition", target_temp_c=21)
    assert response.status_code == 409 and response.json()["unmet"] == ["departure_time_missing"]


def test_every_unmet_condition_is_returned(api, fred, ecell_van):
    set_state(ecell_van, bonnet_closed=False, gear="D", rfid_authorised=False, plug_connected=False)
    response = send(api(fred), ecell_van, kind="charge_start")
    assert response.json()["unmet"] == [
        "plug_not_connected",
        "bonnet_open",
        "gear_not_p",
        "rfid_not_authorised",
    ]


def test_reasons_are_translated():
    from django.utils import translation

    from commands.services import PrerequisitesNotMet

    with translation.override("de"):
        error = PrerequisitesNotMet(["bonnet_open"])
    assert error.extra["reasons"]["bonnet_open"] == "Schließen Sie die Motorhaube."


def test_ready_van_charges_with_warnings_not_refusals(api, fred, ecell_van):
    set_state(ecell_van, battery_percent=20.0)
    response = send(api(fred), ecell_van, kind="charge_start", departure_at=departure(hours=1))
    assert response.status_code == 202, response.json()
    command = Command.objects.get()
    assert command.warnings == ["not_enough_time_to_full_charge"]


def test_away_from_the_wallbox_warns_of_reduced_power(api, fred, ecell_van):
    state = ecell_van.state
    set_state(ecell_van, lat=state.lat + 0.1)
    response = send(api(fred), ecell_van, kind="precondition", departure_at=departure(24), target_temp_c=20)
    assert response.status_code == 202, response.json()
    assert response.json()["warnings"] == ["reduced_power_away_from_wallbox"]
