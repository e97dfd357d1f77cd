"""Which alert conditions hold for one report: pure functions, no database.

A condition is a pair (kind, subject): "" for the van's own conditions, "geofence:<id>" for a
geofence it left. `evaluate` returns those holding now, with the value to show for each."""

from __future__ import annotations

import math
from dataclasses import dataclass

from vehicles.telematics import Report

from .models import AlertKind

EARTH_RADIUS_M = 6_371_000
# A van whose module reports this speed with the ignition off is being moved (towed, loaded,
# stolen): below it, GPS jitter of a parked van.
MOVING_IGNITION_OFF_KMH = 5.0


@dataclass(frozen=True, slots=True)
class Thresholds:
    fuel_low_percent: float
    battery_low_percent: float
    service_due_days: int
    service_due_km: int


@dataclass(frozen=True, slots=True)
class Circle:
    id: int
    lat: float
    lon: float
    radius_m: float


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine); metres are plenty precise for circles of 50 m and more."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def inside(report: Report, circles: list[Circle]) -> set[int]:
    return {c.id for c in circles if distance_m(report.lat, report.lon, c.lat, c.lon) <= c.radius_m}


def geofence_subject(geofence_id: int) -> str:
    return f"geofence:{geofence_id}"


def evaluate(
    report: Report,
    thresholds: Thresholds,
    *,
    left_geofences: set[int],
) -> dict[tuple[str, str], float | None]:
    """The conditions holding for this report → the value that shows why. `left_geofences`: the
    geofences the van was inside and is outside now, or left earlier and has not come back to."""
    holding: dict[tuple[str, str], float | None] = {}
    if report.fuel_percent is not None and report.fuel_percent < thresholds.fuel_low_percent:
        holding[(AlertKind.FUEL_LOW, "")] = report.fuel_percent
    if report.battery_percent is not None and report.battery_percent < thresholds.battery_low_percent:
        holding[(AlertKind.BATTERY_LOW, "")] = report.battery_percent
    if (
        report.service_due_days <= thresholds.service_due_days
        or report.service_due_km <= thresholds.service_due_km
    ):
        holding[(AlertKind.SERVICE_DUE, "")] = report.service_due_days
    if not report.ignition and report.speed_kmh >= MOVING_IGNITION_OFF_KMH:
        holding[(AlertKind.MOVED_IGNITION_OFF, "")] = report.speed_kmh
    for geofence_id in left_geofences:
        holding[(AlertKind.GEOFENCE_EXIT, geofence_subject(geofence_id))] = None
    return holding
