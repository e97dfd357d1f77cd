"""Which domain events reach webhooks, and with what payload.

Webhooks are a consumer of the project's outbox (mpro/outbox.py): `connect()` subscribes
`on_event` to every event kind a webhook can carry, on the `webhooks` queue. The outbox runs it
once per committed event, and `deliver_event` keys the deliveries by the outbox message, so a
consumer run again after a lost acknowledgement adds no second delivery to an endpoint. Services
of lower apps call nothing of ours: they emit their events, and we listen.

Payloads carry identifiers only (PRO ID, VIN, subscription id, pack code, command id): the
subscriber is a company administrator, and no personal data travels.
"""

from __future__ import annotations

from typing import Any

# outbox payload key → webhook payload key, per event family (what is not named is not sent)
PAYLOAD_KEYS: dict[str, dict[str, str]] = {
    "company": {"pro_id": "pro_id"},
    "vehicle": {"pro_id": "pro_id", "vin": "vin"},
    "subscription": {"pro_id": "pro_id", "vin": "vin", "subscription": "subscription_id", "pack": "pack"},
    "command": {"pro_id": "pro_id", "vin": "vin", "command": "command_id", "kind": "kind"},
    "alert": {"pro_id": "pro_id", "vin": "vin", "alert_id": "alert_id", "kind": "kind"},
    "maintenance": {
        "pro_id": "pro_id",
        "vin": "vin",
        "dealer": "dealer",
        "level": "level",
        "due_in_days": "due_in_days",
        "due_in_km": "due_in_km",
    },
    # ids and figures only: no places (a trip may turn out private) and no person
    "trip": {
        "pro_id": "pro_id",
        "vin": "vin",
        "trip_id": "trip_id",
        "started_at": "started_at",
        "ended_at": "ended_at",
        "distance_km": "distance_km",
    },
}


def payload_for(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The webhook payload of an outbox event: its ids, under the webhook's names."""
    keys = PAYLOAD_KEYS.get(kind.split(".", 1)[0], {"pro_id": "pro_id"})
    return {public: payload.get(source) for source, public in keys.items()}


def on_event(event) -> None:
    """The outbox consumer: one delivery per subscribed, active endpoint of the event's company."""
    from .services import deliver_event

    if event.company_id is None:
        return
    deliver_event(
        event.kind, event.company_id, payload_for(event.kind, event.payload), message_id=f"msg_evt{event.id}"
    )


def on_events(events) -> None:
    """`on_event` for the events published together (a chunk of activations, a reporting round):
    one question for the chunk's companies' endpoints, and `on_event` only for the events some
    endpoint wants (most companies have none)."""
    from .models import WebhookEndpoint

    companies = {e.company_id for e in events if e.company_id is not None}
    wanted: dict[int, set[str]] = {}
    for company_id, kinds in WebhookEndpoint.objects.filter(
        company_id__in=companies, is_active=True
    ).values_list("company_id", "events"):
        wanted.setdefault(company_id, set()).update(kinds)
    for event in events:
        if event.kind in wanted.get(event.company_id, ()):
            on_event(event)


def connect() -> None:
    from mpro import outbox

    from .services import WEBHOOK_EVENTS

    for kind in WEBHOOK_EVENTS:
        outbox.subscribe(kind, on_event, queue="webhooks", name="integrations.webhooks", many=on_events)
