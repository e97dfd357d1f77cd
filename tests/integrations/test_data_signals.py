"""The data interface's signals: a van's readings by level, gated by the live data-interface
service, paged oldest first since a given time; and the latest state in the vehicle list."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from integrations.models import DataClientUsage
from telematics.models import Reading, VehicleState
from users.models import ApiToken

from .conftest import van_with

pytestmark = pytest.mark.django_db

VIN = "W1V9076331P300001"
EXTENDED_ONLY = {"doors_locked", "doors_closed", "windows_closed", "bonnet_closed", "plug", "cabin_temp_c"}


def report(vehicle, **fields):
    """The van's latest state, as ingest leaves it."""
    now = timezone.now()
    defaults = {"reported_at": now, "received_at": now, "odometer_km": 1200.0, "lat": 55.68, "lon": 12.57}
    return VehicleState.objects.create(vehicle=vehicle, company=vehicle.company, **{**defaults, **fields})


def readings(vehicle, count, start=None, step=datetime.timedelta(minutes=5)):
    start = start or timezone.now() - datetime.timedelta(hours=2)
    Reading.objects.bulk_create(
        Reading(
            vehicle=vehicle,
            company=vehicle.company,
            at=start + n * step,
            lat=55.0 + n / 1000,
            lon=12.0,
            odometer_km=1000.0 + n,
            fuel_percent=80.0 - n / 10,
        )
        for n in range(count)
    )


def signals(bearer, vin=VIN, **params):
    return bearer.get(f"/api/v1/data/vehicles/{vin}/signals", params)


# --- levels --------------------------------------------------------------------------------------
def test_the_light_level_gives_position_odometer_and_fuel_but_no_doors(bearer, company, catalogue):
    van = van_with(company, catalogue, VIN, "data-interface-light")
    report(van, doors_locked=False, cabin_temp_c=21.0)
    readings(van, 3)
    response = signals(bearer)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["level"] == "light"
    assert [r["odometer_km"] for r in body["results"]] == [1000.0, 1001.0, 1002.0]
    assert {"at", "lat", "lon", "fuel_percent", "battery_percent"} <= set(body["results"][0])
    assert body["state"]["odometer_km"] == 1200.0 and not EXTENDED_ONLY & set(body["state"])


def test_the_extended_level_adds_doors_windows_bonnet_plug_temperatures_and_service(
    bearer, company, catalogue
):
    van = van_with(company, catalogue, VIN, "data-interface-extended")
    report(van, doors_locked=False, bonnet_closed=False, outside_temp_c=4.0, service_due_days=12)
    readings(van, 1)
    body = signals(bearer).json()
    assert body["level"] == "extended"
    state = body["state"]
    assert state["doors_locked"] is False and state["bonnet_closed"] is False
    assert state["outside_temp_c"] == 4.0 and state["service_due_days"] == 12
    assert state["plug"] is None  # a combustion van has no plug
    assert len(body["results"]) == 1


def test_a_van_that_never_reported_has_no_state_and_no_signals(bearer, company, catalogue):
    van_with(company, catalogue, VIN, "data-interface-light")
    body = signals(bearer).json()
    assert body["results"] == [] and body["state"] is None


def test_the_vehicle_list_carries_the_latest_state_by_level(bearer, company, catalogue):
    light = van_with(company, catalogue, VIN, "data-interface-light")
    extended = van_with(company, catalogue, "W1V9076331P300002", "data-interface-extended")
    van_with(company, catalogue, "W1V9076331P300003", "data-interface-extended")  # never reported
    report(light, fuel_percent=40.0)
    report(extended, windows_closed=False)
    rows = {v["vin"]: v for v in bearer.get("/api/v1/data/vehicles").json()["results"]}
    assert rows[light.vin]["state"]["fuel_percent"] == 40.0
    assert not EXTENDED_ONLY & set(rows[light.vin]["state"])
    assert rows[extended.vin]["state"]["windows_closed"] is False
    assert rows["W1V9076331P300003"]["state"] is None


# --- gating --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "pack_code, status", [(None, None), ("connect-complete", "active"), ("data-interface-light", "cancelled")]
)
def test_a_van_without_a_live_data_interface_is_refused(bearer, company, catalogue, pack_code, status):
    van = van_with(company, catalogue, VIN, pack_code, status=status or "active")
    readings(van, 2)
    response = signals(bearer)
    assert response.status_code == 409
    assert response.json()["code"] == "service_not_active"
    assert response.json()["service"] == "data-interface-light"


def test_another_companys_van_is_a_404(bearer, other_company, catalogue):
    van = van_with(other_company, catalogue, VIN, "data-interface-extended")
    readings(van, 2)
    response = signals(bearer)
    assert response.status_code == 404 and "results" not in response.json()
    assert signals(bearer, vin="W1V9076331P399999").status_code == 404


def test_a_persons_token_or_session_gets_403(api, alice, company, catalogue):
    van_with(company, catalogue, VIN, "data-interface-extended")
    _token, secret = ApiToken.issue(user=alice, name="script")
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert by_token.get(f"/api/v1/data/vehicles/{VIN}/signals").status_code == 403
    assert api(alice).get(f"/api/v1/data/vehicles/{VIN}/signals").status_code == 403
    assert not DataClientUsage.objects.exists()


def test_anonymous_callers_get_401(anon_api):
    assert anon_api.get(f"/api/v1/data/vehicles/{VIN}/signals").status_code == 401


def test_signal_calls_are_counted(bearer, data_client, company, catalogue):
    van_with(company, catalogue, VIN, "data-interface-light")
    signals(bearer)
    signals(bearer, since="not-a-time")
    client, _secret = data_client
    assert DataClientUsage.objects.get(client=client).calls == 2


# --- paging and time window ----------------------------------------------------------------------
def test_it_pages_oldest_first_with_a_cursor(bearer, company, catalogue):
    van = van_with(company, catalogue, VIN, "data-interface-light")
    readings(van, 5)
    first = signals(bearer, page_size=2).json()
    assert [r["odometer_km"] for r in first["results"]] == [1000.0, 1001.0]
    second = bearer.get(first["next"]).json()
    assert [r["odometer_km"] for r in second["results"]] == [1002.0, 1003.0]
    third = bearer.get(second["next"]).json()
    assert [r["odometer_km"] for r in third["results"]] == [1004.0] and third["next"] is None


def test_it_starts_at_since_and_defaults_to_the_last_24_hours(bearer, company, catalogue):
    van = van_with(company, catalogue, VIN, "data-interface-light")
    start = timezone.now() - datetime.timedelta(hours=30)
    readings(van, 4, start=start, step=datetime.timedelta(hours=10))  # -30 h, -20 h, -10 h, now
    default = signals(bearer).json()["results"]
    assert [r["odometer_km"] for r in default] == [1001.0, 1002.0, 1003.0]
    since = (start - datetime.timedelta(minutes=1)).isoformat()
    assert len(signals(bearer, since=since).json()["results"]) == 4
    since = (start + datetime.timedelta(hours=15)).isoformat()
    assert [r["odometer_km"] for r in signals(bearer, since=since).json()["results"]] == [1002.0, 1003.0]


def test_a_bad_since_is_a_400_with_the_field(bearer, company, catalogue):
    van_with(company, catalogue, VIN, "data-interface-light")
    response = signals(bearer, since="yesterday-ish")
    assert response.status_code == 400 and set(response.json()) == {"since"}


def test_readings_of_the_vans_former_holder_are_left_out(bearer, company, other_company, catalogue):
    van = van_with(company, catalogue, VIN, "data-interface-light")
    readings(van, 2)
    Reading.objects.update(company=other_company)
    assert signals(bearer).json()["results"] == []


def test_signals_cost_the_same_queries_for_many_readings(
    bearer, company, catalogue, django_assert_max_num_queries
):
    van = van_with(company, catalogue, VIN, "data-interface-extended")
    report(van)
    readings(van, 3)
    # 13: one of them reads the private trips' ranges, whose readings a data client never gets.
    with django_assert_max_num_queries(13) as few:
        assert len(signals(bearer).json()["results"]) == 3
    Reading.objects.all().delete()
    readings(van, 60, step=datetime.timedelta(minutes=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(signals(bearer).json()["results"]) == 60


def test_the_vehicle_list_with_states_costs_the_same_queries_for_many_vans(
    bearer, company, catalogue, django_assert_max_num_queries
):
    report(van_with(company, catalogue, VIN, "data-interface-extended"))
    with django_assert_max_num_queries(10) as few:
        bearer.get("/api/v1/data/vehicles")
    for n in range(10):
        report(van_with(company, catalogue, f"W1V9076331P3200{n:02d}", "data-interface-extended"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = bearer.get("/api/v1/data/vehicles").json()["results"]
    assert len(rows) == 11 and all(row["state"] for row in rows)
