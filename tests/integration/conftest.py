"""A real Celery worker for integration tests (marker `worker`; needs REDIS_URL).

`celery_worker(**env)` starts `celery -A mpro worker` as a subprocess on the test database and a
queue of its own (so parallel test runs never steal each other's tasks), waits until it answers a
ping, and stops it at the end of the test. Tests that use it need committed data:
`@pytest.mark.django_db(transaction=True)`."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from mpro.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    def __init__(self, queue: str, env: dict[str, str]):
        self.queue = queue
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log_path = ROOT / "test-artifacts" / f"worker-{queue}.log"

    def start(self) -> "WorkerProcess":
        self.log_path.parent.mkdir(exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mpro",
                "worker",
                "-P",
                "solo",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early; see {self.log_path}")
            replies = celery_app.control.ping(
                destination=[f"{self.queue}@{os.uname().nodename}"], timeout=0.5
            )
            if replies:
                return self
        raise RuntimeError(f"worker did not answer within 40 s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as on a crash or an OOM kill."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def celery_worker(transactional_db, settings):
    """celery_worker(**extra_env) → a started WorkerProcess. Tasks the test enqueues go to its queue."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    workers: list[WorkerProcess] = []
    database_url = _database_url()
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    settings.CELERY_TASK_DEFAULT_QUEUE = queue

    def start(**extra_env: str) -> WorkerProcess:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
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
        conn.default_channel.queue_purge(queue)


def _database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test database)."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        pytest.skip("a worker process cannot share SQLite's in-memory test database")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    auth = s.get("USER") or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.2):
    """Polls `predicate` until it returns something truthy; fails the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")
