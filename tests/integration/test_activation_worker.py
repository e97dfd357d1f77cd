"""Activation through a real Celery worker on PostgreSQL and Redis (marker `worker`)."""

import time

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from companies.audit import Actor
from companies.models import AuditEvent, TermsAcceptance
from packs import services
from packs.catalogue import seed_catalogue
from packs.models import Pack, Subscription
from tests import factories as f
from tests.integration.conftest import wait_for
from vehicles.models import EmulatedModule, EmulatorCall, Vehicle

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def verified_setup(company, alice):
    """ACME, its primary administrator (pack terms accepted) and one van, all verified."""
    seed_catalogue()
    company.verification_status = "verified"
    company.save()
    alice.verification_status = "verified"
    alice.save()
    TermsAcceptance.objects.create(user=alice, document="pack_terms", version=settings.PACK_TERMS_VERSION)
    van = f.VehicleFactory(company=company, vin="W1V9076331P300001", verification_status="verified")
    return company, alice, van


def status_of(pk):
    return Subscription.objects.values_list("status", flat=True).get(pk=pk)


def test_it_activates_an_order_placed_through_the_api(celery_worker, verified_setup):
    company, alice, van = verified_setup
    celery_worker()
    client = APIClient()
    client.force_authenticate(alice)
    response = client.post(
        "/api/v1/orders", {"pack": "connect-complete", "vehicles": [van.vin]}, format="json"
    )
    assert response.status_code == 201, response.json()
    sub_id = response.json()["subscriptions"][0]["id"]

    wait_for(lambda: status_of(sub_id) == "active", timeout=20)
    assert Vehicle.objects.get(pk=van.pk).module_status == "active"
    assert EmulatedModule.objects.get(vin=van.vin).activations == 1
    listed = client.get(f"/api/v1/subscriptions?vehicle={van.vin}").json()["results"]
    assert [s["status"] for s in listed] == ["active"]


def _worker_holds_a_transaction() -> bool:
    """The activation task keeps its subscription row locked while the backend answers."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'idle in transaction' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def test_it_activates_exactly_once_when_a_worker_dies_mid_activation(celery_worker, verified_setup):
    company, alice, van = verified_setup
    slow = celery_worker(TELEMATICS_LATENCY_MS="8000", CELERY_VISIBILITY_TIMEOUT="3")
    order = services.order_place(
        company=company, pack_code="connect-complete", vins=[van.vin], actor=Actor.customer(alice)
    )
    sub_id = order.subscriptions.get().pk

    wait_for(_worker_holds_a_transaction, timeout=15, interval=0.1)
    # The backend has handled the call (its journal, written outside the worker's transaction,
    # says so) and the answer is on its way back when the worker dies.
    wait_for(
        lambda: EmulatorCall.objects.filter(vin=van.vin, outcome="handled").exists(), timeout=15, interval=0.1
    )
    slow.kill()  # SIGKILL in the middle of the backend call
    assert status_of(sub_id) == "activation_pending"
    assert EmulatedModule.objects.get(vin=van.vin).activations == 1

    # Redis hands an unacknowledged message out again once it is older than the visibility
    # timeout; a worker sweeps for such messages when it starts (and periodically after that).
    time.sleep(3.5)
    celery_worker(TELEMATICS_LATENCY_MS="20", CELERY_VISIBILITY_TIMEOUT="3")
    wait_for(lambda: status_of(sub_id) == "active", timeout=25)
    time.sleep(1)  # a late duplicate delivery would show up here
    assert EmulatedModule.objects.get(vin=van.vin).activations == 1
    # Two real calls reached the backend, and it acted on the first only.
    calls = EmulatorCall.objects.filter(vin=van.vin, operation="activate")
    assert list(calls.values_list("outcome", flat=True)) == ["handled", "duplicate"]
    assert AuditEvent.objects.filter(action="subscription.activated", target=van.vin).count() == 1


def test_it_activates_once_when_the_task_is_delivered_twice_at_the_same_time(celery_worker, verified_setup):
    from packs.tasks import subscription_activate

    company, alice, van = verified_setup
    env = {"TELEMATICS_LATENCY_MS": "1500"}
    celery_worker(**env)
    celery_worker(**env)
    bundle = Pack.objects.get(code="connect-complete")
    sub = f.SubscriptionFactory(
        order__company=company, order__pack=bundle, vehicle=van, status="activation_pending"
    )
    subscription_activate.delay(sub.pk)
    subscription_activate.delay(sub.pk)

    wait_for(lambda: status_of(sub.pk) == "active", timeout=20)
    time.sleep(2)  # let the second delivery finish
    assert EmulatedModule.objects.get(vin=van.vin).activations == 1
    # The second delivery waited for the first and found nothing to do: one call to the backend.
    assert EmulatorCall.objects.filter(vin=van.vin, operation="activate").count() == 1
    assert AuditEvent.objects.filter(action="subscription.activated").count() == 1
