"""Which domain events reach webhooks, and with what payload.

Until the project's domain-event outbox lands, events are read from the audit trail: every service
records an AuditEvent in its own transaction, and a receiver here turns the ones webhooks care about
into `services.deliver_event(...)` after commit. Services of lower apps are not touched and call
nothing of ours. When the outbox exists, `deliver_event` becomes its consumer and `connect()` goes.

Payloads carry identifiers only (PRO ID, VIN, subscription id, pack code): the subscriber is a
company administrator, and no personal data travels.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

# audit action → (webhook event, details copied into the payload as {payload key: details key})
AUDIT_EVENTS: dict[str, tuple[str, dict[str, str]]] = {
    "retail.company_verified": ("company.verified", {}),
    "retail.company_rejected": ("company.rejected", {}),
    "retail.vehicle_verified": ("vehicle.verified", {}),
    "retail.vehicle_rejected": ("vehicle.rejected", {}),
    "subscription.activated": ("subscription.activated", {"subscription_id": "subscription", "pack": "pack"}),
    "subscription.activation_failed": (
        "subscription.activation_failed",
        {"subscription_id": "subscription", "pack": "pack"},
    ),
}


def payload_for(event) -> tuple[str, dict[str, Any]] | None:
    """The webhook event and payload for an AuditEvent, or None if webhooks do not carry it."""
    mapping = AUDIT_EVENTS.get(event.action)
    if mapping is None or event.company_id is None:
        return None
    kind, keys = mapping
    payload: dict[str, Any] = {"pro_id": event.company.pro_id}
    if kind.startswith(("vehicle.", "subscription.")):
        payload["vin"] = event.target
    payload.update({key: event.details.get(source) for key, source in keys.items()})
    return kind, payload


def _on_audit_event(sender, instance, created, **kwargs) -> None:
    if not created:
        return
    found = payload_for(instance)
    if found is None:
        return
    from .models import WebhookEndpoint
    from .services import deliver_event

    # Most companies have no endpoint: then nothing waits for the commit.
    if not WebhookEndpoint.objects.filter(company_id=instance.company_id, is_active=True).exists():
        return

    kind, payload = found
    company_id = instance.company_id
    transaction.on_commit(lambda: deliver_event(kind, company_id, payload))


def connect() -> None:
    from companies.models import AuditEvent

    post_save.connect(_on_audit_event, sender=AuditEvent, dispatch_uid="integrations.webhooks")


def deliver_outbox_event(event) -> None:
    """Consumer of domain events that arrive through the outbox (`alert.raised`): their payload
    already carries only identifiers (PRO ID, VIN, alert id, kind)."""
    from .services import deliver_event

    deliver_event(event.kind, event.company_id, dict(event.payload))
