"""/metrics after real worker runs: tasks counted by the worker process (Redis counters), the
queue depth read from the broker, and the request id carried into the task."""

import re

import pytest
from django.test import Client

from companies.models import AuditEvent
from mpro import metrics
from mpro.logs import request_id_var
from tests.integration.conftest import wait_for

PROBE = "tests.integration.tasks.record_probe"
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _own_counters(settings):
    """Counters in Redis under this test's queue name; removed afterwards."""
    metrics._store = None
    yield
    store = metrics.store()
    if hasattr(store, "client"):
        store.client.delete(store.key("tasks"))
    metrics._store = None


def figure(body: str, name: str, **labels) -> float | None:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    match = re.search(rf"^{re.escape(name)}\{{{re.escape(wanted)}\}} (\S+)$", body, re.M)
    return float(match.group(1)) if match else None


def scrape() -> str:
    return Client().get("/metrics").content.decode()


def test_it_exposes_task_and_queue_figures_after_real_worker_runs(celery_worker, settings):
    from tests.integration.tasks import record_probe

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    for n in range(3):
        record_probe.delay(f"queued-{n}")
    body = scrape()
    assert figure(body, "mpro_queue_depth", queue=queue) == 3.0
    assert figure(body, "mpro_tasks_total", task=PROBE, state="enqueued") == 3.0
    assert figure(body, "mpro_tasks_total", task=PROBE, state="succeeded") is None

    celery_worker()
    # Arguments the task does not take: it fails in the worker (send_task skips the local check).
    record_probe.app.send_task(PROBE, kwargs={"target": "x", "unexpected": True})
    wait_for(lambda: figure(scrape(), "mpro_tasks_total", task=PROBE, state="failed"))
    body = scrape()
    assert figure(body, "mpro_tasks_total", task=PROBE, state="succeeded") == 3.0
    assert figure(body, "mpro_tasks_total", task=PROBE, state="failed") == 1.0
    assert figure(body, "mpro_queue_depth", queue=queue) == 0.0


def test_it_counts_retries_of_a_real_activation(celery_worker, company, alice, verified_company):
    from companies.audit import Actor
    from packs.services import subscriptions_release
    from tests import factories as f

    vehicle = f.VehicleFactory(company=company, vin="W1V9076331P300001", verification_status="verified")
    f.SubscriptionFactory(order__company=company, vehicle=vehicle)
    celery_worker(TELEMATICS_FAILURE_RATE="1")  # every call fails transiently: retried
    assert subscriptions_release(company=company, actor=Actor.system()) == 1
    assert wait_for(
        lambda: figure(
            scrape(), "mpro_tasks_total", task="packs.tasks.subscription_activate", state="retried"
        ),
        timeout=60,
    )


def test_it_carries_the_request_id_into_the_task(celery_worker):
    from tests.integration.tasks import record_probe

    celery_worker()
    token = request_id_var.set("req-worker-0001")
    try:
        record_probe.delay("with-request-id")
    finally:
        request_id_var.reset(token)
    event = wait_for(lambda: AuditEvent.objects.filter(target="with-request-id").first())
    assert event.details == {"request_id": "req-worker-0001"}
