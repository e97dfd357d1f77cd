"""The emulated vans' physics: a pure function of (VIN, time) plus what an operator asked for.

Each VIN has a weekly routine derived from a hash of it: on working days (about nine in ten
weekdays) the van leaves its base twice (morning and afternoon) for a stop 3-25 km away, waits
there, and drives back; it is parked the rest of the time and all weekend. Everything follows from
that routine in closed form, so 50,000 vans cost a few microseconds each and every process computes
the same state:

- the odometer grows only while driving (base + whole weeks + today's kilometres so far);
- fuel falls with the kilometres and is topped up at a filling station once a fifth is left;
- an electric van's battery falls while driving and charges (22 %/h) while it stands plugged in at
  its base; the plug is inserted, locked and connected there and nowhere else;
- service-due counters run from the odometer and the calendar (a performed service restarts them);
- outside temperature follows the season, the latitude and the hour; the cabin tends to it when
  parked and to 21 °C when driving.

Time runs TELEMATICS_TIME_SCALE times faster than the clock for demos (the routine's clock, kept
by vehicles.models.EmulatorClock so it never runs back; reports are stamped with the real time)."""

from __future__ import annotations

import datetime
import hashlib
import math
from dataclasses import dataclass

from django.conf import settings

from .base import Report
from .towns import offset

EPOCH = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)  # a Monday
EPOCH_TS = EPOCH.timestamp()
ROAD_FACTOR = 1.3  # road kilometres per straight-line kilometre
CHARGE_PERCENT_PER_HOUR = 22.0
SERVICE_INTERVAL_KM = 40_000
SERVICE_INTERVAL_DAYS = 365
REFUEL_SHARE = 0.8  # refuel when a fifth of the tank is left


# One trip out and back: (minute of the day it leaves the base, straight-line km to the stop,
# bearing in radians from north, minutes at the stop). Plain tuples: 50,000 vans a round.
Excursion = tuple[float, float, float, float]


@dataclass(slots=True)
class Routine:
    base_km: float
    speed_kmh: float
    tank_km: float  # range on a full tank / full battery
    days: tuple[tuple[Excursion, ...], ...]  # Monday..Sunday
    km_before_day: tuple[float, ...]  # road km of the week before each day (8 values)
    service_offset_km: float
    service_offset_days: int
    temp_jitter: float
    rfid_authorised: bool

    @property
    def week_km(self) -> float:
        return self.km_before_day[7]


def routine(vin: str, *, electric: bool) -> Routine:
    h = hashlib.sha512(vin.encode()).digest()
    days = []
    cumulative = [0.0]
    for wd in range(5):
        b0, b1, b2, b3, b4, b5 = h[wd * 6 : wd * 6 + 6]
        if b5 >= 230:  # a day off
            days.append(())
            cumulative.append(cumulative[-1])
            continue
        d1, d2 = 3 + b1 * 0.08627, 3 + b4 * 0.08627  # 3..25 km
        days.append(
            (
                (390 + b0 % 90, d1, b2 * 0.02464, 30 + b3 % 120),
                (750 + b3 % 120, d2, b0 * 0.02464, 20 + b4 % 90),
            )
        )
        cumulative.append(cumulative[-1] + 2 * ROAD_FACTOR * (d1 + d2))
    days += [(), ()]  # weekend
    cumulative += [cumulative[-1], cumulative[-1]]
    return Routine(
        base_km=2_000 + int.from_bytes(h[42:45], "big") % 90_000,
        speed_kmh=32 + h[50] % 17,
        tank_km=(180 + h[51] % 120) if electric else (650 + h[51] % 300),
        days=tuple(days),
        km_before_day=tuple(cumulative),
        service_offset_km=int.from_bytes(h[45:48], "big") % SERVICE_INTERVAL_KM,
        service_offset_days=int.from_bytes(h[48:50], "big") % SERVICE_INTERVAL_DAYS,
        temp_jitter=(h[52] - 128) / 128 * 1.5,
        rfid_authorised=h[53] < 230,
    )


@dataclass(slots=True)
class Moment:
    """Where the routine has the van at one minute of its day."""

    km_today: float = 0.0
    moving: bool = False
    at_base: bool = True
    dest: tuple[float, float] | None = None  # (km from base along bearing)
    bearing: float = 0.0  # of the line base → stop the van is on
    heading: float = 0.0  # where it drives
    along_km: float = 0.0  # straight-line km from base
    speed: float = 0.0
    minutes_since_stop: float = 600.0
    battery: float = 100.0
    at_stop_min: float | None = None  # minutes since it arrived at a stop (doors open a moment)


def moment(r: Routine, day: tuple[Excursion, ...], minute: float, *, electric: bool) -> Moment:
    m = Moment()
    last_stop = -600.0 + 0.0
    for start, distance, bearing, dwell in day:
        if minute < start:
            break
        leg_km = distance * ROAD_FACTOR
        leg_min = leg_km / r.speed_kmh * 60
        out_end = start + leg_min
        back_start = out_end + dwell
        back_end = back_start + leg_min
        if electric:  # charged at the base since the last return
            m.battery = min(100.0, m.battery + (start - last_stop) / 60 * CHARGE_PERCENT_PER_HOUR)
        m.bearing = bearing
        if minute < out_end:
            share = (minute - start) / leg_min
            return _driving(m, r, bearing, leg_km * share, distance * share, electric)
        m.km_today += leg_km
        m.battery -= leg_km / r.tank_km * 100 if electric else 0
        if minute < back_start:
            m.at_base, m.along_km = False, distance
            m.minutes_since_stop = m.at_stop_min = minute - out_end
            return m
        if minute < back_end:
            share = (minute - back_start) / leg_min
            return _driving(m, r, bearing, leg_km * share, distance * (1 - share), electric, back=True)
        m.km_today += leg_km
        m.battery -= leg_km / r.tank_km * 100 if electric else 0
        m.along_km = 0.0
        last_stop = back_end
    m.minutes_since_stop = minute - last_stop
    if electric:
        m.battery = min(100.0, m.battery + max(0.0, minute - last_stop) / 60 * CHARGE_PERCENT_PER_HOUR)
    return m


def _driving(m: Moment, r: Routine, bearing: float, km: float, along: float, electric: bool, back=False):
    m.km_today += km
    m.battery -= km / r.tank_km * 100 if electric else 0
    m.moving, m.at_base, m.along_km, m.speed = True, False, along, r.speed_kmh
    m.minutes_since_stop = 0.0
    m.bearing = bearing
    m.heading = (bearing + math.pi) % (2 * math.pi) if back else bearing
    return m


def sim_timestamp(at: datetime.datetime, scale: float | None = None) -> float:
    scale = settings.TELEMATICS_TIME_SCALE if scale is None else scale
    return EPOCH_TS + (at.timestamp() - EPOCH_TS) * scale


def simulate(
    vin: str,
    *,
    electric: bool,
    home: tuple[float, float],
    at: datetime.datetime,
    manual_trips: list[dict] = (),
    service_reset: tuple[float | None, datetime.date | str | None] = (None, None),
    overrides: dict | None = None,
    scale: float | None = None,
    sim_at: float | None = None,
) -> Report:
    """The van's report at real time `at`. The routine runs on simulated time: `sim_at` (the
    emulator's clock), else `at` accelerated by `scale` from EPOCH (pure, for tests)."""
    r = routine(vin, electric=electric)
    elapsed = (sim_at if sim_at is not None else sim_timestamp(at, scale)) - EPOCH_TS
    day_index, seconds = divmod(elapsed, 86400)
    week, weekday = divmod(int(day_index), 7)
    minute = seconds / 60
    m = moment(r, r.days[weekday], minute, electric=electric)
    odometer = r.base_km + week * r.week_km + r.km_before_day[weekday] + m.km_today
    heading_deg = int(math.degrees(m.heading)) % 360 if m.moving else None
    if m.moving and m.along_km and m.speed and minute % 2 < 1:
        m.speed = round(m.speed * 1.15, 1)  # traffic: not every minute at the same pace
    lat, lon = offset(*home, m.along_km, m.bearing)

    manual_km, manual = _manual(manual_trips, at)
    odometer += manual_km
    if manual is not None:  # a `--trip` trip decides where the van is
        lat, lon = offset(*home, manual["along_km"], math.radians(manual["bearing"]))
        m.moving, m.at_base, m.speed = manual["moving"], False, manual["speed"]
        m.minutes_since_stop = manual["minutes_since_stop"]
        heading_deg = manual["bearing"] if m.moving else None
        m.battery -= manual_km / r.tank_km * 100 if electric else 0

    report = _report(vin, at, r, m, electric=electric, odometer=odometer, position=(lat, lon, heading_deg))
    report.outside_temp_c, report.cabin_temp_c = _temperatures(at, elapsed, lat, r, m)
    report.service_due_km, report.service_due_days = _service_due(r, odometer, at, day_index, service_reset)
    report = apply_overrides(report, overrides or {})
    return precondition(report, (overrides or {}).get("precondition"), at)


def _report(
    vin: str, at: datetime.datetime, r: Routine, m: Moment, *, electric: bool, odometer: float, position
) -> Report:
    """The report of moment `m` (temperatures and service counters are filled in by the caller)."""
    lat, lon, heading_deg = position
    fuel = battery = None
    if electric:
        battery = max(3.0, min(100.0, m.battery))
        range_km = battery / 100 * r.tank_km
    else:
        used = (odometer - r.base_km / 3) % (REFUEL_SHARE * r.tank_km)
        fuel = 100 - used / r.tank_km * 100
        range_km = fuel / 100 * r.tank_km
    plugged = electric and m.at_base and not m.moving
    loading = m.at_stop_min is not None and m.at_stop_min < 5
    return Report(
        vin=vin,
        at=at,
        lat=round(lat, 6),
        lon=round(lon, 6),
        heading=heading_deg,
        speed_kmh=round(m.speed, 1) if m.moving else 0.0,
        odometer_km=round(odometer, 1),
        fuel_percent=None if fuel is None else round(fuel, 1),
        battery_percent=None if battery is None else round(battery, 1),
        range_km=round(range_km, 1),
        ignition=m.moving,
        doors_locked=not loading,
        doors_closed=not loading,
        windows_closed=True,
        bonnet_closed=True,
        gear="D" if m.moving else "P",
        plug_inserted=plugged if electric else None,
        plug_locked=plugged if electric else None,
        plug_connected=plugged if electric else None,
        charging=(plugged and battery < 100) if electric else None,
        rfid_authorised=r.rfid_authorised if electric else None,
        outside_temp_c=None,
        cabin_temp_c=None,
        service_due_days=None,
        service_due_km=None,
    )


def _temperatures(at, elapsed: float, lat: float, r: Routine, m: Moment) -> tuple[float, float]:
    """Outside and cabin, to the half degree: the cabin tends to the outside when parked."""
    outside = _outside_temp(at, elapsed, lat, r.temp_jitter)
    cabin = 21.0 if m.moving else outside + (21.0 - outside) * math.exp(-m.minutes_since_stop / 45)
    return round(outside * 2) / 2, round(cabin * 2) / 2


# Pre-climatisation starts at most this long before departure (FAQ: 55 minutes).
PRECONDITION_LEAD_MINUTES = 55


def precondition(report: Report, plan: dict | None, at: datetime.datetime) -> Report:
    """A pre-climatisation asked for by a command (`plan`: the target and either a one-off
    `departure` timestamp or a `repeat` {"time", "days", "tz"}, e.g. weekdays at 06:30): from at most
    55 minutes before each departure until the departure, the cabin moves toward the target (about
    63 % of the way in 10 minutes). Outside that window the cabin is left as the simulation has it."""
    if not plan:
        return report
    if plan.get("repeat"):
        from .departures import next_departure

        repeat = plan["repeat"]
        upcoming = next_departure(repeat["time"], repeat["days"], repeat["tz"], after=at)
        if upcoming is None:
            return report
        departure = upcoming.timestamp()
    else:
        departure = plan["departure"]
    started = departure - PRECONDITION_LEAD_MINUTES * 60
    now = at.timestamp()
    if not started <= now <= departure:
        return report
    share = 1 - math.exp(-(now - started) / 600)
    cabin = report.cabin_temp_c + (plan["target"] - report.cabin_temp_c) * share
    report.cabin_temp_c = round(cabin * 2) / 2
    return report


def _manual(trips: list[dict], at: datetime.datetime) -> tuple[float, dict | None]:
    """Kilometres of `--trip` trips driven by `at`, and the latest one if it decides the position
    (in progress, or ended less than an hour ago: the van waits where it ended)."""
    now = at.timestamp()
    total, latest = 0.0, None
    for trip in trips:
        if trip["start"] > now:
            continue
        duration = trip["minutes"] * 60
        share = 1.0 if duration <= 0 else min(1.0, (now - trip["start"]) / duration)
        total += trip["km"] * share
        ended_for = now - trip["start"] - duration
        if ended_for < 3600:
            moving = share < 1.0
            latest = {
                "along_km": trip["km"] * share / ROAD_FACTOR,
                "bearing": trip["bearing"],
                "moving": moving,
                "speed": round(trip["km"] / (trip["minutes"] / 60), 1) if moving else 0.0,
                "minutes_since_stop": 0.0 if moving else max(0.0, ended_for / 60),
            }
    return total, latest


def _outside_temp(at: datetime.datetime, elapsed: float, lat: float, jitter: float) -> float:
    day_of_year = (elapsed / 86400 + 4) % 365  # EPOCH is 5 January
    hour = (elapsed % 86400) / 3600
    seasonal = 10.5 - 9.5 * math.cos(2 * math.pi * (day_of_year - 20) / 365) - 0.4 * (lat - 48)
    return seasonal + 4 * math.sin(2 * math.pi * (hour - 9) / 24) + jitter


def _service_due(r: Routine, odometer: float, at, day_index: float, reset) -> tuple[int, int]:
    reset_km, reset_on = reset
    if reset_km is not None and reset_on is not None:
        if isinstance(reset_on, str):
            reset_on = datetime.date.fromisoformat(reset_on)
        return (
            round(SERVICE_INTERVAL_KM - (odometer - reset_km)),
            SERVICE_INTERVAL_DAYS - (at.date() - reset_on).days,
        )
    # Nobody recorded a service: the emulated workshop services the van on time, so the counters
    # cycle instead of running into years overdue in an accelerated demo.
    km_left = SERVICE_INTERVAL_KM - (odometer + r.service_offset_km) % SERVICE_INTERVAL_KM
    days_left = SERVICE_INTERVAL_DAYS - (int(day_index) + r.service_offset_days) % SERVICE_INTERVAL_DAYS
    return int(km_left), days_left


# Fields `manage.py emulator --set` may set, with their types (plug_* on electric vans).
SETTABLE = {
    "lat": float,
    "lon": float,
    "heading": int,
    "speed_kmh": float,
    "odometer_km": float,
    "fuel_percent": float,
    "battery_percent": float,
    "range_km": float,
    "ignition": bool,
    "doors_locked": bool,
    "doors_closed": bool,
    "windows_closed": bool,
    "bonnet_closed": bool,
    "gear": str,
    "plug_inserted": bool,
    "plug_locked": bool,
    "plug_connected": bool,
    "charging": bool,
    "rfid_authorised": bool,
    "outside_temp_c": float,
    "cabin_temp_c": float,
    "service_due_days": int,
    "service_due_km": int,
    "online": bool,
}


def apply_overrides(report: Report, overrides: dict) -> Report:
    for name, value in overrides.items():
        if name in SETTABLE and name != "online":
            setattr(report, name, value)
    return report


def parse_setting(name: str, raw: str):
    """`FIELD=VALUE` from the command line → (field, typed value); an empty value clears it."""
    if name not in SETTABLE:
        raise ValueError(f"unknown field {name!r}; one of: {', '.join(sorted(SETTABLE))}")
    if raw == "":
        return None
    kind = SETTABLE[name]
    if kind is bool:
        if raw.lower() not in {"true", "false", "1", "0", "yes", "no", "on", "off"}:
            raise ValueError(f"{name} is true or false")
        return raw.lower() in {"true", "1", "yes", "on"}
    if name == "gear":
        if raw.upper() not in {"P", "R", "N", "D"}:
            raise ValueError("gear is one of P, R, N, D")
        return raw.upper()
    return kind(raw)
