"""Reads of the data interface: which vans a data client may see, at which level, and a van's
signals. The "live service" rule is packs' one gate (`packs.selectors.live_service_exists`)."""

from __future__ import annotations

import datetime

from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.utils import timezone

from companies.models import Company
from packs.selectors import live_service_exists
from telematics.models import Reading, VehicleState
from telematics.privacy import without_hidden
from telematics.selectors import ServiceNotActiveError
from vehicles.models import Vehicle
from vehicles.vin import normalize_vin

LIGHT = "data-interface-light"
EXTENDED = "data-interface-extended"
SIGNALS_WINDOW = datetime.timedelta(hours=24)


def _with_level(qs: QuerySet[Vehicle]) -> QuerySet[Vehicle]:
    return qs.annotate(
        has_extended=live_service_exists(EXTENDED, "pk"), has_light=live_service_exists(LIGHT, "pk")
    ).annotate(
        level=Case(
            When(has_extended=True, then=Value("extended")),
            When(has_light=True, then=Value("light")),
            default=Value(None),
            output_field=CharField(),
        )
    )


def data_vehicles(company: Company) -> QuerySet[Vehicle]:
    """The company's vans with a live data-interface service, each with `level` (light/extended)
    and its latest state (`vehicle.state`, absent until the van has reported)."""
    return (
        _with_level(Vehicle.objects.for_company(company))
        .filter(Q(has_extended=True) | Q(has_light=True))
        .select_related("state")
    )


def data_vehicle(company: Company, vin: str) -> Vehicle:
    """The company's van by VIN with its `level`. None of the company's vans: None (a 404); a van
    without a live data-interface service: ServiceNotActiveError (a 409, as every connected call)."""
    vehicle = _with_level(Vehicle.objects.for_company(company)).filter(vin=normalize_vin(vin)).first()
    if vehicle is not None and vehicle.level is None:
        raise ServiceNotActiveError(LIGHT)
    return vehicle


def signals(company: Company, vehicle: Vehicle, since: datetime.datetime | None) -> QuerySet[Reading]:
    """The van's readings since `since` (default: the last 24 hours), while it was the company's."""
    since = since or timezone.now() - SIGNALS_WINDOW
    readings = Reading.objects.for_company(company).filter(vehicle=vehicle, at__gte=since)
    # A data client is no person: private trips' positions are left out (telematics.privacy).
    return without_hidden(readings, vehicle, since=since, until=timezone.now(), viewer_id=None)


def state_of(vehicle: Vehicle) -> VehicleState | None:
    """The state loaded by `data_vehicles` (select_related), None when the van never reported."""
    try:
        state = vehicle.state
    except VehicleState.DoesNotExist:
        return None
    # A van moved to this company keeps its old holder's state until it reports again.
    return state if state.company_id == vehicle.company_id else None
