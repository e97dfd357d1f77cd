"""Remote commands through a real Celery worker on PostgreSQL and Redis (marker `worker`): a worker
killed in the middle of a command still has it reach the van exactly once and end in a final state."""

import time

import pytest
from rest_framework.test import APIClient

from commands.models import Command
from tests.commands.conftest import READY, set_state
from tests.integration.conftest import wait_for
from tests.telematics.conftest import connect
from vehicles.models import EmulatedModule, EmulatorCall

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def locked_van(company, dora):
    """ACME's van with remote functions live, reported ready and locked, driven by dora."""
    from packs.catalogue import seed_catalogue
    from packs.models import Pack
    from tests import factories as f

    seed_catalogue()
    van = f.VehicleFactory(company=company, vin="W1V9076331P300001", driver=dora)
    connect(van, Pack.objects.get(code="remote-functions"))
    return set_state(van, **{**READY, "battery_percent": None, "plug_inserted": None})


def status_of(pk: int) -> str:
    return Command.objects.values_list("status", flat=True).get(pk=pk)


def test_a_command_through_the_api_reaches_the_van(celery_worker, locked_van, fred):
    celery_worker()
    client = APIClient()
    client.force_authenticate(fred)
    response = client.post(f"/api/v1/vehicles/{locked_van.vin}/commands", {"kind": "unlock"}, format="json")
    assert response.status_code == 202, response.json()
    command_id = response.json()["id"]
    wait_for(lambda: status_of(command_id) == "succeeded", timeout=20)
    assert EmulatedModule.objects.get(vin=locked_van.vin).overrides["doors_locked"] is False
    detail = client.get(f"/api/v1/vehicles/{locked_van.vin}/commands/{command_id}").json()
    assert detail["status"] == "succeeded" and detail["sent_at"] and detail["finished_at"]


def test_a_worker_killed_mid_command_executes_it_exactly_once(celery_worker, locked_van, fred):
    slow = celery_worker(TELEMATICS_LATENCY_MS="8000", CELERY_VISIBILITY_TIMEOUT="3")
    client = APIClient()
    client.force_authenticate(fred)
    response = client.post(f"/api/v1/vehicles/{locked_van.vin}/commands", {"kind": "unlock"}, format="json")
    assert response.status_code == 202, response.json()
    command_id = response.json()["id"]

    # The backend has acted on the command (its journal, written outside mpro's transactions, says
    # so) and its answer is on the way back when the worker dies.
    wait_for(
        lambda: EmulatorCall.objects.filter(vin=locked_van.vin, outcome="handled").exists(),
        timeout=20,
        interval=0.1,
    )
    slow.kill()  # SIGKILL in the middle of the backend call
    assert status_of(command_id) == "sent"
    assert EmulatedModule.objects.get(vin=locked_van.vin).overrides["doors_locked"] is False

    # While it is unfinished the van takes no other command.
    second = client.post(f"/api/v1/vehicles/{locked_van.vin}/commands", {"kind": "lock"}, format="json")
    assert second.status_code == 409 and second.json()["code"] == "command_pending"

    # Redis hands the unacknowledged message out again past the visibility timeout; the new
    # worker sends the same idempotency key and the backend answers without acting twice.
    time.sleep(3.5)
    celery_worker(TELEMATICS_LATENCY_MS="20", CELERY_VISIBILITY_TIMEOUT="3")
    wait_for(lambda: status_of(command_id) == "succeeded", timeout=30)
    time.sleep(1)  # a late duplicate delivery would show up here
    command = Command.objects.get(pk=command_id)
    assert command.finished_at is not None and not command.failure_reason
    calls = EmulatorCall.objects.filter(vin=locked_van.vin, request_id=command.idempotency_key)
    assert list(calls.values_list("outcome", flat=True)) == ["handled", "duplicate"]
    assert EmulatorCall.objects.filter(vin=locked_van.vin).count() == 2
    assert EmulatedModule.objects.get(vin=locked_van.vin).handled_requests.count(command.idempotency_key) == 1
