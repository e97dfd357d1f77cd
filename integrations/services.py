"""Writes of the integrations app: data clients, webhook endpoints, deliveries."""

from __future__ import annotations

import base64
import logging
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from companies.audit import Actor, record
from companies.models import Company
from mpro.celery import task
from mpro.errors import DomainError, FieldErrors
from mpro.outbox import broker_errors

from . import ssrf
from .models import DataClient, DataClientUsage, DeliveryStatus, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

DATA_SCOPES = ["vehicles:read", "signals:read"]
# Events a webhook can subscribe to. Those of features not built yet are accepted already, so an
# integrator can register for them once; they start arriving when the feature lands.
WEBHOOK_EVENTS = [
    "company.verified",
    "company.rejected",
    "vehicle.verified",
    "vehicle.rejected",
    "subscription.activated",
    "subscription.activation_failed",
    "command.succeeded",
    "command.failed",
    "command.expired",
    "maintenance.due",
    "trip.completed",
    "alert.raised",
]
WEBHOOK_DELIVER = "integrations.tasks.webhook_deliver"
MAX_ENDPOINTS_PER_COMPANY = 10
MAX_CLIENTS_PER_COMPANY = 20


# --- data interface ---------------------------------------------------------------------------
def data_client_create(
    *, company: Company, name: str, scopes: list[str] | None = None, actor: Actor
) -> tuple[DataClient, str]:
    """A new client with its secret, returned once: only a hash is stored (django-oauth-toolkit)."""
    name = name.strip()
    scopes = sorted(set(scopes or DATA_SCOPES))
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [_("Give the client a name.")]
    if not scopes or not set(scopes) <= set(DATA_SCOPES):
        errors["scopes"] = [_("Choose among: %(scopes)s.") % {"scopes": ", ".join(DATA_SCOPES)}]
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        if DataClient.objects.for_company(company).count() >= MAX_CLIENTS_PER_COMPANY:
            raise DomainError(
                _("A company can have at most %(n)d data clients. Revoke one first.")
                % {"n": MAX_CLIENTS_PER_COMPANY},
                code="too_many_clients",
            )
        secret = generate_client_secret()
        application = Application.objects.create(
            name=f"{company.pro_id}: {name}"[:255],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
            hash_client_secret=True,
        )
        client = DataClient.objects.create(
            company=company, application=application, name=name, scopes=scopes, created_by=actor.user
        )
        record(
            actor=actor,
            company=company,
            action="integrations.data_client_created",
            target=name,
            details={"client_id": application.client_id, "scopes": scopes},
        )
    return client, secret


def data_client_revoke(*, client: DataClient, actor: Actor) -> None:
    """Deletes the client; its tokens go with it (cascade), so they stop working at once."""
    with transaction.atomic():
        record(
            actor=actor,
            company=client.company,
            action="integrations.data_client_revoked",
            target=client.name,
            details={"client_id": client.application.client_id},
        )
        client.application.delete()


def data_client_record_call(*, client: DataClient) -> None:
    """Counts one call for today, and notes the client's last use (at most once a minute)."""
    now = timezone.now()
    today = now.date()
    if not DataClientUsage.objects.filter(client=client, day=today).update(calls=F("calls") + 1):
        try:
            with transaction.atomic():
                DataClientUsage.objects.create(client=client, day=today, calls=1)
        except IntegrityError:  # another request created today's row first
            DataClientUsage.objects.filter(client=client, day=today).update(calls=F("calls") + 1)
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        DataClient.objects.filter(pk=client.pk).update(last_used_at=now)


# --- webhooks ----------------------------------------------------------------------------------
def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_endpoint_create(
    *, company: Company, url: str, events: list[str], actor: Actor
) -> tuple[WebhookEndpoint, str]:
    url = (url or "").strip()
    errors: dict[str, list] = {}
    if not events or not set(events) <= set(WEBHOOK_EVENTS):
        errors["events"] = [_("Choose one or more of the events listed.")]
    try:
        ssrf.resolve(url)
    except DomainError as error:
        errors["url"] = [error.message]
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        if WebhookEndpoint.objects.for_company(company).count() >= MAX_ENDPOINTS_PER_COMPANY:
            raise DomainError(
                _("A company can have at most %(n)d webhook endpoints. Remove one first.")
                % {"n": MAX_ENDPOINTS_PER_COMPANY},
                code="too_many_endpoints",
            )
        secret = _new_secret()
        endpoint = WebhookEndpoint.objects.create(
            company=company, url=url, events=sorted(set(events)), secret=secret, created_by=actor.user
        )
        record(
            actor=actor,
            company=company,
            action="integrations.webhook_created",
            target=url,
            details={"events": endpoint.events},
        )
    return endpoint, secret


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor: Actor) -> None:
    with transaction.atomic():
        record(
            actor=actor, company=endpoint.company, action="integrations.webhook_deleted", target=endpoint.url
        )
        endpoint.delete()


def _send_after_commit(ids: list[int]) -> None:
    """Hands these deliveries to a worker once the transaction commits. They are rows due now, so
    this is a shortcut: with the broker down, the beat's `webhooks_due` sends them within a minute
    of its return, and the request or task that made them does not fail for it."""

    def send() -> None:
        try:
            for pk in ids:
                task(WEBHOOK_DELIVER).delay(pk)
        except broker_errors() as error:
            log.warning(
                "webhooks: broker unreachable, %d delivery(ies) left to webhooks_due: %s", len(ids), error
            )

    transaction.on_commit(send)


def webhook_redeliver(*, delivery: WebhookDelivery, actor: Actor) -> WebhookDelivery:
    """Sends a delivery again now, by hand (after a receiver was fixed, or to replay an event)."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        if not endpoint.is_active:
            raise DomainError(
                _("This endpoint is switched off. Add it again to receive events."), code="endpoint_disabled"
            )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
        )
        record(
            actor=actor,
            company=endpoint.company,
            action="integrations.webhook_redelivered",
            target=endpoint.url,
            details={"event": delivery.event, "message_id": delivery.message_id},
        )
        _send_after_commit([delivery.pk])
    delivery.refresh_from_db()
    return delivery


def deliver_event(
    kind: str, company_id: int, payload: dict[str, Any], *, message_id: str | None = None
) -> list[int]:
    """The webhooks consumer of domain events: one delivery per active endpoint of the company that
    subscribed to `kind`, sent after commit. Returns the deliveries' ids. With `message_id` (the
    outbox event's), an endpoint that already has its delivery of that event gets no second one."""
    endpoints = list(
        WebhookEndpoint.objects.filter(company_id=company_id, is_active=True).only("id", "events")
    )
    endpoints = [e for e in endpoints if kind in e.events]
    if not endpoints:  # most companies: no endpoint wants it, nothing to look up or write
        return []
    if message_id is not None:
        ids_of = {e.pk: f"{message_id}_{e.pk}" for e in endpoints}
        sent = set(
            WebhookDelivery.objects.filter(
                endpoint__in=endpoints, message_id__in=list(ids_of.values())
            ).values_list("endpoint_id", flat=True)
        )
        endpoints = [e for e in endpoints if e.pk not in sent]
    else:
        base = "msg_" + secrets.token_urlsafe(18)
        # One id per endpoint and event; the same id on every retry of it.
        ids_of = {e.pk: f"{base}_{index}" if index else base for index, e in enumerate(endpoints)}
    if not endpoints:
        return []
    now = timezone.now()
    body = {"type": kind, "timestamp": now.isoformat().replace("+00:00", "Z"), "data": payload}
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    company_id=company_id,
                    endpoint=endpoint,
                    message_id=ids_of[endpoint.pk],
                    event=kind,
                    payload=body,
                    next_attempt_at=now,
                )
                for endpoint in endpoints
            ]
        )
        ids = [d.pk for d in deliveries]
        _send_after_commit(ids)
    return ids
