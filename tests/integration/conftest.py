"""A real Celery worker for integration tests (marker `worker`; needs REDIS_URL).

`celery_worker(**env)` starts a worker (tests.integration.worker) as a subprocess on the test database and a
queue of its own (so parallel test runs never steal each other's tasks), waits until it answers a
ping, and stops it at the end of the test. Tests that use it need committed data:
`@pytest.mark.django_db(transaction=True)`."""

import os
import time
import uuid

import pytest
from django.db import connection

from mpro.celery import app as celery_app

from .worker import WorkerProcess, database_url, queues_of


@pytest.fixture
def celery_worker(transactional_db, settings):
    """celery_worker(**extra_env) → a started WorkerProcess. Tasks the test enqueues go to its queue."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    workers: list[WorkerProcess] = []
    if connection.vendor == "sqlite":
        pytest.skip("a worker process cannot share SQLite's in-memory test database")
    url = database_url()
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    settings.CELERY_TASK_DEFAULT_QUEUE = queue

    def start(**extra_env: str) -> WorkerProcess:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_QUEUE": queue,
            "TELEMATICS_LATENCY_MS": "20",
            "TELEMATICS_FAILURE_RATE": "0",
            "DB_CONN_MAX_AGE": "0",
            **extra_env,
        }
        worker = WorkerProcess(queue, env).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    celery_app.conf.task_default_queue = previous_queue
    with celery_app.connection_for_write() as conn:
        for name in queues_of(queue):
            conn.default_channel.queue_purge(name)


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.2):
    """Polls `predicate` until it returns something truthy; fails the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")
