"""Issue 17 items 6 and 7: an order placed while the broker is down is kept and activates later;
activations stranded by a lost task are enqueued again by the sweeper."""

import datetime

import pytest
from django.utils import timezone

from companies.audit import Actor
from mpro import outbox
from mpro.models import OutboxMessage
from packs import services
from packs.models import Subscription
from tests.mpro.conftest import CLOSED_BROKER, broker
from tests.packs.conftest import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(ready, alice, van, catalogue):
    """An order whose activation task never reached a worker (its outbox row was published and lost)."""
    verify(van)
    order = services.order_place(
        company=ready, pack_code="connect-complete", vins=[van.vin], actor=Actor.customer(alice)
    )
    sub = order.subscriptions.get()
    assert sub.status == "activation_pending"
    OutboxMessage.objects.update(published_at=timezone.now(), delivered_at=timezone.now())  # then lost
    return sub


def test_the_sweeper_enqueues_an_activation_pending_too_long(pending, django_capture_on_commit_callbacks):
    assert services.activations_requeue() == 0  # fresh: its task may still be coming
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert list(services.stale_activations(later)) == [pending]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.activations_requeue(now=later) == 1
    pending.refresh_from_db()
    assert pending.status == "active"


def test_the_sweeper_waits_while_the_broker_is_down(pending, django_capture_on_commit_callbacks):
    later = timezone.now() + datetime.timedelta(minutes=5)
    OutboxMessage.objects.all().delete()
    OutboxMessage.objects.create(kind="task", payload={"task": "mpro.tasks.noop", "args": []})
    assert services.activations_requeue(now=later) == 0
    assert Subscription.objects.get(pk=pending.pk).status == "activation_pending"


def test_an_order_placed_while_the_broker_is_down_is_kept_and_activates_after(
    ready, alice, van, catalogue, django_capture_on_commit_callbacks
):
    verify(van)
    with broker(CLOSED_BROKER), django_capture_on_commit_callbacks(execute=True):
        order = services.order_place(
            company=ready, pack_code="connect-complete", vins=[van.vin], actor=Actor.customer(alice)
        )
    sub = order.subscriptions.get()
    assert sub.status == "activation_pending"
    message = OutboxMessage.objects.get(kind="task")
    assert message.payload == {"task": "packs.tasks.subscription_activate", "args": [sub.pk]}
    assert message.published_at is None and message.attempts == 1

    with django_capture_on_commit_callbacks(execute=True):
        outbox.sweep(now=timezone.now() + datetime.timedelta(minutes=1))
    sub.refresh_from_db()
    assert sub.status == "active"


def test_the_admin_enqueues_a_stuck_activation_again(
    pending, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/packs/subscription/",
            {"action": "activate_again", "_selected_action": [pending.pk]},
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "active"
