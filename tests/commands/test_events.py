"""command.* events through the outbox (mpro/outbox.py), and from there to a company's webhook
endpoint (integrations is an outbox consumer): each event reaches a registered endpoint once."""

import datetime
from unittest import mock

import pytest
import time_machine
from standardwebhooks.webhooks import Webhook

from commands.models import Command
from companies.audit import Actor
from integrations import events as webhook_events
from integrations import services as webhooks
from integrations.models import WebhookDelivery
from mpro import outbox
from mpro.models import OutboxMessage
from tests.integrations.conftest import receiver  # noqa: F401  (a real local HTTP receiver)
from vehicles.models import EmulatedModule

pytestmark = pytest.mark.django_db


def send(client, van, **body):
    return client.post(f"/api/v1/vehicles/{van.vin}/commands", body, format="json")


def kinds():
    return list(
        OutboxMessage.objects.filter(kind__startswith="command.")
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def test_a_successful_command_records_sent_then_succeeded(api, fred, remote_van, company):
    assert send(api(fred), remote_van, kind="lock").status_code == 202
    assert kinds() == ["command.sent", "command.succeeded"]
    command = Command.objects.get()
    payload = OutboxMessage.objects.get(kind="command.succeeded").payload
    assert payload == {"pro_id": company.pro_id, "vin": remote_van.vin, "command": command.pk, "kind": "lock"}


def test_a_van_out_of_reach_records_sent_then_failed(api, fred, remote_van):
    EmulatedModule.objects.filter(vin=remote_van.vin).update(overrides={"online": False})
    send(api(fred), remote_van, kind="lock")
    assert kinds() == ["command.sent", "command.failed"]


def test_a_redelivered_task_records_sent_once(api, fred, remote_van):
    from commands import lifecycle
    from commands.tasks import command_execute

    with mock.patch("commands.tasks.command_execute.apply_async"):
        send(api(fred), remote_van, kind="lock")
    command = Command.objects.get()
    lifecycle.command_claim(command.pk)  # the first delivery claimed it, then its worker died
    assert command_execute.apply(args=[command.pk]).get() == "succeeded"
    assert kinds() == ["command.sent", "command.succeeded"]


def test_an_expired_command_records_expired_once(api, fred, remote_van):
    start = datetime.datetime.now(datetime.UTC)
    with time_machine.travel(start, tick=False), mock.patch("commands.tasks.command_execute.apply_async"):
        body = send(api(fred), remote_van, kind="lock").json()
    with time_machine.travel(start + datetime.timedelta(seconds=121), tick=False):
        api(fred).get(f"/api/v1/vehicles/{remote_van.vin}/commands/{body['id']}")
        api(fred).get(f"/api/v1/vehicles/{remote_van.vin}/commands")
    assert kinds() == ["command.expired"]


def test_a_commands_event_reaches_a_registered_webhook_exactly_once(
    django_capture_on_commit_callbacks,
    api,
    alice,
    fred,
    company,
    remote_van,
    receiver,  # noqa: F811
):
    endpoint, secret = webhooks.webhook_endpoint_create(
        company=company, url=receiver.url, events=["command.succeeded"], actor=Actor.customer(alice)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send(api(fred), remote_van, kind="lock").status_code == 202
    [received] = receiver.requests
    body = Webhook(secret).verify(received["body"], received["headers"])
    command = Command.objects.get()
    assert body["type"] == "command.succeeded"
    assert body["data"] == {
        "pro_id": company.pro_id,
        "vin": remote_van.vin,
        "command_id": command.pk,
        "kind": "lock",
    }

    # The consumer runs again (an acknowledgement lost, the sweeper's redelivery): no second delivery.
    message = OutboxMessage.objects.get(kind="command.succeeded")
    assert outbox.consume(message_id=message.pk, consumer_name="integrations.webhooks") == "skipped"
    event = outbox.Event(message.pk, message.kind, message.company_id, message.payload, message.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        webhook_events.on_event(event)
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
    assert message.__class__.objects.get(pk=message.pk).delivered_at is not None


def test_an_endpoint_not_subscribed_to_commands_gets_nothing(
    django_capture_on_commit_callbacks,
    api,
    alice,
    fred,
    company,
    remote_van,
    receiver,  # noqa: F811
):
    webhooks.webhook_endpoint_create(
        company=company, url=receiver.url, events=["vehicle.verified"], actor=Actor.customer(alice)
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(api(fred), remote_van, kind="lock")
    assert receiver.requests == []
