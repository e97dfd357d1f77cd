"""Invitation tokens and e-mail confirmation keys stay out of the logs (issue 17, item 20): the
gunicorn access log (gunicorn.conf.py's RedactingLogger) and the application's own lines."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from mpro.logs import JsonFormatter, RedactingFormatter

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "/company/invitations/inv-SECRET-4f9a2b/": "inv-SECRET-4f9a2b",
    "/accounts/confirm-email/MjE:1vEx:CONFIRMKEY-77/": "CONFIRMKEY-77",
    "/accounts/password/reset/key/1z-RESETKEY-99/": "RESETKEY-99",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_writes_access_lines_without_the_secrets_in_their_paths(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER")
        },
        # Production settings: short error pages (the database is not migrated: the secret paths
        # answer 500, and their access lines are what this test reads).
        "DEBUG": "0",
        "SECRET_KEY": "access-log-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mpro.wsgi:application", "-c", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except (urllib.error.URLError, OSError):  # refused, reset or timed out while starting
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        for path in SECRETS:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?token=QUERYSECRET", timeout=90)
            except urllib.error.HTTPError:
                pass  # 404 or 500 without a migrated database: the access line is what matters
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "/company/invitations/[redacted]/" in text and "/accounts/confirm-email/[redacted]/" in text
    for secret in [*SECRETS.values(), "QUERYSECRET"]:
        assert secret not in text, secret


def test_the_application_log_lines_redact_them_too():
    for path, secret in SECRETS.items():
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (path,), None
        )
        record.request_id = ""
        for formatter in (RedactingFormatter("%(message)s"), JsonFormatter()):
            line = formatter.format(record)
            assert secret not in line and "[redacted]" in line
