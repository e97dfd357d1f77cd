"""Writes of remote commands: sending one (every check of the contract, then a queued row and a
task after commit), the task's steps (claim, record) and the expiry sweep."""

from __future__ import annotations

import datetime
import math
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from companies import audit
from companies.audit import Actor
from companies.models import Membership
from mpro import outbox
from mpro.errors import ConflictError, FieldErrors, ForbiddenError, RateLimitedError
from telematics.models import VehicleState
from telematics.selectors import require_service
from vehicles.models import Fuel, Vehicle
from vehicles.selectors import van_in_reach
from vehicles.telematics import departures, towns

from . import prerequisites
from .lifecycle import expire_overdue
from .models import UNFINISHED, Command, CommandKind

REMOTE_FUNCTIONS = "remote-functions"
ECHARGING = "echarging"
SERVICE_OF = {
    CommandKind.LOCK: REMOTE_FUNCTIONS,
    CommandKind.UNLOCK: REMOTE_FUNCTIONS,
    CommandKind.CHARGE_START: ECHARGING,
    CommandKind.CHARGE_STOP: ECHARGING,
    CommandKind.PRECONDITION: ECHARGING,
}
RATE_LIMIT = 10
RATE_WINDOW = datetime.timedelta(minutes=10)


class PrerequisitesNotMet(ConflictError):
    default_code = "prerequisites_not_met"

    def __init__(self, unmet: list[str]):
        super().__init__(_("The van is not ready for this command."), code="prerequisites_not_met")
        self.unmet = unmet
        self.extra = {"unmet": unmet, "reasons": {code: str(prerequisites.MESSAGES[code]) for code in unmet}}


def _check_rights(vehicle: Vehicle, membership: Membership) -> None:
    if membership.company_id != vehicle.company_id:
        raise ForbiddenError(_("This van is not in your company."))
    if not van_in_reach(vehicle, membership):
        raise ForbiddenError(_("You can only send commands to the van assigned to you."))


def _check_rate(vehicle: Vehicle, user, now: datetime.datetime) -> None:
    recent = list(
        Command.objects.filter(vehicle=vehicle, created_by=user, created_at__gt=now - RATE_WINDOW)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:RATE_LIMIT]
    )
    if len(recent) >= RATE_LIMIT:
        retry_after = max(int((recent[-1] + RATE_WINDOW - now).total_seconds()) + 1, 1)
        minutes = math.ceil(retry_after / 60)
        raise RateLimitedError(
            ngettext(
                "You have sent %(limit)d commands to this van within %(window)d minutes. "
                "Try again in %(minutes)d minute.",
                "You have sent %(limit)d commands to this van within %(window)d minutes. "
                "Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"limit": RATE_LIMIT, "window": RATE_WINDOW.seconds // 60, "minutes": minutes},
            retry_after=retry_after,
            code="throttled",
        )


def _validate(kind: str, departure_at, target_temp_c, departure_time, departure_days, now) -> None:
    errors = {}
    if kind not in CommandKind.values:
        errors["kind"] = [_("Unknown command.")]
    if kind == CommandKind.PRECONDITION and target_temp_c is None:
        errors["target_temp_c"] = [_("Choose a target temperature.")]
    if target_temp_c is not None and not 10 <= target_temp_c <= 30:
        errors["target_temp_c"] = [_("Choose a temperature between 10 and 30 °C.")]
    if departure_at is not None and departure_at <= now:
        errors["departure_at"] = [_("Choose a departure in the future.")]
    if departure_days or departure_time is not None:
        if kind != CommandKind.PRECONDITION:
            errors["departure_days"] = [_("Only pre-climatisation repeats.")]
        elif departure_at is not None:
            errors["departure_days"] = [_("Choose either one departure or repeating days, not both.")]
        elif not departure_days:
            errors["departure_days"] = [_("Choose the days the departure repeats on.")]
        elif not set(departure_days) <= set(departures.DAYS):
            errors["departure_days"] = [_("Days are mon, tue, wed, thu, fri, sat and sun.")]
        if departure_days and departure_time is None:
            errors["departure_time"] = [_("Choose the time of departure.")]
    if errors:
        raise FieldErrors(errors)


def _checks(vehicle, kind, state, *, departure_at, target_temp_c, now) -> list[str]:
    """The contract's 409s in order; returns the warnings when the command may go."""
    if Command.objects.filter(vehicle=vehicle, status__in=UNFINISHED).exists():
        raise ConflictError(_("This van is still carrying out another command."), code="command_pending")
    if state is None:
        raise PrerequisitesNotMet(["no_state"])
    if kind == CommandKind.UNLOCK and state.moving:
        raise ConflictError(_("The van is moving: it cannot be unlocked now."), code="vehicle_moving")
    if kind == CommandKind.CHARGE_START:
        unmet = prerequisites.charging_unmet(state)
    elif kind == CommandKind.PRECONDITION:
        unmet = prerequisites.precondition_unmet(
            state, departure_at=departure_at, target_temp_c=target_temp_c
        )
    else:
        unmet = []
    if unmet:
        raise PrerequisitesNotMet(unmet)
    if kind in (CommandKind.CHARGE_START, CommandKind.PRECONDITION):
        company = vehicle.company
        home = towns.home_of(vehicle.vin, company.city, company.country)
        return prerequisites.charge_warnings(state, home=home, departure_at=departure_at, now=now)
    return []


def command_send(
    *,
    vehicle: Vehicle,
    kind: str,
    membership: Membership,
    actor: Actor,
    departure_at: datetime.datetime | None = None,
    target_temp_c: float | None = None,
    departure_time: datetime.time | None = None,
    departure_days: list[str] | None = None,
) -> Command:
    """Queues a command after every check of API-CONNECTED.md ("Commands"); the task sends it.
    Pre-climatisation takes one departure (`departure_at`) or a repeating one (`departure_time`
    on `departure_days`, local to the company's time zone: "weekdays at 06:30")."""
    now = timezone.now()
    departure_days = _week_ordered(departure_days)
    _validate(kind, departure_at, target_temp_c, departure_time, departure_days, now)
    _check_rights(vehicle, membership)
    _require_service_of(vehicle, kind)
    _check_rate(vehicle, actor.user, now)
    expire_overdue(vehicle=vehicle, now=now)
    state = VehicleState.objects.filter(vehicle=vehicle, company_id=vehicle.company_id).first()
    time_zone = vehicle.company.time_zone_name if departure_days else ""
    upcoming = departure_at
    if departure_days:
        upcoming = departures.next_departure(departure_time, departure_days, time_zone, after=now)
    warnings = _checks(vehicle, kind, state, departure_at=upcoming, target_temp_c=target_temp_c, now=now)
    return _queue(
        vehicle,
        kind,
        actor=actor,
        now=now,
        warnings=warnings,
        departure_at=departure_at,
        departure_time=departure_time if departure_days else None,
        departure_days=departure_days,
        time_zone=time_zone,
        target_temp_c=target_temp_c,
    )


def _week_ordered(departure_days: list[str] | None) -> list[str]:
    """In week order, each once (what the van is sent); unknown names stay for the field error."""
    raw_days = list(departure_days or [])
    return (
        [d for d in departures.DAYS if d in raw_days] if set(raw_days) <= set(departures.DAYS) else raw_days
    )


def _require_service_of(vehicle: Vehicle, kind: str) -> None:
    """The command's service is active on the van (charging needs an electric van first)."""
    service = SERVICE_OF[kind]
    if service == ECHARGING and vehicle.fuel != Fuel.ELECTRIC:
        from telematics.selectors import ServiceNotActiveError

        raise ServiceNotActiveError(service)
    require_service(vehicle, service)


EXECUTE_TASK = "commands.tasks.command_execute"


def _queue(vehicle: Vehicle, kind: str, *, actor: Actor, now: datetime.datetime, **fields) -> Command:
    """Writes the command, its audit event and the task that sends it together (the outbox): the
    task is published once they commit, or by the outbox's sweeper when the broker was down then,
    and it sends nothing once the command has expired."""
    try:
        with transaction.atomic():
            command = Command.objects.create(
                vehicle=vehicle,
                company_id=vehicle.company_id,
                kind=kind,
                **fields,
                idempotency_key=uuid.uuid4().hex,
                created_at=now,
                expires_at=now + datetime.timedelta(seconds=settings.COMMAND_TTL_SECONDS),
                created_by=actor.user,
            )
            audit.record(
                actor=actor,
                company=vehicle.company,
                action="command.sent",
                target=vehicle.vin,
                details={"kind": kind, "command": command.pk},
            )
            outbox.enqueue(EXECUTE_TASK, args=[command.pk], company_id=vehicle.company_id)
    except IntegrityError:  # a concurrent request queued one first
        raise ConflictError(
            _("This van is still carrying out another command."), code="command_pending"
        ) from None
    return command


__all__ = ["command_send", "expire_overdue"]
