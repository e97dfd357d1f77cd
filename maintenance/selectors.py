"""Reads of maintenance: a van's counters and level, the fleet's vans coming due, the workshop's
queue. Every customer read starts from the company (tenancy); the workshop's queue from the
staff member's outlet, and shows nothing else of the companies in it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from companies.models import Company, Dealer
from packs.selectors import live_service_exists, live_service_subscriptions, service_live
from telematics.models import VehicleState
from vehicles.models import Vehicle
from vehicles.vin import normalize_vin

from .levels import is_soon_or_worse, level_for, rank_expression
from .models import LEVEL_RANK, Appointment, AppointmentStatus, DueItem, Level, MaintenanceSettings

MAINTENANCE = "maintenance-management"
QUEUE_MAX = 100
DASHBOARD_MAX = 5


def settings_of(company: Company) -> MaintenanceSettings:
    """The company's maintenance settings (the defaults, unsaved, when it never changed them)."""
    return MaintenanceSettings.objects.filter(company=company).first() or MaintenanceSettings(company=company)


def effective_workshop(vehicle: Vehicle) -> Dealer | None:
    """The van's own workshop, else its company's default."""
    return vehicle.workshop if vehicle.workshop_id else vehicle.company.default_workshop


@dataclass
class VanMaintenance:
    vehicle: Vehicle
    live: bool
    due_in_days: int | None = None
    due_in_km: int | None = None
    level: str | None = None
    workshop: Dealer | None = None
    open_item: DueItem | None = None
    appointments: list[Appointment] = field(default_factory=list)


def van_maintenance(vehicle: Vehicle) -> VanMaintenance:
    """What the van page and GET /vehicles/{vin}/maintenance show (a fixed number of queries)."""
    if not service_live(vehicle, MAINTENANCE):
        return VanMaintenance(vehicle=vehicle, live=False)
    state = (
        VehicleState.objects.filter(vehicle=vehicle, company_id=vehicle.company_id)
        .only("service_due_days", "service_due_km")
        .first()
    )
    days = state.service_due_days if state else None
    km = state.service_due_km if state else None
    return VanMaintenance(
        vehicle=vehicle,
        live=True,
        due_in_days=days,
        due_in_km=km,
        level=level_for(days, km),
        workshop=effective_workshop(vehicle),
        open_item=DueItem.objects.for_company(vehicle.company_id)
        .filter(vehicle=vehicle, closed_at__isnull=True)
        .first(),
        appointments=list(appointments(vehicle)[:20]),
    )


def appointments(vehicle: Vehicle) -> QuerySet[Appointment]:
    """The van's appointments since its current holder got it, the next first."""
    return (
        Appointment.objects.for_company(vehicle.company_id)
        .filter(vehicle=vehicle)
        .select_related("dealer")
        .order_by("-proposed_at", "-id")
    )


def accepted_appointments(vehicle: Vehicle) -> QuerySet[Appointment]:
    return appointments(vehicle).filter(status=AppointmentStatus.ACCEPTED).order_by("proposed_at", "id")


def appointment(vehicle: Vehicle, appointment_id: int) -> Appointment | None:
    return appointments(vehicle).filter(pk=appointment_id).first()


def proposed_appointments(company: Company) -> QuerySet[Appointment]:
    """The appointments waiting for the fleet's answer (the dashboard shows them)."""
    return (
        Appointment.objects.for_company(company)
        .filter(status=AppointmentStatus.PROPOSED, proposed_at__gte=timezone.now())
        .select_related("vehicle", "dealer")
        .order_by("proposed_at", "id")
    )


# --- the fleet -----------------------------------------------------------------------------------
def with_counters(queryset: QuerySet[Vehicle]) -> QuerySet[Vehicle]:
    """Annotates vans with `maintenance_days` / `maintenance_km` (null where the service is not
    live or nothing was reported), `maintenance_rank` (0 ok … 3 overdue, null when unknown) and
    `maintenance_sort` (days left; vans without a value last), for the overview's column."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.functions import Coalesce

    live = live_service_exists(MAINTENANCE, "id")
    return queryset.annotate(
        maintenance_live=live,
        maintenance_days=Case(When(live, then=F("state__service_due_days")), output_field=IntegerField()),
        maintenance_km=Case(When(live, then=F("state__service_due_km")), output_field=IntegerField()),
    ).annotate(
        maintenance_rank=rank_expression("maintenance_days", "maintenance_km"),
        maintenance_sort=Coalesce("maintenance_days", Value(10**6)),
    )


def counters_of_page(vehicles: list[Vehicle]) -> None:
    """Sets `maintenance_live`, `maintenance_days` and `maintenance_km` as `with_counters` does, on
    one page of vans (the overview's column when the page is not sorted by it), in one query of
    their ids that asks the maintenance gate once per van: `with_counters` repeats its EXISTS in
    every expression built on it (seven times per van at 50 vans: 5 ms in PostgreSQL, as long
    again to compile)."""
    if not vehicles:
        return
    rows = {
        pk: (live, days, km)
        for pk, live, days, km in Vehicle.objects.filter(pk__in=[vehicle.pk for vehicle in vehicles])
        .annotate(live=live_service_exists(MAINTENANCE, "id"))
        .values_list("pk", "live", "state__service_due_days", "state__service_due_km")
    }
    for vehicle in vehicles:
        live, days, km = rows[vehicle.pk]
        vehicle.maintenance_live = live
        vehicle.maintenance_days = days if live else None
        vehicle.maintenance_km = km if live else None


def filter_by_level(queryset: QuerySet[Vehicle], value: str) -> QuerySet[Vehicle]:
    """`soon_or_worse`, or one level exactly."""
    if "maintenance_rank" not in queryset.query.annotations:
        queryset = with_counters(queryset)
    if value == "soon_or_worse":
        return queryset.filter(maintenance_rank__gte=LEVEL_RANK[Level.SOON])
    if value in LEVEL_RANK:
        return queryset.filter(maintenance_rank=LEVEL_RANK[value])
    return queryset


def company_has_maintenance(company: Company) -> bool:
    return live_service_subscriptions(MAINTENANCE).filter(vehicle__company=company).exists()


def fleet_coming_due(company: Company, limit: int = DASHBOARD_MAX) -> tuple[int, list[Vehicle]]:
    """How many vans of the company are soon or worse, and the `limit` closest to their service.

    Only vans whose reported counters (the company's states, as telematics' fleet status reads
    them) are within the "soon" limits can be soon or worse: the query keeps those first, so the
    maintenance gate (an EXISTS) runs for them alone. Over the whole fleet PostgreSQL planned it as
    hashed scans of every live subscription: 157-215 ms against 30 ms now for a company of 20,000
    vans on the loaded bench machine."""
    from django.conf import settings
    from django.db.models import Q

    near = Q(state__service_due_days__lte=settings.MAINTENANCE_SOON_DAYS) | Q(
        state__service_due_km__lte=settings.MAINTENANCE_SOON_KM
    )
    near_vans = Vehicle.objects.for_company(company).filter(near, state__company=company)
    # A near van's level is soon or worse as soon as maintenance is live on it (level_for: the
    # counters within the "soon" limits), so the count asks the gate once per near van, without
    # the level's CASE expressions (each repeating the gate) that the overview's filter builds.
    vans = near_vans.filter(live_service_exists(MAINTENANCE, "id"))
    count = vans.count()
    first = list(with_counters(vans).order_by("maintenance_sort", "id")[:limit]) if count else []
    for vehicle in first:
        vehicle.maintenance_level = level_for(vehicle.maintenance_days, vehicle.maintenance_km)
    return count, first


# --- the workshop's queue ------------------------------------------------------------------------
@dataclass
class QueueRow:
    item: DueItem
    vehicle: Vehicle
    company: Company
    due_in_days: int | None
    due_in_km: int | None
    level: str | None
    last_appointment: Appointment | None


def _queue_items(dealer: Dealer) -> QuerySet[DueItem]:
    return (
        DueItem.objects.filter(dealer=dealer, closed_at__isnull=True, informed_at__isnull=False)
        # The van still with the company the item was opened for, and the service still live.
        .filter(vehicle__company_id=F("company_id"))
        .filter(live_service_exists(MAINTENANCE, "vehicle_id"))
        .select_related("vehicle", "vehicle__state", "company")
        .prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.order_by("-created_at", "-id"),
                to_attr="appointments_newest_first",
            )
        )
    )


def _row(item: DueItem) -> QueueRow:
    state = getattr(item.vehicle, "state", None)
    days = state.service_due_days if state else item.due_in_days
    km = state.service_due_km if state else item.due_in_km
    newest = item.appointments_newest_first
    return QueueRow(
        item=item,
        vehicle=item.vehicle,
        company=item.company,
        due_in_days=days,
        due_in_km=km,
        level=level_for(days, km),
        last_appointment=newest[0] if newest else None,
    )


def service_due_queue(dealer: Dealer, limit: int = QUEUE_MAX) -> list[QueueRow]:
    """The vans whose workshop is this outlet and whose service is soon or worse, the most
    urgent first (three queries, whatever the length)."""
    rows = [_row(item) for item in _queue_items(dealer).order_by("opened_at", "id")[: limit * 2]]
    rows = [row for row in rows if is_soon_or_worse(row.level)]
    rows.sort(key=lambda row: (-LEVEL_RANK[row.level], row.due_in_days if row.due_in_days is not None else 0))
    return rows[:limit]


def queue_row(dealer: Dealer, vin: str) -> QueueRow | None:
    """One van of the outlet's queue; None (404) for any van the queue does not show."""
    item = _queue_items(dealer).filter(vehicle__vin=normalize_vin(vin)).first()
    if item is None:
        return None
    row = _row(item)
    return row if is_soon_or_worse(row.level) else None
