"""Writes of maintenance: opening and closing due items from the vans' reports (and informing the
workshop once per occurrence), moving them with the workshop, the company's switch, appointments
proposed by the workshop and answered by the fleet, and performed services.

Each write runs in one transaction with its audit event; e-mails and webhooks go through the
outbox (published after commit). The telematics backend is called outside any transaction."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies import audit
from companies.audit import Actor
from companies.models import Company
from mpro import outbox
from mpro.errors import ConflictError, DomainError, FieldErrors
from packs.selectors import vehicles_with_live_service
from telematics.models import VehicleState
from vehicles.models import Vehicle
from vehicles.telematics import TelematicsError, get_backend

from .levels import is_soon_or_worse, level_for
from .models import Appointment, AppointmentStatus, DueItem, MaintenanceSettings, ServiceRecord
from .selectors import MAINTENANCE, effective_workshop

logger = logging.getLogger(__name__)
NOTE_MAX = 1000
# How far ahead a workshop may propose (a year), and how far back a performed service may date.
PROPOSE_AHEAD = datetime.timedelta(days=366)
RECORD_BACK = datetime.timedelta(days=90)


class AppointmentPending(ConflictError):
    default_code = "appointment_pending"


class AppointmentAnswered(ConflictError):
    default_code = "appointment_answered"


class BackendUnavailable(DomainError):
    status_code = 503
    default_code = "backend_unavailable"


# --- the company's switch ------------------------------------------------------------------------
@transaction.atomic
def settings_update(*, company: Company, inform_workshop: bool, actor: Actor) -> MaintenanceSettings:
    row, _created = MaintenanceSettings.objects.select_for_update().get_or_create(company=company)
    if row.inform_workshop != inform_workshop:
        row.inform_workshop = inform_workshop
        row.save(update_fields=["inform_workshop", "updated_at"])
        audit.record(
            actor=actor,
            company=company,
            action="maintenance.settings_changed",
            target=company.pro_id,
            details={"inform_workshop": inform_workshop},
        )
        if inform_workshop:
            # Vans already due when the switch goes on: their workshop hears of them now.
            for item in DueItem.objects.for_company(company).filter(
                closed_at__isnull=True, informed_at__isnull=True
            ):
                _inform(item)
    return row


# --- from the vans' reports ----------------------------------------------------------------------
def _inform(item: DueItem) -> None:
    """Marks the item as known to its workshop and publishes `maintenance.due` (once per item:
    the caller holds the row or has just created it)."""
    if item.dealer_id is None or item.informed_at is not None:
        return
    item.informed_at = timezone.now()
    item.save(update_fields=["informed_at"])
    vehicle = item.vehicle
    audit.record(
        actor=Actor.system(),
        company=item.company,
        action="maintenance.workshop_informed",
        target=vehicle.vin,
        details={"dealer": item.dealer.code, "due_in_days": item.due_in_days, "due_in_km": item.due_in_km},
    )
    outbox.emit(
        "maintenance.due",
        company_id=item.company_id,
        payload={
            "vin": vehicle.vin,
            "pro_id": item.company.pro_id,
            "dealer": item.dealer.code,
            "level": level_for(item.due_in_days, item.due_in_km),
            "due_in_days": item.due_in_days,
            "due_in_km": item.due_in_km,
        },
    )


def _with_open_item(vehicle_ids: set[int]) -> set[int]:
    """Which of these vans have an open item. Most of a batch is "ok" and has none: on PostgreSQL
    the ids go as one array parameter (Django's `__in` prepares 2,000 parameters one by one, a
    tenth of a second per batch, see telematics.services.vans_of)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT vehicle_id FROM {DueItem._meta.db_table} "
                "WHERE closed_at IS NULL AND vehicle_id = ANY(%s)",
                [list(vehicle_ids)],
            )
            return {row[0] for row in cursor.fetchall()}
    return set(
        DueItem.objects.filter(vehicle_id__in=vehicle_ids, closed_at__isnull=True).values_list(
            "vehicle_id", flat=True
        )
    )


def due_items_sync(*, counters: dict[int, tuple[int | None, int | None]]) -> dict[str, int]:
    """Called with the counters of a stored batch ({vehicle id: (days, km)}): opens an item for
    each van with the service live that reached "soon" and has none open (informing its workshop
    unless the company switched that off), and closes the open items of vans back to "ok" (the
    counters started again). A fixed number of queries for the batch, plus one per new item."""
    levels = {pk: level_for(days, km) for pk, (days, km) in counters.items()}
    coming_due = {pk for pk, level in levels.items() if is_soon_or_worse(level)}
    settled = {pk for pk, level in levels.items() if level == "ok"}
    outcome = {"opened": 0, "closed": 0}
    back_to_ok = _with_open_item(settled) if settled else set()
    if back_to_ok:
        outcome["closed"] = DueItem.objects.filter(vehicle_id__in=back_to_ok, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
    if not coming_due:
        return outcome
    live = vehicles_with_live_service(MAINTENANCE, coming_due)
    already = set(
        DueItem.objects.filter(vehicle_id__in=live, closed_at__isnull=True).values_list(
            "vehicle_id", flat=True
        )
    )
    new = live - already
    if not new:
        return outcome
    vans = Vehicle.objects.filter(id__in=new).select_related("workshop", "company__default_workshop")
    switched_off = set(
        MaintenanceSettings.objects.filter(
            company_id__in={v.company_id for v in vans}, inform_workshop=False
        ).values_list("company_id", flat=True)
    )
    for vehicle in vans:
        days, km = counters[vehicle.pk]
        try:
            with transaction.atomic():
                item = DueItem.objects.create(
                    vehicle=vehicle,
                    company=vehicle.company,
                    dealer=effective_workshop(vehicle),
                    opened_at=timezone.now(),
                    due_in_days=days,
                    due_in_km=km,
                )
                if vehicle.company_id not in switched_off:
                    _inform(item)
        except IntegrityError:
            continue  # another batch opened it meanwhile: informed once, by that one
        outcome["opened"] += 1
    return outcome


# --- the workshop changed ------------------------------------------------------------------------
def due_items_move(*, vehicle_ids: Iterable[int]) -> int:
    """Called inside the workshop change's transaction: the open items of these vans follow their
    (new) effective workshop; the old outlet no longer sees them, the new one is informed. An item
    of a van that left its company closes."""
    moved = 0
    items = (
        DueItem.objects.select_for_update(of=("self",))
        .filter(vehicle_id__in=list(vehicle_ids), closed_at__isnull=True)
        .select_related("vehicle__workshop", "vehicle__company__default_workshop", "company", "dealer")
    )
    for item in items:
        if item.vehicle.company_id != item.company_id:
            item.closed_at = timezone.now()
            item.save(update_fields=["closed_at"])
            continue
        dealer = effective_workshop(item.vehicle)
        if item.dealer_id == (dealer.pk if dealer else None):
            continue
        was_informed = item.informed_at is not None
        item.dealer = dealer
        item.informed_at = None
        item.save(update_fields=["dealer", "informed_at"])
        # Proposals the old outlet made and nobody answered lapse with the move.
        Appointment.objects.filter(due_item=item, status=AppointmentStatus.PROPOSED).update(
            status=AppointmentStatus.DECLINED, answered_at=timezone.now()
        )
        if was_informed:
            _inform(item)
        moved += 1
    return moved


# --- appointments --------------------------------------------------------------------------------
def _clean_note(note: str, field: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise FieldErrors({field: [_("Keep it under %(max)s characters.") % {"max": NOTE_MAX}]})
    return note


@transaction.atomic
def appointment_propose(
    *, item: DueItem, proposed_at: datetime.datetime, note: str = "", actor: Actor
) -> Appointment:
    """The workshop proposes a date for the van of an open item of its queue."""
    now = timezone.now()
    note = _clean_note(note, "note")
    if proposed_at <= now:
        raise FieldErrors({"proposed_at": [_("Propose a date and time in the future.")]})
    if proposed_at > now + PROPOSE_AHEAD:
        raise FieldErrors({"proposed_at": [_("Propose a date within the next twelve months.")]})
    item = (
        DueItem.objects.select_for_update(of=("self",))
        .select_related("vehicle", "company", "dealer")
        .get(pk=item.pk)
    )
    if item.closed_at is not None or item.dealer_id != (actor.dealer.pk if actor.dealer else None):
        raise ConflictError(_("This van's service is no longer in your queue."), code="not_in_queue")
    if Appointment.objects.filter(
        due_item=item, status=AppointmentStatus.PROPOSED, proposed_at__gt=now
    ).exists():
        raise AppointmentPending(
            _("An appointment you proposed is still waiting for the customer's answer."),
            code="appointment_pending",
        )
    appointment = Appointment.objects.create(
        vehicle=item.vehicle,
        company=item.company,
        dealer=item.dealer,
        due_item=item,
        proposed_at=proposed_at,
        note=note,
        proposed_by=actor.user,
        created_at=now,
    )
    audit.record(
        actor=actor,
        company=item.company,
        action="maintenance.appointment_proposed",
        target=item.vehicle.vin,
        details={
            "appointment": appointment.pk,
            "proposed_at": proposed_at.isoformat(),
            "dealer": item.dealer.code,
        },
    )
    outbox.emit(
        "maintenance.appointment_proposed",
        company_id=item.company_id,
        payload={"vin": item.vehicle.vin, "appointment": appointment.pk},
    )
    return appointment


@transaction.atomic
def appointment_answer(
    *, appointment: Appointment, accept: bool, message: str = "", actor: Actor
) -> Appointment:
    """The fleet accepts or declines a proposed appointment (with a message for the workshop)."""
    message = _clean_note(message, "message")
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("vehicle", "company", "dealer")
        .get(pk=appointment.pk)
    )
    if appointment.status != AppointmentStatus.PROPOSED:
        raise AppointmentAnswered(
            _("This appointment has already been answered."), code="appointment_answered"
        )
    if appointment.proposed_at <= timezone.now():
        raise ConflictError(_("This proposed date has passed."), code="appointment_past")
    appointment.status = AppointmentStatus.ACCEPTED if accept else AppointmentStatus.DECLINED
    appointment.answered_by = actor.user
    appointment.answered_at = timezone.now()
    appointment.answer_message = message
    appointment.save(update_fields=["status", "answered_by", "answered_at", "answer_message"])
    audit.record(
        actor=actor,
        company=appointment.company,
        action="maintenance.appointment_accepted" if accept else "maintenance.appointment_declined",
        target=appointment.vehicle.vin,
        details={"appointment": appointment.pk, "message": message},
    )
    outbox.emit(
        "maintenance.appointment_answered",
        company_id=appointment.company_id,
        payload={"vin": appointment.vehicle.vin, "appointment": appointment.pk},
    )
    return appointment


# --- performed services --------------------------------------------------------------------------
def service_record(
    *, item: DueItem, performed_on: datetime.date, odometer_km: int, actor: Actor
) -> ServiceRecord:
    """The workshop serviced the van: the module's counters start again (backend call, outside
    any transaction), then the service is recorded and the item closed (one transaction), then the
    van reports at once so every page shows the new counters."""
    today = timezone.localdate()
    errors: dict[str, list] = {}
    if performed_on > today:
        errors["performed_on"] = [_("A service cannot be recorded before it happens.")]
    elif performed_on < today - RECORD_BACK:
        errors["performed_on"] = [_("Record services within %(days)s days.") % {"days": RECORD_BACK.days}]
    state = VehicleState.objects.filter(vehicle_id=item.vehicle_id, company_id=item.company_id).first()
    if odometer_km < 0:
        errors["odometer_km"] = [_("The odometer cannot be negative.")]
    elif state is not None and odometer_km > state.odometer_km + 1:
        errors["odometer_km"] = [
            _("The van reports %(km)s km: the odometer at the service cannot be higher.")
            % {"km": int(state.odometer_km)}
        ]
    if errors:
        raise FieldErrors(errors)
    vehicle = item.vehicle
    try:
        get_backend().record_service(vehicle.vin, odometer_km=float(odometer_km), performed_on=performed_on)
    except TelematicsError as error:
        raise BackendUnavailable(error.message) from error
    with transaction.atomic():
        item = DueItem.objects.select_for_update().get(pk=item.pk)
        if item.closed_at is not None:
            raise ConflictError(_("This van's service is no longer in your queue."), code="not_in_queue")
        record = ServiceRecord.objects.create(
            vehicle=vehicle,
            company_id=item.company_id,
            dealer=actor.dealer,
            performed_on=performed_on,
            odometer_km=odometer_km,
            recorded_by=actor.user,
            recorded_at=timezone.now(),
        )
        item.closed_at = timezone.now()
        item.save(update_fields=["closed_at"])
        audit.record(
            actor=actor,
            company=Company.objects.get(pk=item.company_id),
            action="maintenance.service_recorded",
            target=vehicle.vin,
            details={
                "performed_on": performed_on.isoformat(),
                "odometer_km": odometer_km,
                "dealer": actor.dealer.code,
            },
        )
    _report_now(vehicle)
    return record


def _report_now(vehicle: Vehicle) -> None:
    """One report of this van, so its page shows the new counters without waiting for the round."""
    from telematics.services import report_batch

    try:
        report_batch(vehicle_ids=[vehicle.pk])
    except TelematicsError:
        logger.info("maintenance: %s will show its new counters at the next round", vehicle.vin)
