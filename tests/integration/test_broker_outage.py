"""Issue 17 item 6, end to end: the web side's broker is unreachable (a closed port) while a
customer orders and adds a van; no 500, nothing half-done; once the broker is back the beat sweeper
publishes the outbox and a real worker activates the order and checks the van's module."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from companies.models import TermsAcceptance
from mpro.models import OutboxMessage
from mpro.tasks import outbox_sweep
from packs.catalogue import seed_catalogue
from packs.models import Subscription
from tests import factories as f
from tests.integration.conftest import wait_for
from tests.mpro.conftest import CLOSED_BROKER, broker
from vehicles.models import Vehicle

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_orders_and_vans_added_during_an_outage_complete_after_it(celery_worker, verified_company, alice):
    seed_catalogue()
    TermsAcceptance.objects.create(user=alice, document="pack_terms", version=settings.PACK_TERMS_VERSION)
    van = f.VehicleFactory(company=verified_company, vin="W1V9076331P300011", verification_status="verified")
    celery_worker()
    client = APIClient()
    client.force_authenticate(alice)

    with broker(CLOSED_BROKER):
        ordered = client.post(
            "/api/v1/orders", {"pack": "connect-complete", "vehicles": [van.vin]}, format="json"
        )
        added = client.post("/api/v1/vehicles", {"vin": "W1V9076331P300012"}, format="json")
    assert ordered.status_code == 201, ordered.content
    assert added.status_code == 201, added.content
    sub_id = ordered.json()["subscriptions"][0]["id"]
    assert Subscription.objects.get(pk=sub_id).status == "activation_pending"
    waiting = OutboxMessage.objects.filter(published_at__isnull=True)
    assert sorted(m.payload["task"] for m in waiting.filter(kind="task")) == [
        "packs.tasks.subscription_activate",
        "vehicles.tasks.vehicle_module_refresh",
    ]
    assert waiting.filter(kind="order.placed").exists()  # its e-mail waits too

    # The broker is back; a minute later beat runs the sweeper on the worker.
    waiting.update(created_at=timezone.now() - datetime.timedelta(minutes=1))
    outbox_sweep.delay()
    wait_for(lambda: Subscription.objects.get(pk=sub_id).status == "active", timeout=30)
    wait_for(lambda: Vehicle.objects.get(vin="W1V9076331P300012").module_status != "unknown", timeout=30)
    assert not OutboxMessage.objects.filter(published_at__isnull=True).exists()
    wait_for(lambda: OutboxMessage.objects.get(kind="order.placed").delivered_at, timeout=30)
