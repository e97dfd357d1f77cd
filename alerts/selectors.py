"""Reads of the alerts app: thresholds, geofences, alerts, and the fleet map's markers.

The markers are read from telematics' fleet status query as plain tuples, streamed in chunks:
50,000 vans cost one query and never 50,000 model instances."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import asdict

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from companies.models import Company, InvitationStatus, Membership, Role
from mpro.arrays import among
from telematics import selectors as telematics
from vehicles.selectors import vans_in_reach

from .conditions import Circle, Thresholds
from .models import Alert, AlertEmailOptIn, AlertSettings, Geofence, GeofencePresence

DEFAULTS = Thresholds(fuel_low_percent=15, battery_low_percent=20, service_due_days=14, service_due_km=1000)
OPEN = Q(cleared_at__isnull=True, acknowledged_at__isnull=True)


def thresholds_for(company_ids: Iterable[int]) -> dict[int, Thresholds]:
    """Each company's thresholds (the defaults where it never changed them), in one query."""
    ids = set(company_ids)
    found = {
        row.company_id: Thresholds(
            fuel_low_percent=row.fuel_low_percent,
            battery_low_percent=row.battery_low_percent,
            service_due_days=row.service_due_days,
            service_due_km=row.service_due_km,
        )
        for row in AlertSettings.objects.filter(company_id__in=ids)
    }
    return {company_id: found.get(company_id, DEFAULTS) for company_id in ids}


def settings_of(company: Company) -> AlertSettings:
    return AlertSettings.objects.for_company(company).first() or AlertSettings(
        company=company, **asdict(DEFAULTS)
    )


def geofence_circles(company_ids: Iterable[int]) -> dict[int, list[Circle]]:
    circles: dict[int, list[Circle]] = {}
    for g in Geofence.objects.filter(company_id__in=set(company_ids)).only(
        "id", "company_id", "lat", "lon", "radius_m"
    ):
        circles.setdefault(g.company_id, []).append(Circle(g.pk, g.lat, g.lon, g.radius_m))
    return circles


def presences(vehicle_ids: list[int]) -> dict[int, set[int]]:
    inside: dict[int, set[int]] = {}
    for vehicle_id, geofence_id in GeofencePresence.objects.filter(
        vehicle_id__in=among(vehicle_ids)
    ).values_list("vehicle_id", "geofence_id"):
        inside.setdefault(vehicle_id, set()).add(geofence_id)
    return inside


def uncleared_alerts(vehicle_ids: list[int]) -> dict[int, dict[tuple[str, str], Alert]]:
    """Per van, the alerts whose condition still held at the last report (acknowledged or not)."""
    found: dict[int, dict[tuple[str, str], Alert]] = {}
    for alert in Alert.objects.filter(vehicle_id__in=among(vehicle_ids), cleared_at__isnull=True).only(
        "id", "vehicle_id", "kind", "subject", "geofence_id"
    ):
        found.setdefault(alert.vehicle_id, {})[(alert.kind, alert.subject)] = alert
    return found


def geofences(company: Company) -> QuerySet[Geofence]:
    return Geofence.objects.for_company(company)


def alerts(
    company: Company,
    *,
    status: str | None = None,
    vehicle_id: int | None = None,
    kind: str | None = None,
) -> QuerySet[Alert]:
    """The company's alerts, newest first. `status`: open, acknowledged, cleared (None: all)."""
    qs = Alert.objects.for_company(company).select_related("vehicle", "geofence", "acknowledged_by")
    if status == "open":
        qs = qs.filter(OPEN)
    elif status == "acknowledged":
        qs = qs.filter(acknowledged_at__isnull=False)
    elif status == "cleared":
        qs = qs.filter(cleared_at__isnull=False)
    if vehicle_id is not None:
        qs = qs.filter(vehicle_id=vehicle_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-raised_at", "-id")


def alerts_in_reach(company: Company, membership: Membership, **filters) -> QuerySet[Alert]:
    """alerts() as this member may see them: administrators and fleet managers every van's, a
    driver those of the van assigned to them now (API-CONNECTED.md: a driver only their own van)."""
    return vans_in_reach(alerts(company, **filters), membership, driver_field="vehicle__driver_id")


def open_alert_count(company: Company) -> int:
    return Alert.objects.for_company(company).filter(OPEN).count()


def wants_alert_emails(user) -> bool:
    return AlertEmailOptIn.objects.filter(user=user).exists()


def email_recipients(company_id: int):
    """Administrators and fleet managers of the company who opted in to alert e-mails."""
    return (
        Membership.objects.filter(
            company_id=company_id,
            role__in=[Role.ADMIN, Role.FLEET_MANAGER],
            invitation_status=InvitationStatus.ACCEPTED,
            user__is_active=True,
        )
        .filter(Exists(AlertEmailOptIn.objects.filter(user_id=OuterRef("user_id"))))
        .select_related("user")
    )


# --- the fleet map ---------------------------------------------------------------------------------
MARKER_COLUMNS = (
    "vehicle__vin",
    "vehicle__licence_plate",
    "vehicle__nickname",
    "vehicle__fuel",
    "lat",
    "lon",
    "speed_kmh",
    "reported_at",
    "unreachable_since",
    "fuel_percent",
    "battery_percent",
    "service_due_days",
    "service_due_km",
    "open_alerts",
)


def _mapped(company: Company, membership: Membership, bbox: telematics.BBox | None = None) -> QuerySet:
    return vans_in_reach(
        telematics.fleet_status(company, bbox=bbox), membership, driver_field="vehicle__driver_id"
    )


def marker_extent(company: Company, membership: Membership) -> list[float] | None:
    """[south, west, north, east] around the vans the map shows (one aggregate query), or None
    when none has reported: where the map starts before it asks for its view's markers."""
    found = _mapped(company, membership).aggregate(s=Min("lat"), w=Min("lon"), n=Max("lat"), e=Max("lon"))
    return None if found["s"] is None else [found["s"], found["w"], found["n"], found["e"]]


def marker_rows(company: Company, membership: Membership, bbox: telematics.BBox | None = None) -> QuerySet:
    """The fleet map's rows as tuples (MARKER_COLUMNS): every van with fleet management live that
    has reported (a driver: their own van), within `bbox` when given, flagged when it has an open
    alert."""
    qs = _mapped(company, membership, bbox)
    open_alert = Alert.objects.filter(OPEN, vehicle_id=OuterRef("vehicle_id"), company_id=company.pk)
    return qs.annotate(open_alerts=Exists(open_alert)).values_list(*MARKER_COLUMNS)


def marker_state(row: tuple, stale_before: datetime.datetime) -> str:
    speed, reported_at, unreachable_since = row[6:9]
    if row[13]:
        return "alert"
    if unreachable_since is not None or reported_at < stale_before:
        return "stale"
    return "moving" if speed > 0 else "parked"


def markers(
    company: Company, membership: Membership, *, bbox: telematics.BBox | None = None, chunk_size: int = 2000
) -> Iterator[dict]:
    """The marker of each van (within `bbox` when given), one dict at a time, from a chunked cursor."""
    limits = thresholds_for([company.pk])[company.pk]
    before = telematics.stale_before(timezone.now())
    for row in marker_rows(company, membership, bbox).iterator(chunk_size=chunk_size):
        (
            vin,
            plate,
            nickname,
            fuel,
            lat,
            lon,
            speed,
            reported_at,
            _unreachable,
            fuel_pc,
            battery_pc,
            days,
            km,
            _a,
        ) = row
        low = (fuel_pc is not None and fuel_pc < limits.fuel_low_percent) or (
            battery_pc is not None and battery_pc < limits.battery_low_percent
        )
        yield {
            "vin": vin,
            "plate": plate,
            "name": nickname,
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "state": marker_state(row, before),
            "level": round(fuel_pc if fuel_pc is not None else battery_pc or 0),
            "electric": fuel == "electric",
            "low": low,
            "service_due": days is not None
            and (days <= limits.service_due_days or (km is not None and km <= limits.service_due_km)),
            "reported_at": reported_at.isoformat(),
        }
