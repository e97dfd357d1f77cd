"""Reads of the connected vans: a van's status, the fleet's latest states (the fleet map's data)
and a van's positions over a time range. Scoped to a company; query counts do not grow with the
fleet. The service gate is packs' (`packs.selectors.live_service_*`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Membership
from mpro.errors import ConflictError
from packs.selectors import live_service_exists, service_live
from vehicles.models import ModuleStatus, Vehicle
from vehicles.selectors import van_in_reach
from vehicles.telematics import has_module
from vehicles.vin import normalize_vin

from .models import Reading, VehicleState

FLEET_MANAGEMENT = "fleet-management"


class ServiceNotActiveError(ConflictError):
    """409 service_not_active: the service this needs is not live on the van."""

    default_code = "service_not_active"

    def __init__(self, service: str):
        super().__init__(
            _("This needs a service that is not active on this van. Book a pack that contains it."),
            code="service_not_active",
        )
        self.service = service
        self.extra = {"service": service}


class NoModuleError(ConflictError):
    default_code = "no_module"

    def __init__(self):
        super().__init__(_("This van has no communication module, so it cannot report."), code="no_module")


def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.TELEMATICS_STALE_MINUTES)


def is_stale(state: VehicleState, now: datetime.datetime | None = None) -> bool:
    return state.unreachable_since is not None or state.reported_at < stale_before(now)


def vehicle_in_reach(company: Company, membership: Membership, vin: str) -> Vehicle | None:
    """The van by VIN as the caller may see it: admins and fleet managers every van of their
    company, a driver only the van assigned to them. None means 404 (also for a driver asking
    for another van: its existence is none of their business)."""
    vehicle = Vehicle.objects.for_company(company).filter(vin=normalize_vin(vin)).first()
    if vehicle is None:
        return None
    return vehicle if van_in_reach(vehicle, membership) else None


def require_service(vehicle: Vehicle, service: str = FLEET_MANAGEMENT) -> None:
    """Raises the contract's 409s: no module first (nothing can help), then the service gate."""
    if vehicle.module_status == ModuleStatus.ABSENT or not has_module(vehicle.vin):
        raise NoModuleError()
    if not service_live(vehicle, service):
        raise ServiceNotActiveError(service)


def vehicle_status(vehicle: Vehicle) -> VehicleState | None:
    """The van's latest state (None: no report yet). Raises the 409s of `require_service`."""
    require_service(vehicle)
    return VehicleState.objects.filter(vehicle=vehicle, company_id=vehicle.company_id).first()


@dataclass(frozen=True)
class BBox:
    """A map's view: lon1,lat1 the south-west corner, lon2,lat2 the north-east one."""

    lon1: float
    lat1: float
    lon2: float
    lat2: float


def parse_bbox(text: str) -> BBox:
    """`lon1,lat1,lon2,lat2` (API-CONNECTED.md): two opposite corners of a box, in either order →
    BBox (west, south, east, north), or ValueError with the message to show on the `bbox` field.
    The maps clamp their view to ±180, so a box never crosses the antimeridian."""
    parts = [part.strip() for part in (text or "").split(",")]
    try:
        lon1, lat1, lon2, lat2 = (float(part) for part in parts)
    except ValueError:
        raise ValueError(_("Four numbers: west,south,east,north (lon1,lat1,lon2,lat2).")) from None
    if not all(-180 <= lon <= 180 for lon in (lon1, lon2)) or not all(
        -90 <= lat <= 90 for lat in (lat1, lat2)
    ):
        raise ValueError(_("Longitudes lie within ±180 and latitudes within ±90."))
    return BBox(min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2))


def fleet_status(
    company: Company,
    *,
    stale: bool | None = None,
    fuel_below: float | None = None,
    battery_below: float | None = None,
    service_due_within_days: int | None = None,
    bbox: BBox | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[VehicleState]:
    """Latest state of every van of the company with fleet management live, ordered by vehicle
    (keyset-paged by the caller). One query per page whatever the fleet's size."""
    qs = (
        VehicleState.objects.for_company(company)
        .filter(vehicle__company=company)
        .filter(live_service_exists(FLEET_MANAGEMENT, "vehicle_id"))
        .select_related("vehicle")
    )
    if stale is not None:
        stale_q = Q(unreachable_since__isnull=False) | Q(reported_at__lt=stale_before(now))
        qs = qs.filter(stale_q) if stale else qs.exclude(stale_q)
    if fuel_below is not None:
        qs = qs.filter(fuel_percent__lt=fuel_below)
    if battery_below is not None:
        qs = qs.filter(battery_percent__lt=battery_below)
    if service_due_within_days is not None:
        qs = qs.filter(service_due_days__lte=service_due_within_days)
    if bbox is not None:
        qs = qs.filter(lon__gte=bbox.lon1, lon__lte=bbox.lon2, lat__gte=bbox.lat1, lat__lte=bbox.lat2)
    return qs.order_by("vehicle_id")


def positions(vehicle: Vehicle, *, since: datetime.datetime, until: datetime.datetime) -> QuerySet[Reading]:
    """The van's readings in [since, until), oldest first, recorded while its current company held
    it. On PostgreSQL only the partitions of that range are read, through (vehicle_id, at)."""
    return (
        Reading.objects.for_company(vehicle.company_id)
        .filter(vehicle_id=vehicle.pk, at__gte=since, at__lt=until)
        .order_by("at", "id")
    )
