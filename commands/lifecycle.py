"""The command's lifecycle steps, shared by the task, the reads and the service: claim, finish,
expire. Each its own short transaction; none spans the backend call."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vehicles.models import Vehicle

from .models import UNFINISHED, Command, CommandStatus

EXPIRED_REASON = _("The van did not answer in time; the command was not carried out.")


def expire_overdue(*, vehicle: Vehicle | None = None, now: datetime.datetime | None = None) -> int:
    """Unfinished commands past `expires_at` become `expired` (the beat sweep, and every read)."""
    now = now or timezone.now()
    qs = Command.objects.filter(status__in=UNFINISHED, expires_at__lte=now)
    if vehicle is not None:
        qs = qs.filter(vehicle=vehicle)
    return qs.update(status=CommandStatus.EXPIRED, failure_reason=str(EXPIRED_REASON), finished_at=now)


def command_claim(command_id: int, now: datetime.datetime | None = None) -> Command | None:
    """queued (or sent, on a redelivery after a lost worker) → sent, if not expired. None: nothing
    to send (finished, expired, or gone)."""
    now = now or timezone.now()
    claimed = Command.objects.filter(pk=command_id, status__in=UNFINISHED, expires_at__gt=now).update(
        status=CommandStatus.SENT, sent_at=now
    )
    if not claimed:
        expire_overdue(now=now)
        return None
    return Command.objects.select_related("vehicle").get(pk=command_id)


def command_finish(command: Command, *, ok: bool, reason: str = "") -> bool:
    """sent → succeeded | failed, and the matching event. False when it had finished already."""
    status = CommandStatus.SUCCEEDED if ok else CommandStatus.FAILED
    with transaction.atomic():
        done = Command.objects.filter(pk=command.pk, status=CommandStatus.SENT).update(
            status=status, failure_reason=reason[:300], finished_at=timezone.now()
        )
        if done:
            _emit(
                "command.succeeded" if ok else "command.failed",
                company_id=command.company_id,
                payload={"command": command.pk, "vin": command.vehicle.vin, "kind": command.kind},
            )
    return bool(done)


def _emit(kind: str, *, company_id: int, payload: dict) -> None:
    """Through the transactional outbox when the project has it (mpro.outbox)."""
    try:
        from mpro import outbox
    except ImportError:  # pragma: no cover - before the outbox lands
        return
    outbox.emit(kind, company_id=company_id, payload=payload)
