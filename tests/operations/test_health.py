import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_it_answers_healthz_without_touching_the_database(client):
    # No db fixture: any query would fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_it_is_ready_when_database_cache_broker_and_migrations_answer(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["failed"] == []
    assert set(body["checks"]) == {"database", "migrations", "cache", "broker"}
    assert all(value.startswith("ok") for value in body["checks"].values())


@pytest.mark.django_db
def test_it_answers_503_naming_the_broker_when_the_broker_port_is_closed(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"].startswith("ok")
    # What failed is named, not how to reach it.
    assert "127.0.0.1" not in json.dumps(body)


@pytest.mark.django_db
def test_it_answers_503_naming_the_cache_when_the_cache_fails(client, monkeypatch):
    from mpro import health

    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_it_answers_503_naming_the_database_when_the_database_port_is_closed():
    """A fresh process whose DATABASE_URL points at a closed port, as after a failed database."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/readyz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTEST_XDIST_WORKER")},
        "DJANGO_SETTINGS_MODULE": "mpro.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/mpro",
        "DEBUG": "1",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert result["body"]["failed"] == ["database"]
    assert result["body"]["checks"]["migrations"] == "skipped"
    assert result["body"]["checks"]["broker"].startswith("ok")


@pytest.mark.django_db
def test_it_answers_the_internal_address_over_http_in_production_settings(client, settings):
    """The compose healthcheck calls http://127.0.0.1:8000/readyz: no HTTPS redirect, no 400 for
    a host outside ALLOWED_HOSTS. Other pages still get both."""
    settings.ALLOWED_HOSTS = ["mpro.example"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/help/", HTTP_HOST="10.0.0.7:8000").status_code == 400
