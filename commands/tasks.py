"""The command task: thin, at-least-once (acks_late, reject_on_worker_lost), exactly-once in effect
through the idempotency key the backend deduplicates. No transaction is open during the call."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from vehicles.telematics import TelematicsError, get_backend

from . import lifecycle

MAX_RETRIES = 5


def backoff(retries: int) -> float:
    return min(2**retries, 30)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def command_execute(self, command_id: int) -> str:
    command = lifecycle.command_claim(command_id)
    if command is None:
        return "skipped"
    params = {}
    if command.departure_at is not None:
        params["departure_at"] = command.departure_at.isoformat()
    if command.repeating:
        params["departure_time"] = command.departure_time.strftime("%H:%M")
        params["departure_days"] = list(command.departure_days)
        params["time_zone"] = command.time_zone
    if command.target_temp_c is not None:
        params["target_temp_c"] = command.target_temp_c
    try:
        get_backend().send_command(
            command.vehicle.vin,
            command.kind,
            params,
            request_id=command.idempotency_key,
            attempt=self.request.retries,
        )
    except TelematicsError as error:
        if error.permanent or self.request.retries >= MAX_RETRIES:
            lifecycle.command_finish(command, ok=False, reason=error.message)
            return "failed"
        if command.expires_at <= timezone.now():
            lifecycle.expire_overdue()
            return "expired"
        return self.retry(countdown=backoff(self.request.retries), throw=not self.request.is_eager)
    lifecycle.command_finish(command, ok=True)
    return "succeeded"


@shared_task(acks_late=True)
def commands_expire() -> int:
    return lifecycle.expire_overdue()
