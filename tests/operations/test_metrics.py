import pytest
from django.utils import timezone

from mpro import metrics
from packs.models import SubscriptionStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters(monkeypatch):
    """In-process counters per test (worker tests use Redis: tests/integration)."""
    monkeypatch.setattr(metrics, "_store", metrics._LocalStore())


def scrape(client, **headers):
    return client.get("/metrics", **headers)


def test_it_refuses_callers_outside_the_allowed_networks_without_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-secret-123"
    assert scrape(client, REMOTE_ADDR="203.0.113.9").status_code == 404
    assert scrape(client, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_it_answers_the_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "scrape-secret-123"
    response = scrape(client, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-secret-123")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def test_it_answers_an_allowed_network_and_no_token_is_not_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert scrape(client, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert scrape(client, REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer ").status_code == 200
    assert scrape(client, REMOTE_ADDR="127.0.0.1", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_it_exposes_request_latency_by_view_and_task_and_waiting_figures(client, company):
    from privacy.tasks import purge_expired

    purge_expired.delay()
    sub = f.SubscriptionFactory(order__company=company)
    sub.status = SubscriptionStatus.ACTIVATION_PENDING
    sub.activation_requested_at = timezone.now() - timezone.timedelta(minutes=5)
    sub.save()
    client.get("/privacy/")
    body = scrape(client).content.decode()
    assert (
        'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="privacy:policy"}'
        in body
    )
    assert 'mpro_tasks_total{state="succeeded",task="privacy.tasks.purge_expired"} 1.0' in body
    assert 'mpro_waiting{kind="activations"} 1.0' in body
    line = next(
        li for li in body.splitlines() if li.startswith('mpro_oldest_waiting_seconds{kind="activations"}')
    )
    assert 299 <= float(line.split()[-1]) < 400


def test_it_exposes_counters_apps_register(client):
    metrics.register_counter(metrics.EventCounter("reports_ingested", "Reports ingested.", ("source",)))
    metrics.count("reports_ingested", "emulator", 3)
    body = scrape(client).content.decode()
    assert 'mpro_reports_ingested_total{source="emulator"} 3.0' in body
    metrics.COUNTERS.pop("reports_ingested")
