"""One attempt at a webhook delivery, and the retry schedule.

The schedule lives in the database (`next_attempt_at`), and a beat task (`webhooks_due`) sends what
is due every minute. Celery countdowns would not do for delays of hours: with Redis as broker a task
waiting longer than the visibility timeout is handed out again, so one retry could go out twice.
The claim (a conditional update) makes a doubly-delivered task harmless, and no transaction or lock
is held while the receiver is called.
"""

from __future__ import annotations

import datetime
import json
import random

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from companies.audit import Actor, record
from mpro.errors import DomainError

from . import ssrf, transport
from .emails import send_webhook_disabled
from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

# 1 min, 3, 9, 27, 81 min, 4 h, then every 6 h: ten attempts over about a day (±20 % jitter).
RETRY_BASE_SECONDS = 60
RETRY_FACTOR = 3
RETRY_CAP_SECONDS = 6 * 3600
MAX_ATTEMPTS = 10
# A delivery claimed by a worker that died is sent again after this long.
STUCK_AFTER = datetime.timedelta(minutes=5)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Wait before attempt `attempts + 1`: exponential, capped, with jitter so that many deliveries
    failing together do not all come back in the same second."""
    base = min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * RETRY_FACTOR ** max(attempts - 1, 0))
    return datetime.timedelta(seconds=base * random.uniform(0.8, 1.2))


def signed_request(delivery: WebhookDelivery, secret: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)
    now = timezone.now()
    signature = Webhook(secret).sign(msg_id=delivery.message_id, timestamp=now, data=body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "mpro-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    return body.encode(), headers


def attempt(delivery_id: int) -> str:
    """Claims a due delivery, sends it, records the outcome. Returns what happened."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, last_attempt_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED, next_attempt_at=None, last_error="endpoint switched off"
        )
        return "failed"
    try:
        # Checked again at every delivery: the name may resolve elsewhere than at registration.
        target = ssrf.resolve(endpoint.url)
    except DomainError as error:
        outcome = transport.Outcome(status=None, elapsed_ms=0, error=str(error.message))
    else:
        body, headers = signed_request(delivery, endpoint.secret)
        outcome = transport.post(
            target, body=body, headers=headers, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS
        )
    return record_outcome(delivery_id=delivery_id, outcome=outcome)


def record_outcome(*, delivery_id: int, outcome: transport.Outcome) -> str:
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        delivery.response_status = outcome.status
        delivery.response_ms = outcome.elapsed_ms
        delivery.last_error = outcome.error or ("" if outcome.ok else f"HTTP {outcome.status}")
        if outcome.ok:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, None
            if endpoint.failing_since is not None:
                WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
            result = "succeeded"
        else:
            disabled = _note_failure(endpoint, now)
            if disabled or delivery.attempts >= MAX_ATTEMPTS:
                delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
                result = "failed"
            else:
                delivery.status = DeliveryStatus.PENDING
                delivery.next_attempt_at = now + retry_delay(delivery.attempts)
                result = "retry"
        delivery.save()
    return result


def _note_failure(endpoint: WebhookEndpoint, now: datetime.datetime) -> bool:
    """Marks the endpoint failing; switches it off (True) once it has failed for days."""
    if endpoint.failing_since is None:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=now)
        return False
    if now - endpoint.failing_since < datetime.timedelta(days=settings.WEBHOOKS_DISABLE_AFTER_DAYS):
        return False
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_at=now)
    WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, last_error="endpoint switched off"
    )
    record(
        actor=Actor.system(),
        company=endpoint.company,
        action="integrations.webhook_disabled",
        target=endpoint.url,
        details={"failing_since": endpoint.failing_since.isoformat()},
    )
    transaction.on_commit(lambda: send_webhook_disabled(endpoint=endpoint))
    return True


def due_ids(limit: int = 500) -> list[int]:
    """Deliveries to send now, oldest first; stuck claims are released first."""
    now = timezone.now()
    WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, last_attempt_at__lt=now - STUCK_AFTER
    ).update(status=DeliveryStatus.PENDING, next_attempt_at=now)
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
