"""The command's lifecycle steps, shared by the task, the reads and the service: claim, finish,
expire. Each its own short transaction; none spans the backend call. Each step that changes a
command's state records its event through the outbox (mpro/outbox.py) in the same transaction:
`command.sent`, `command.succeeded`, `command.failed`, `command.expired` (payload: ids only)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from mpro import outbox
from vehicles.models import Vehicle

from .models import UNFINISHED, Command, CommandStatus

EXPIRED_REASON = _("The van did not answer in time; the command was not carried out.")
EVENT_KINDS = ("command.sent", "command.succeeded", "command.failed", "command.expired")


def expire_overdue(*, vehicle: Vehicle | None = None, now: datetime.datetime | None = None) -> int:
    """Unfinished commands past `expires_at` become `expired`, each with its `command.expired`
    event (the beat sweep, and every read). Rows another transaction holds are left to it."""
    now = now or timezone.now()
    qs = Command.objects.filter(status__in=UNFINISHED, expires_at__lte=now)
    if vehicle is not None:
        qs = qs.filter(vehicle=vehicle)
    if not qs.exists():  # the common case on every read: one cheap query, no transaction
        return 0
    with transaction.atomic():
        overdue = list(
            qs.select_for_update(skip_locked=True, of=("self",))
            .select_related("vehicle", "company")
            .order_by("pk")[:500]
        )
        Command.objects.filter(pk__in=[c.pk for c in overdue]).update(
            status=CommandStatus.EXPIRED, failure_reason=stored(EXPIRED_REASON), finished_at=now
        )
        for command in overdue:
            _emit("command.expired", command)
    return len(overdue)


def command_claim(command_id: int, now: datetime.datetime | None = None) -> Command | None:
    """queued (or sent, on a redelivery after a lost worker) → sent, if not expired. None: nothing
    to send (finished, expired, or gone). `command.sent` is recorded on the first claim only."""
    now = now or timezone.now()
    live = Command.objects.filter(pk=command_id, expires_at__gt=now)
    with transaction.atomic():
        first = live.filter(status=CommandStatus.QUEUED).update(status=CommandStatus.SENT, sent_at=now)
        again = 0 if first else live.filter(status=CommandStatus.SENT).exists()
        if first or again:
            command = Command.objects.select_related("vehicle", "company").get(pk=command_id)
            if first:
                _emit("command.sent", command)
            return command
    expire_overdue(now=now)
    return None


def stored(reason) -> str:
    """A reason as stored: in the project's language (English), whatever language the request or
    worker that wrote it spoke; pages and the API translate it when they show it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(reason)[:300]


def command_finish(command: Command, *, ok: bool, reason="") -> bool:
    """sent → succeeded | failed, and the matching event. False when it had finished already.
    `reason` may be a lazy translation: it is stored in English (see `stored`)."""
    status = CommandStatus.SUCCEEDED if ok else CommandStatus.FAILED
    with transaction.atomic():
        done = Command.objects.filter(pk=command.pk, status=CommandStatus.SENT).update(
            status=status, failure_reason=stored(reason), finished_at=timezone.now()
        )
        if done:
            _emit("command.succeeded" if ok else "command.failed", command)
    return bool(done)


def _emit(kind: str, command: Command) -> None:
    """Ids only (the PRO ID, the VIN, the command and its kind), as every outbox payload."""
    outbox.emit(
        kind,
        company_id=command.company_id,
        payload={
            "pro_id": command.company.pro_id,
            "vin": command.vehicle.vin,
            "command": command.pk,
            "kind": command.kind,
        },
    )
