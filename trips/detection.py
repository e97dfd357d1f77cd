"""Trips from the module's ignition: telematics sends `reports_ingested` after each stored batch;
an ignition "on" opens a trip, "off" closes it. Only vans with `digital-logbook` live keep a
logbook. A batch costs a fixed number of queries, however many vans changed."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q

from companies.models import Company
from mpro import outbox
from packs.selectors import vehicles_with_live_service
from telematics.signals import IngestedReport
from vehicles.models import DriverAssignment

from .logbook import month_of
from .models import LogbookExport, Trip
from .places import nearest_town
from .services import vans_in_private_mode

logger = logging.getLogger(__name__)
DIGITAL_LOGBOOK = "digital-logbook"


def on_reports_ingested(sender, batch: list[IngestedReport], **kwargs) -> None:
    changes = [item for item in batch if item.ignition_change]
    if not changes:
        return
    logbook_vans = vehicles_with_live_service(DIGITAL_LOGBOOK, {item.vehicle_id for item in changes})
    changes = [item for item in changes if item.vehicle_id in logbook_vans]
    if changes:
        record_ignition_changes(changes)


def _drivers_at(items: list[IngestedReport]) -> dict[int, int | None]:
    """Who was assigned to each van when its trip started (the assignment history)."""
    condition = Q()
    for item in items:
        at = item.report.at
        condition |= Q(vehicle_id=item.vehicle_id, started_at__lte=at) & (
            Q(ended_at__isnull=True) | Q(ended_at__gt=at)
        )
    found: dict[int, int | None] = {}
    for vehicle_id, driver_id in (
        DriverAssignment.objects.filter(condition)
        .order_by("started_at")
        .values_list("vehicle_id", "driver_id")
    ):
        found[vehicle_id] = driver_id
    return found


def _place(item: IngestedReport, private: bool) -> dict:
    if private or item.position_withheld:
        return {"lat": None, "lon": None, "place": ""}
    lat, lon = item.report.lat, item.report.lon
    return {"lat": lat, "lon": lon, "place": nearest_town(lat, lon)[:120]}


def record_ignition_changes(items: list[IngestedReport]) -> None:
    starts = [item for item in items if item.ignition_change == "on"]
    ends = [item for item in items if item.ignition_change == "off"]
    ids = [item.vehicle_id for item in items]
    with transaction.atomic():
        at = max(item.report.at for item in items)
        private = vans_in_private_mode(ids, at)
        open_trips = {
            trip.vehicle_id: trip
            for trip in Trip.objects.select_for_update(of=("self",))
            .select_related("company")
            .filter(vehicle_id__in=ids, ended_at__isnull=True)
        }
        for item in ends:
            trip = open_trips.pop(item.vehicle_id, None)
            if trip is None:  # the logbook started while this van was driving: nothing to close
                continue
            _close(trip, item, private=trip.private_mode or item.vehicle_id in private)
        _open(starts, open_trips, private)


def _close(trip: Trip, item: IngestedReport, *, private: bool) -> None:
    end = _place(item, private)
    trip.ended_at = item.report.at
    trip.odometer_end_km = max(item.report.odometer_km, trip.odometer_start_km)
    trip.end_lat, trip.end_lon, trip.end_place = end["lat"], end["lon"], end["place"]
    if private and not trip.private_mode:  # switched on during the trip: no places at all
        trip.private_mode = True
        trip.start_lat = trip.start_lon = None
        trip.start_place = ""
    trip.save()
    outbox.emit(
        "trip.completed",
        company_id=trip.company_id,
        # Ids and figures only: no places (a trip may turn out private) and no person.
        payload={
            "pro_id": trip.company.pro_id,
            "vin": item.report.vin,
            "trip_id": trip.pk,
            "started_at": trip.started_at.isoformat(),
            "ended_at": trip.ended_at.isoformat(),
            "distance_km": trip.distance_km,
        },
    )


def _open(starts: list[IngestedReport], open_trips: dict, private: set[int]) -> None:
    starts = [item for item in starts if item.vehicle_id not in open_trips]
    if not starts:
        return
    drivers = _drivers_at(starts)
    companies = {c.pk: c for c in Company.objects.filter(pk__in={i.company_id for i in starts})}
    months = {i.vehicle_id: month_of(i.report.at, companies[i.company_id]) for i in starts}
    # A trip in a month whose logbook was exported already is locked from the start.
    exported = set(
        LogbookExport.objects.filter(vehicle_id__in=list(months), month__in=set(months.values())).values_list(
            "vehicle_id", "month"
        )
    )
    for item in starts:
        is_private = item.vehicle_id in private
        start = _place(item, is_private)
        odometer = (
            item.previous_odometer_km if item.previous_odometer_km is not None else item.report.odometer_km
        )
        locked = item.report.at if (item.vehicle_id, months[item.vehicle_id]) in exported else None
        try:
            with transaction.atomic():
                Trip.objects.create(
                    company_id=item.company_id,
                    vehicle_id=item.vehicle_id,
                    driver_id=drivers.get(item.vehicle_id),
                    started_at=item.report.at,
                    odometer_start_km=odometer,
                    start_lat=start["lat"],
                    start_lon=start["lon"],
                    start_place=start["place"],
                    private_mode=is_private,
                    locked_at=locked,
                )
        except IntegrityError:  # a batch delivered twice: the trip is open already
            logger.info("trips: van %s already has an open trip", item.vehicle_id)
