"""A real Celery worker as a subprocess, shared by the integration tests (conftest.py's
`celery_worker` fixture) and `make bench` (benchmarks/packs.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from mpro.celery import QUEUE_KINDS
from mpro.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def queues_of(base: str) -> list[str]:
    """The default queue and one per kind (mpro/celery.py): a test or bench worker consumes them all."""
    return [base, *(f"{base}.{kind}" for kind in QUEUE_KINDS)]


class WorkerProcess:
    """`celery worker` of `app` on `queue` and its queues by kind, with `env`; by default one process (`-P solo`), logging
    to test-artifacts/. `app` is a module that registers, besides the production tasks, the
    tasks tests or benchmarks need (never the production worker's `-A mpro`)."""

    def __init__(
        self,
        queue: str,
        env: dict[str, str],
        *,
        app: str = "tests.integration.worker_app",
        pool: tuple[str, ...] = ("-P", "solo"),
        log_level: str = "info",
    ):
        self.queue = queue
        self.env = env
        self.app = app
        self.pool = pool
        self.log_level = log_level
        self.name = f"{queue}@{os.uname().nodename}"
        self.process: subprocess.Popen | None = None
        self.log_path = ROOT / "test-artifacts" / f"worker-{queue}.log"

    def start(self, *, timeout: float = 40) -> WorkerProcess:
        self.log_path.parent.mkdir(exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                self.app,
                "worker",
                *self.pool,
                "-Q",
                ",".join(queues_of(self.queue)),
                "-n",
                f"{self.queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "-l",
                self.log_level,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early; see {self.log_path}")
            if celery_app.control.ping(destination=[self.name], timeout=0.5):
                return self
        raise RuntimeError(f"worker did not answer within {timeout:.0f} s; see {self.log_path}")

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


def database_url() -> str:
    """The URL of the database this process uses (in tests: pytest-django's test database)."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        raise RuntimeError("a worker process cannot share a SQLite database")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    auth = s.get("USER") or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"
