"""A command is recorded first and sent when it can be: a broker that is down when the customer
presses "lock" neither loses the command nor turns the request into an error."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from commands.models import Command
from mpro import outbox
from mpro.models import OutboxMessage
from tests.mpro.conftest import CLOSED_BROKER, broker
from vehicles.models import EmulatedModule

pytestmark = pytest.mark.django_db


def test_a_command_sent_while_the_broker_is_down_is_sent_once_it_is_back(api, fred, remote_van):
    with broker(CLOSED_BROKER):
        response = api(fred).post(
            f"/api/v1/vehicles/{remote_van.vin}/commands", {"kind": "lock"}, format="json"
        )
    assert response.status_code == 202, response.json()
    command = Command.objects.get()
    assert command.status == "queued"
    message = OutboxMessage.objects.get(kind=OutboxMessage.TASK)
    assert message.payload == {"task": "commands.tasks.command_execute", "args": [command.pk]}
    assert message.published_at is None and message.attempts == 1

    # The broker is back (here: in-process); the sweeper's next minute sends it.
    assert outbox.sweep(now=timezone.now() + datetime.timedelta(minutes=1))["published"] >= 1
    command.refresh_from_db()
    assert command.status == "succeeded"
    assert EmulatedModule.objects.get(vin=remote_van.vin).overrides["doors_locked"] is True


def test_a_command_the_broker_could_not_take_before_it_expired_is_not_sent(api, fred, remote_van, settings):
    with broker(CLOSED_BROKER):
        api(fred).post(f"/api/v1/vehicles/{remote_van.vin}/commands", {"kind": "lock"}, format="json")
    later = timezone.now() + datetime.timedelta(seconds=settings.COMMAND_TTL_SECONDS + 60)
    with time_machine.travel(later, tick=False):
        assert outbox.sweep()["published"] >= 1
    command = Command.objects.get()
    assert command.status == "expired"
    assert "doors_locked" not in EmulatedModule.objects.get(vin=remote_van.vin).overrides
