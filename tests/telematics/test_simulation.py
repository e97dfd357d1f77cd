"""The emulator's physics: deterministic per VIN and time, odometer monotonic, fuel and battery
falling only while driving, electric vans charging at their base, overrides and manual trips."""

import datetime

import pytest

from vehicles.telematics import simulation as sim
from vehicles.telematics.towns import home_of, town_centre

HOME = (55.676, 12.568)
MONDAY = datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)


def day_of(vin, *, electric=False, step_min=5, start=MONDAY, days=1, **kwargs):
    return [
        sim.simulate(
            vin, electric=electric, home=HOME, at=start + datetime.timedelta(minutes=m), scale=1.0, **kwargs
        )
        for m in range(0, days * 24 * 60, step_min)
    ]


def test_it_computes_the_same_report_for_the_same_van_and_time():
    at = MONDAY + datetime.timedelta(hours=9, minutes=17)
    first = sim.simulate("W1V9076331P300001", electric=False, home=HOME, at=at, scale=1.0)
    again = sim.simulate("W1V9076331P300001", electric=False, home=HOME, at=at, scale=1.0)
    other = sim.simulate("W1V9076331P300002", electric=False, home=HOME, at=at, scale=1.0)
    assert first == again
    assert first.odometer_km != other.odometer_km


@pytest.mark.parametrize("electric", [False, True])
def test_it_never_runs_the_odometer_back_and_drives_on_working_days(electric):
    reports = day_of("W1V9076331P300007", electric=electric, days=7)
    odometers = [r.odometer_km for r in reports]
    assert odometers == sorted(odometers)
    assert any(r.ignition for r in reports)
    assert sum(r.ignition for r in reports) < len(reports) / 4  # parked most of the time
    weekend = [r for r in reports if r.at.weekday() >= 5]
    assert weekend and not any(r.ignition for r in weekend)


def test_it_burns_fuel_only_while_driving():
    reports = day_of("W1V9076331P300011", days=5)
    for before, after in zip(reports, reports[1:], strict=False):
        if after.fuel_percent < before.fuel_percent:
            assert after.odometer_km > before.odometer_km
        if after.odometer_km == before.odometer_km:
            assert after.fuel_percent == before.fuel_percent


def test_it_drains_the_battery_while_driving_and_charges_it_plugged_in_at_base():
    reports = day_of("W1V9106731P300012", electric=True, days=5, step_min=2)
    drained = charged = False
    for before, after in zip(reports, reports[1:], strict=False):
        if after.battery_percent < before.battery_percent:
            drained = True
            assert after.odometer_km > before.odometer_km
        if after.battery_percent > before.battery_percent:
            charged = True
            assert after.plug_connected and not after.ignition
            assert after.charging or after.battery_percent == 100
    assert drained and charged
    assert all(r.plug_connected is False for r in reports if r.ignition)
    assert all(r.fuel_percent is None for r in reports)


def test_it_stays_near_the_base_and_reports_sane_values():
    for r in day_of("W1V9076331P300013", days=2, step_min=10):
        assert abs(r.lat - HOME[0]) < 0.5 and abs(r.lon - HOME[1]) < 0.8
        assert r.gear == ("D" if r.ignition else "P")
        assert 0 <= r.fuel_percent <= 100
        assert r.service_due_km <= sim.SERVICE_INTERVAL_KM
        assert -40 < r.outside_temp_c < 45


def test_it_accelerates_time_for_demos():
    at = MONDAY + datetime.timedelta(hours=1)
    slow = sim.simulate("W1V9076331P300001", electric=False, home=HOME, at=at, scale=1.0)
    fast = sim.simulate("W1V9076331P300001", electric=False, home=HOME, at=at, scale=60.0)
    assert fast.odometer_km > slow.odometer_km


def test_it_adds_a_manual_trip_to_the_odometer_and_shows_it_driving():
    start = MONDAY.replace(hour=3)  # night: the routine has the van parked
    trips = [{"start": start.timestamp(), "km": 20.0, "minutes": 30.0, "bearing": 90}]
    before = sim.simulate("W1V9076331P300001", electric=False, home=HOME, at=start, scale=1.0)
    during = sim.simulate(
        "W1V9076331P300001",
        electric=False,
        home=HOME,
        at=start + datetime.timedelta(minutes=15),
        manual_trips=trips,
        scale=1.0,
    )
    after = sim.simulate(
        "W1V9076331P300001",
        electric=False,
        home=HOME,
        at=start + datetime.timedelta(minutes=40),
        manual_trips=trips,
        scale=1.0,
    )
    assert during.ignition and during.speed_kmh == 40.0 and during.lon > before.lon
    assert not after.ignition
    assert after.odometer_km == pytest.approx(before.odometer_km + 20, abs=0.2)


def test_it_lets_overrides_win_and_restarts_service_counters_after_a_service():
    at = MONDAY.replace(hour=3)
    report = sim.simulate(
        "W1V9106731P300012",
        electric=True,
        home=HOME,
        at=at,
        scale=1.0,
        overrides={"bonnet_closed": False, "battery_percent": 12.0, "gear": "N"},
    )
    assert (report.bonnet_closed, report.battery_percent, report.gear) == (False, 12.0, "N")
    serviced = sim.simulate(
        "W1V9106731P300012",
        electric=True,
        home=HOME,
        at=at,
        scale=1.0,
        service_reset=(report.odometer_km - 100, at.date() - datetime.timedelta(days=5)),
    )
    assert (serviced.service_due_km, serviced.service_due_days) == (sim.SERVICE_INTERVAL_KM - 100, 360)


def test_it_parses_command_line_settings():
    assert sim.parse_setting("bonnet_closed", "false") is False
    assert sim.parse_setting("battery_percent", "12") == 12.0
    assert sim.parse_setting("gear", "d") == "D"
    assert sim.parse_setting("gear", "") is None
    for name, raw in [("gear", "X"), ("doors_locked", "maybe"), ("colour", "red")]:
        with pytest.raises(ValueError):
            sim.parse_setting(name, raw)


def test_it_bases_vans_in_their_company_town_with_a_fallback():
    lyon = town_centre("Lyon", "FR")
    assert lyon == pytest.approx((45.75, 4.85), abs=0.1)
    assert town_centre("Århus", "DK") == pytest.approx((56.16, 10.2), abs=0.1)
    assert town_centre("Nowhere-sur-Rien", "FR") == (48.857, 2.352)
    lat, lon = home_of("W1V9076331P300001", "Lyon", "FR")
    assert abs(lat - lyon[0]) < 0.05 and abs(lon - lyon[1]) < 0.07


@pytest.mark.django_db
def test_its_clock_only_moves_forward_when_the_scale_changes(settings):
    from vehicles.telematics.emulator import simulated_time

    start = MONDAY.replace(hour=8)
    settings.TELEMATICS_TIME_SCALE = 30.0
    assert simulated_time(start) == start.timestamp()  # starts as real time
    ten_minutes = start + datetime.timedelta(minutes=10)
    fast = simulated_time(ten_minutes)
    assert fast == start.timestamp() + 30 * 600
    settings.TELEMATICS_TIME_SCALE = 1.0  # the demo is over: back to real time, never backwards
    assert simulated_time(ten_minutes) == fast
    assert simulated_time(ten_minutes + datetime.timedelta(minutes=1)) == fast + 60
