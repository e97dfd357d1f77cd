"""Writes of the logbook: classifying a trip (the Fahrtenbuch rules), switching private mode,
setting the company's working hours. Trips themselves are written by trips.detection."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies import audit
from companies.audit import Actor
from companies.models import Company, Membership
from companies.permissions import allows
from mpro.arrays import among
from mpro.errors import ConflictError, FieldErrors, ForbiddenError
from vehicles.models import Vehicle

from . import hours
from .models import TEXT_MAX, Category, PrivateModePeriod, Trip, TripChange, WorkingHours

CLASSIFIED_FIELDS = ("category", "purpose", "business_partner")


class TripLockedError(ConflictError):
    default_code = "trip_locked"

    def __init__(self):
        super().__init__(
            _("This trip is locked: its logbook month was exported or its edit period has ended."),
            code="trip_locked",
        )


# --- the lock --------------------------------------------------------------------------------------
def edit_deadline(trip: Trip) -> datetime.datetime:
    return (trip.ended_at or trip.started_at) + datetime.timedelta(days=settings.LOGBOOK_EDIT_DAYS)


def is_locked(trip: Trip, now: datetime.datetime | None = None) -> bool:
    """Entries are made promptly (Fahrtenbuch practice): LOGBOOK_EDIT_DAYS after the trip, or
    once its month was exported, it cannot change any more."""
    return trip.locked_at is not None or (now or timezone.now()) >= edit_deadline(trip)


# --- classification --------------------------------------------------------------------------------
def _classification_errors(company: Company, category: str, purpose: str, partner: str) -> dict:
    errors: dict[str, list] = {}
    allowed = [Category.BUSINESS, Category.PRIVATE, Category.COMMUTE]
    if category not in allowed:
        errors["category"] = [_("Choose business, private or commute.")]
    elif category == Category.COMMUTE and company.country != "DE":
        errors["category"] = [_("Commute is a category of the German logbook only.")]
    for field, value in (("purpose", purpose), ("business_partner", partner)):
        if len(value) > TEXT_MAX:
            errors[field] = [_("Write %(max)d characters at most.") % {"max": TEXT_MAX}]
    if category == Category.BUSINESS:
        if not purpose and "purpose" not in errors:
            errors["purpose"] = [_("A business trip needs its purpose.")]
        if not partner and "business_partner" not in errors:
            errors["business_partner"] = [_("A business trip needs the business partner visited.")]
    return errors


def _check_classifier(trip: Trip, membership: Membership) -> None:
    """Only the trip's driver classifies it; an administrator may classify a trip without driver.
    (Whether the caller may see the trip at all is the selectors' 404.)"""
    if trip.driver_id is not None:
        if trip.driver_id != membership.user_id:
            raise ForbiddenError(_("Only the trip's driver can classify it."))
    elif membership.role != "admin":
        raise ForbiddenError(_("Only an administrator can classify a trip without a driver."))


def _clean(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def trip_classify(
    *,
    trip: Trip,
    membership: Membership,
    actor: Actor,
    category: str,
    purpose: str = "",
    business_partner: str = "",
    now: datetime.datetime | None = None,
) -> Trip:
    """Classifies a trip; the earlier values are kept in its history (append-only)."""
    now = now or timezone.now()
    if membership.company_id != trip.company_id:
        raise ForbiddenError(_("This trip is not in your company."))
    _check_classifier(trip, membership)
    purpose, partner = _clean(purpose), _clean(business_partner)
    category = _clean(category)
    errors = _classification_errors(trip.company, category, purpose, partner)
    if errors:
        raise FieldErrors(errors)
    if category != Category.BUSINESS:  # private and commute trips carry no purpose or partner
        purpose = partner = ""
    with transaction.atomic():
        locked = Trip.objects.select_for_update().get(pk=trip.pk)
        if is_locked(locked, now):
            raise TripLockedError()
        before = {name: getattr(locked, name) for name in CLASSIFIED_FIELDS}
        after = {"category": category, "purpose": purpose, "business_partner": partner}
        if before == after:
            return locked
        Trip.objects.filter(pk=trip.pk).update(**after)
        TripChange.objects.create(
            trip=locked, changed_by=actor.user, changed_at=now, before=before, after=after
        )
        audit.record(
            actor=actor,
            company=trip.company,
            action="trip.classified",
            target=trip.vehicle.vin,
            details={"trip": trip.pk, "category": category},
        )
    locked.refresh_from_db()
    return locked


# --- private mode ----------------------------------------------------------------------------------
def driven_van(membership: Membership) -> Vehicle | None:
    return Vehicle.objects.for_company(membership.company_id).filter(driver_id=membership.user_id).first()


def active_periods(vehicle_ids, at: datetime.datetime):
    """Private-mode periods in force at `at` on these vans, for the van's current driver."""
    return PrivateModePeriod.objects.filter(
        vehicle_id__in=among(vehicle_ids),
        started_at__lte=at,
        ends_at__gt=at,
        driver_id=F("vehicle__driver_id"),
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))


def vans_in_private_mode(vehicle_ids, at: datetime.datetime) -> set[int]:
    """telematics.privacy's recording blocker: no positions for these vans now."""
    return set(active_periods(vehicle_ids, at).values_list("vehicle_id", flat=True))


def private_mode_switch(
    *, membership: Membership, actor: Actor, on: bool, now: datetime.datetime | None = None
) -> PrivateModePeriod | None:
    """Switches the caller's private mode on their van. On: only outside working hours, until
    they switch it off or the next working period begins. Returns the period in force (or None)."""
    now = now or timezone.now()
    vehicle = driven_van(membership)
    if vehicle is None:
        raise ConflictError(_("Private mode needs a van assigned to you."), code="no_vehicle")
    company = membership.company
    with transaction.atomic():
        Vehicle.objects.select_for_update().filter(pk=vehicle.pk).first()
        current = active_periods([vehicle.pk], now).first()
        if not on:
            if current is not None:
                current.ended_at = now
                current.save(update_fields=["ended_at"])
                _audit_private_mode(actor, company, vehicle, "trips.private_mode_off")
            return None
        if current is not None:
            return current
        if hours.within(company, now):
            raise ConflictError(
                _("Private mode can be switched on outside working hours only."), code="working_hours"
            )
        period = PrivateModePeriod.objects.create(
            company=company,
            vehicle=vehicle,
            driver_id=membership.user_id,
            started_at=now,
            ends_at=hours.next_start(company, now),
        )
        _audit_private_mode(actor, company, vehicle, "trips.private_mode_on")
    return period


def _audit_private_mode(actor: Actor, company: Company, vehicle: Vehicle, action: str) -> None:
    audit.record(actor=actor, company=company, action=action, target=vehicle.vin)


# --- working hours ---------------------------------------------------------------------------------
def _day_errors(day) -> str | None:
    if day is None:
        return None
    if not (isinstance(day, list | tuple) and len(day) == 2 and all(isinstance(t, str) for t in day)):
        return str(_("Give a start and an end time, or nothing for a day off."))
    try:
        start, end = (datetime.time.fromisoformat(t) for t in day)
    except ValueError:
        return str(_("Write times as HH:MM."))
    if start >= end:
        return str(_("The day must end after it starts."))
    return None


def working_hours_set(*, company: Company, membership: Membership, actor: Actor, days: list) -> WorkingHours:
    """Seven entries, Monday first: ["08:00", "17:00"] or None for a day off."""
    if not allows(membership.role, "company.manage"):
        raise ForbiddenError(_("Only an administrator can set the working hours."))
    if not isinstance(days, list) or len(days) != 7:
        raise FieldErrors({"days": [_("Give seven days, Monday first.")]})
    errors = {f"days.{i}": [message] for i, day in enumerate(days) if (message := _day_errors(day))}
    if errors:
        raise FieldErrors(errors)
    normalised = [
        None if day is None else [datetime.time.fromisoformat(t).strftime("%H:%M") for t in day]
        for day in days
    ]
    with transaction.atomic():
        hours_row, _created = WorkingHours.objects.update_or_create(
            company=company, defaults={"days": normalised}
        )
        audit.record(
            actor=actor, company=company, action="trips.working_hours_set", details={"days": normalised}
        )
    company.working_hours = hours_row
    return hours_row
