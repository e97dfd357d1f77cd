"""Private mode (issue 18): outside working hours a driver stops the recording of positions; the
company sets its working hours. Managers see that private mode was on, never where."""

import datetime

import pytest
import time_machine

from telematics.models import Reading, VehicleState
from trips.models import PrivateModePeriod, Trip, WorkingHours

from .conftest import WEEKEND, WORKDAY

HOURS = [["07:00", "16:00"]] * 5 + [["09:00", "12:00"], None]


def switch(api, user, active: bool, at):
    with time_machine.travel(at, tick=False):
        return api(user).post("/api/v1/me/private-mode", {"active": active}, format="json")


# --- working hours ---------------------------------------------------------------------------------
def test_an_admin_sets_the_working_hours(api, alice, company):
    response = api(alice).put("/api/v1/company/working-hours", {"days": HOURS}, format="json")
    assert response.status_code == 200
    assert response.json()["days"] == HOURS and response.json()["time_zone"] == "Europe/Copenhagen"
    assert WorkingHours.objects.get(company=company).days == HOURS


def test_others_read_the_working_hours_but_cannot_set_them(api, fred, dora, oscar, company):
    for user in (fred, dora):
        assert api(user).get("/api/v1/company/working-hours").json()["days"][0] == ["08:00", "17:00"]
        assert (
            api(user).put("/api/v1/company/working-hours", {"days": HOURS}, format="json").status_code == 403
        )
    api(oscar).put("/api/v1/company/working-hours", {"days": HOURS}, format="json")
    assert not WorkingHours.objects.filter(company=company).exists()


@pytest.mark.parametrize(
    "days",
    [HOURS[:6], [["17:00", "08:00"]] * 7, [["8h", "17h"]] * 7, "weekdays", [["08:00"]] * 7, None],
)
def test_it_refuses_bad_working_hours(api, alice, days):
    response = api(alice).put("/api/v1/company/working-hours", {"days": days}, format="json")
    assert response.status_code == 400
    assert not WorkingHours.objects.exists()


def test_the_admin_page_sets_the_working_hours(login, alice, company):
    data = {f"start_{i}": "07:30" for i in range(5)} | {f"end_{i}": "15:30" for i in range(5)}
    response = login(alice).post("/trips/working-hours/", data)
    assert response.status_code == 302
    assert WorkingHours.objects.get(company=company).days == [["07:30", "15:30"]] * 5 + [None, None]
    bad = login(alice).post("/trips/working-hours/", {"start_0": "18:00", "end_0": "08:00"})
    assert bad.status_code == 400 and "must end after it starts" in bad.content.decode()
    assert login(alice).get("/trips/working-hours/").status_code == 200


def test_drivers_and_fleet_managers_get_no_working_hours_page(login, dora, fred):
    assert login(dora).get("/trips/working-hours/").status_code == 403
    assert (
        login(fred).post("/trips/working-hours/", {"start_0": "07:00", "end_0": "08:00"}).status_code == 403
    )


# --- private mode ----------------------------------------------------------------------------------
def test_a_driver_switches_private_mode_on_outside_working_hours(api, dora, van):
    response = switch(api, dora, True, WEEKEND)
    assert response.status_code == 200
    body = response.json()
    assert body["active"] is True and body["vehicle"] == van.vin
    # Saturday 22:00 in Copenhagen: it ends on Monday at 08:00 local time, 07:00 UTC.
    assert body["until"] == "2026-11-23T07:00:00Z"
    assert switch(api, dora, False, WEEKEND + datetime.timedelta(hours=1)).json()["active"] is False


def test_private_mode_is_refused_during_working_hours(api, dora, van):
    response = switch(api, dora, True, WORKDAY)
    assert response.status_code == 409 and response.json()["code"] == "working_hours"
    assert not PrivateModePeriod.objects.exists()


def test_private_mode_needs_a_van(api, fred):
    response = switch(api, fred, True, WEEKEND)
    assert response.status_code == 409 and response.json()["code"] == "no_vehicle"


def test_private_mode_leaves_no_position_rows(api, dora, fred, van, drive):
    drive(van, WEEKEND - datetime.timedelta(hours=2))  # an ordinary trip: a trail of readings
    before = Reading.objects.filter(vehicle=van).count()
    parked = VehicleState.objects.get(vehicle=van)
    assert switch(api, dora, True, WEEKEND - datetime.timedelta(minutes=30)).status_code == 200
    trip = drive(van, WEEKEND, km=30, odometer=10_100.0, lat=55.0, lon=11.0, to=(56.15, 10.2))
    assert Reading.objects.filter(vehicle=van).count() == before  # not one row while it was on
    state = VehicleState.objects.get(vehicle=van)
    assert (state.lat, state.lon) == (parked.lat, parked.lon)  # where it was before, not where it is
    assert state.odometer_km == 10_130.0  # the distance still counts, for the logbook
    assert trip.private_mode is True and trip.distance_km == 30.0
    assert (trip.start_lat, trip.end_lat, trip.start_place, trip.end_place) == (None, None, "", "")
    with time_machine.travel(WEEKEND + datetime.timedelta(minutes=25), tick=False):
        status = api(fred).get(f"/api/v1/vehicles/{van.vin}/status").json()
        fleet = api(fred).get("/api/v1/fleet/status").json()["results"]
    assert status["position"] is None and status["odometer_km"] == 10_130.0
    assert fleet[0]["position"] is None
    # Off again: positions are recorded again.
    switch(api, dora, False, WEEKEND + datetime.timedelta(minutes=40))
    drive(van, WEEKEND + datetime.timedelta(hours=1), odometer=10_130.0)
    assert Reading.objects.filter(vehicle=van).count() > before


def test_managers_see_that_private_mode_was_on_never_where(login, api, dora, fred, van, drive):
    switch(api, dora, True, WEEKEND - datetime.timedelta(minutes=30))
    drive(van, WEEKEND, km=30, lat=55.0, lon=11.0, to=(56.15, 10.2))
    trip = Trip.objects.get(vehicle=van)
    body = api(fred).get(f"/api/v1/trips/{trip.pk}").json()
    assert body["private_mode"] is True and body["start"] is None and body["distance_km"] == 30.0
    page = login(fred).get(f"/vehicles/{van.vin}/").content.decode()
    assert "Private mode from" in page and "Aarhus" not in page


def test_the_portal_toggle_switches_private_mode(login, dora, van):
    client = login(dora)
    with time_machine.travel(WEEKEND, tick=False):
        assert "Switch private mode on" in client.get("/trips/private-mode/").content.decode()
        response = client.post("/trips/private-mode/", {"active": "on", "next": f"/vehicles/{van.vin}/"})
        assert response.status_code == 302 and response.url == f"/vehicles/{van.vin}/"
        assert PrivateModePeriod.objects.filter(driver=dora, ended_at__isnull=True).count() == 1
        assert "Private mode is on since" in client.get("/trips/private-mode/").content.decode()
        client.post("/trips/private-mode/", {"active": "off"})
    assert PrivateModePeriod.objects.get().ended_at == WEEKEND
    with time_machine.travel(WORKDAY, tick=False):
        client.post("/trips/private-mode/", {"active": "on"})
    assert PrivateModePeriod.objects.count() == 1
