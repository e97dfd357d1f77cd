"""POST/GET /vehicles/{vin}/commands: rights, the gate, the 409s, the rate limit, expiry with a
frozen clock and the task lifecycle in-process (eager Celery, the emulated backend)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from commands import services
from commands.models import Command
from companies.models import AuditEvent
from tests import factories as f
from vehicles.models import EmulatedModule, EmulatorCall

from .conftest import connect, set_state

pytestmark = pytest.mark.django_db


def send(client, van, **body):
    return client.post(f"/api/v1/vehicles/{van.vin}/commands", body, format="json")


@pytest.mark.parametrize("persona", ["alice", "fred", "dora"])
def test_managers_and_the_assigned_driver_lock_the_van(request, api, remote_van, persona):
    response = send(api(request.getfixturevalue(persona)), remote_van, kind="lock")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["kind"] == "lock" and body["status"] == "queued"
    assert set(body) >= {"id", "created_at", "expires_at"}
    # eager Celery ran the task: the emulated van is locked and the command succeeded
    command = Command.objects.get()
    assert command.status == "succeeded" and command.sent_at and command.finished_at
    assert EmulatedModule.objects.get(vin=remote_van.vin).overrides["doors_locked"] is True
    detail = api(request.getfixturevalue(persona)).get(
        f"/api/v1/vehicles/{remote_van.vin}/commands/{command.pk}"
    )
    assert detail.json()["status"] == "succeeded"
    event = AuditEvent.objects.get(action="command.sent")
    assert event.actor == request.getfixturevalue(persona)


def test_a_driver_cannot_reach_another_van(api, dora, company, catalogue):
    other = connect(f.VehicleFactory(company=company, vin="W1V9076331P300009"), catalogue["remote-functions"])
    set_state(other)
    assert send(api(dora), other, kind="lock").status_code == 404
    assert api(dora).get(f"/api/v1/vehicles/{other.vin}/commands").status_code == 404
    assert not Command.objects.exists()


def test_another_company_gets_404(api, oscar, remote_van):
    assert send(api(oscar), remote_van, kind="unlock").status_code == 404
    assert api(oscar).get(f"/api/v1/vehicles/{remote_van.vin}/commands").status_code == 404
    assert not Command.objects.exists()


def test_anonymous_is_refused(anon_api, remote_van):
    assert send(anon_api, remote_van, kind="lock").status_code in (401, 403)


def test_service_not_live_is_409(api, fred, company, catalogue):
    van = connect(f.VehicleFactory(company=company, vin="W1V9076331P300010"), catalogue["fleet-management"])
    set_state(van)
    response = send(api(fred), van, kind="lock")
    assert response.status_code == 409
    assert (
        response.json()["code"] == "service_not_active" and response.json()["service"] == "remote-functions"
    )
    assert not Command.objects.exists()


def test_combustion_van_cannot_use_echarging(api, fred, company, catalogue):
    van = connect(f.VehicleFactory(company=company, vin="W1V9076331P300011"), catalogue["connect-complete"])
    set_state(van)
    response = send(api(fred), van, kind="charge_start")
    assert response.status_code == 409 and response.json()["service"] == "echarging"


def test_unlock_while_moving_is_refused(api, fred, remote_van):
    set_state(remote_van, speed_kmh=40.0, gear="D")
    response = send(api(fred), remote_van, kind="unlock")
    assert response.status_code == 409 and response.json()["code"] == "vehicle_moving"
    assert send(api(fred), remote_van, kind="lock").status_code == 202


def test_one_unfinished_command_per_van(api, fred, remote_van, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # nothing runs the task: the command stays queued
    from unittest import mock

    with mock.patch("commands.tasks.command_execute.apply_async"):
        assert send(api(fred), remote_van, kind="lock").status_code == 202
        response = send(api(fred), remote_van, kind="unlock")
    assert response.status_code == 409 and response.json()["code"] == "command_pending"
    assert Command.objects.count() == 1


def test_a_command_the_van_does_not_answer_expires_and_never_fires(api, fred, remote_van):
    from unittest import mock

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with mock.patch("commands.tasks.command_execute.apply_async"):
            body = send(api(fred), remote_van, kind="lock").json()
    with time_machine.travel(start + datetime.timedelta(seconds=121), tick=False):
        detail = api(fred).get(f"/api/v1/vehicles/{remote_van.vin}/commands/{body['id']}").json()
        assert detail["status"] == "expired" and detail["failure_reason"]
        from commands.tasks import command_execute

        assert command_execute.apply(args=[body["id"]]).get() == "skipped"
    assert not EmulatorCall.objects.filter(vin=remote_van.vin).exists()
    # and the van takes the next command
    assert send(api(fred), remote_van, kind="lock").status_code == 202


def test_the_beat_sweep_expires_overdue_commands(fred, remote_van):
    from unittest import mock

    from commands.tasks import commands_expire

    with mock.patch("commands.tasks.command_execute.apply_async"):
        command = services.command_send(
            vehicle=remote_van, kind="lock", membership=fred.membership, actor=services.Actor.customer(fred)
        )
    with time_machine.travel(command.expires_at + datetime.timedelta(seconds=1)):
        assert commands_expire.apply().get() == 1
    command.refresh_from_db()
    assert command.status == "expired"


def test_offline_van_fails_after_retries(api, fred, remote_van, settings):
    EmulatedModule.objects.filter(vin=remote_van.vin).update(overrides={"online": False})
    response = send(api(fred), remote_van, kind="lock")
    assert response.status_code == 202
    command = Command.objects.get()
    assert command.status == "failed" and command.failure_reason
    assert EmulatorCall.objects.filter(vin=remote_van.vin, outcome="transient_failure").count() == 6


def test_a_redelivered_task_acts_once(api, fred, remote_van):
    from commands.tasks import command_execute

    send(api(fred), remote_van, kind="lock")
    command = Command.objects.get()
    Command.objects.filter(pk=command.pk).update(status="sent")  # as if the worker died after the call
    command_execute.apply(args=[command.pk])
    outcomes = list(EmulatorCall.objects.filter(vin=remote_van.vin).values_list("outcome", flat=True))
    assert outcomes == ["handled", "duplicate"]


def test_rate_limit_per_user_and_van(api, fred, alice, remote_van):
    for _ in range(10):
        assert send(api(fred), remote_van, kind="lock").status_code == 202
    response = send(api(fred), remote_van, kind="lock")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert Command.objects.count() == 10
    assert send(api(alice), remote_van, kind="lock").status_code == 202


def test_list_is_flat_in_queries(api, fred, remote_van, django_assert_max_num_queries):
    for _ in range(5):
        send(api(fred), remote_van, kind="lock")
    client = api(fred)
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/v1/vehicles/{remote_van.vin}/commands")
    assert len(response.json()["results"]) == 5


def test_bad_input_is_400(api, fred, remote_van):
    assert send(api(fred), remote_van, kind="explode").status_code == 400
    assert send(api(fred), remote_van, kind="precondition", target_temp_c="warm").status_code == 400


def test_an_expiry_seen_first_in_german_is_stored_once_and_shown_in_each_language(api, fred, remote_van):
    from unittest import mock

    from django.utils import translation

    from commands.lifecycle import EXPIRED_REASON

    start = timezone.now()
    with time_machine.travel(start, tick=False), mock.patch("commands.tasks.command_execute.apply_async"):
        body = send(api(fred), remote_van, kind="lock").json()
    url = f"/api/v1/vehicles/{remote_van.vin}/commands/{body['id']}"
    with time_machine.travel(start + datetime.timedelta(seconds=121), tick=False):
        german = api(fred).get(url, HTTP_ACCEPT_LANGUAGE="de").json()
        english = api(fred).get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    with translation.override("de"):
        expected = str(EXPIRED_REASON)
    assert german["status"] == "expired" and german["failure_reason"] == expected != str(EXPIRED_REASON)
    assert english["failure_reason"] == "The van did not answer in time; the command was not carried out."
    assert Command.objects.get().failure_reason == english["failure_reason"]
