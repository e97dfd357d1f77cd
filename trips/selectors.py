"""Reads of the logbook: trips as the caller may see them (a driver their own, admins and fleet
managers the company's), the filters of the Trips page and API, the monthly totals, and the
ranges of positions a viewer may not see (telematics.privacy)."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from companies.models import Company, Membership
from companies.permissions import allows
from vehicles.models import Vehicle
from vehicles.vin import normalize_vin

from .models import Category, LogbookExport, PrivateModePeriod, Trip, TripChange


def sees_all(membership: Membership) -> bool:
    return allows(membership.role, "vehicles.view_all")


def trips_in_reach(membership: Membership) -> QuerySet[Trip]:
    qs = Trip.objects.for_company(membership.company_id)
    if not sees_all(membership):
        qs = qs.filter(driver_id=membership.user_id)
    return qs.select_related("vehicle", "driver")


def trip_in_reach(membership: Membership, trip_id) -> Trip | None:
    try:
        return trips_in_reach(membership).filter(pk=int(trip_id)).first()
    except (TypeError, ValueError):
        return None


def filtered_trips(
    membership: Membership,
    *,
    vehicle: str | None = None,
    driver: int | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    category: str | None = None,
) -> QuerySet[Trip]:
    qs = trips_in_reach(membership)
    if vehicle:
        qs = qs.filter(vehicle__vin=normalize_vin(vehicle))
    if driver:
        qs = qs.filter(driver__membership__pk=driver, driver__membership__company_id=membership.company_id)
    if since:
        qs = qs.filter(started_at__gte=since)
    if until:
        qs = qs.filter(started_at__lt=until)
    if category:
        qs = qs.filter(category=category)
    return qs


def shows_places(trip: Trip, user_id: int | None) -> bool:
    """A private trip (or one driven in private mode) shows its places to its driver only."""
    return not trip.is_private or (user_id is not None and trip.driver_id == user_id)


def totals(trips: QuerySet[Trip]) -> list[dict]:
    """Business / private / commute kilometres per driver and month (one query)."""
    distance = F("odometer_end_km") - F("odometer_start_km")
    rows = (
        trips.filter(ended_at__isnull=False)
        .annotate(month=TruncMonth("started_at"))
        .values("month", "driver_id", "driver__first_name", "driver__last_name", "driver__email")
        .annotate(
            trips=Count("id"),
            business=Sum(distance, filter=Q(category=Category.BUSINESS)),
            private=Sum(distance, filter=Q(category=Category.PRIVATE)),
            commute=Sum(distance, filter=Q(category=Category.COMMUTE)),
            unclassified=Sum(distance, filter=Q(category=Category.UNCLASSIFIED)),
        )
        .order_by("-month", "driver__last_name", "driver__first_name", "driver_id")
    )
    return list(rows[:200])


def history(trip: Trip) -> QuerySet[TripChange]:
    return TripChange.objects.filter(trip=trip).select_related("changed_by").order_by("changed_at", "id")


def vehicle_trips(vehicle: Vehicle, membership: Membership, limit: int = 10) -> list[Trip]:
    return list(trips_in_reach(membership).filter(vehicle=vehicle).order_by("-started_at", "-id")[:limit])


def vans_of(company: Company) -> QuerySet[Vehicle]:
    return Vehicle.objects.for_company(company).order_by("nickname", "vin")


def drivers_of(company: Company) -> QuerySet[Membership]:
    return Membership.objects.for_company(company).select_related("user").order_by("user__last_name", "id")


def exports_of(vehicle: Vehicle, limit: int = 12) -> list[LogbookExport]:
    return list(LogbookExport.objects.for_company(vehicle.company_id).filter(vehicle=vehicle)[:limit])


def export_with_checksum(company: Company, sha256: str) -> LogbookExport | None:
    return LogbookExport.objects.for_company(company).filter(sha256=sha256).select_related("vehicle").first()


def private_mode_periods(vehicle: Vehicle, limit: int = 10) -> list[PrivateModePeriod]:
    return list(PrivateModePeriod.objects.for_company(vehicle.company_id).filter(vehicle=vehicle)[:limit])


def hidden_position_ranges(
    vehicle, *, since: datetime.datetime, until: datetime.datetime, viewer_id: int | None
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """telematics.privacy's source: the private trips in the window, except the viewer's own."""
    qs = (
        Trip.objects.for_company(vehicle.company_id)
        .filter(vehicle_id=vehicle.pk, started_at__lt=until)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since))
        .filter(Q(category=Category.PRIVATE) | Q(private_mode=True))
    )
    if viewer_id is not None:
        qs = qs.exclude(driver_id=viewer_id)
    far = until + datetime.timedelta(days=1)
    return [(start, end or far) for start, end in qs.values_list("started_at", "ended_at")[:1000]]
