import pytest
from django.core import mail

from companies.audit import Actor
from companies.models import AuditEvent
from mpro.errors import ConflictError
from packs import services, tasks
from packs.eligibility import pack_fit
from packs.models import Subscription
from tests import factories as f
from tests.packs.conftest import verify
from vehicles.models import EmulatedModule, Vehicle
from vehicles.selectors import activation_blockers


def place(company, user, vins, pack="connect-complete"):
    return services.order_place(company=company, pack_code=pack, vins=vins, actor=Actor.customer(user))


def test_it_waits_for_the_dealer_and_says_what_is_missing(
    company, alice, van, catalogue, django_capture_on_commit_callbacks
):
    from companies.models import TermsAcceptance

    TermsAcceptance.objects.create(user=alice, document="pack_terms", version="2026-01")
    with django_capture_on_commit_callbacks(execute=True):
        order = place(company, alice, [van.vin])
    sub = order.subscriptions.get()
    assert sub.status == "awaiting_verification"
    blockers = activation_blockers(vehicle=van)
    assert blockers == [
        "The dealer has not verified the company yet.",
        "The dealer has not verified the company administrator's identity yet.",
        f"The dealer has not verified the vehicle {van.vin} yet.",
    ]
    assert not EmulatedModule.objects.exists()


def test_it_activates_once_everything_is_verified(
    ready, alice, van, catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(ready, alice, [van.vin])
    sub = order.subscriptions.get()
    assert sub.status == "awaiting_verification"
    assert activation_blockers(vehicle=van) == [f"The dealer has not verified the vehicle {van.vin} yet."]

    verify(van)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.subscriptions_release(company=ready, vehicles=[van], actor=Actor.system())
    assert moved == 1
    sub.refresh_from_db()
    van.refresh_from_db()
    assert sub.status == "active" and sub.activated_at and sub.attempts == 1
    assert van.module_status == "active"
    module = EmulatedModule.objects.get(vin=van.vin)
    assert module.activations == 1
    assert set(module.active_services) == {s.code for s in pack_fit(pack=sub.pack, vehicle=van).services}
    assert AuditEvent.objects.filter(action="subscription.activated", target=van.vin).count() == 1
    assert AuditEvent.objects.filter(action="vehicle.module_activated", target=van.vin).count() == 1


def test_it_activates_right_after_the_order_when_all_is_verified(
    ready, alice, verified_van, catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        order = place(ready, alice, [verified_van.vin])
    # The order's transaction publishes its order.placed event and its activation task; the
    # activation's own transaction publishes its subscription.activated event.
    assert len(callbacks) == 3
    assert order.subscriptions.get().status == "active"


def test_it_enqueues_nothing_before_the_commit(
    ready, alice, verified_van, catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        order = place(ready, alice, [verified_van.vin])
    assert order.subscriptions.get().status == "activation_pending"
    assert not EmulatedModule.objects.exists()


def test_it_activates_once_when_the_task_runs_twice(
    ready, alice, verified_van, catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(ready, alice, [verified_van.vin])
    sub = order.subscriptions.get()
    assert tasks.subscription_activate.apply(args=[sub.pk]).get() == "skipped"
    assert EmulatedModule.objects.get(vin=verified_van.vin).activations == 1
    assert AuditEvent.objects.filter(action="subscription.activated").count() == 1


def test_it_lets_the_backend_deduplicate_a_repeated_request(
    ready, alice, verified_van, catalogue, django_capture_on_commit_callbacks
):
    """A worker that died after the backend call but before its commit: the task runs again with
    the same request id and the module is not activated a second time."""
    with django_capture_on_commit_callbacks(execute=True):
        order = place(ready, alice, [verified_van.vin])
    sub = order.subscriptions.get()
    Subscription.objects.filter(pk=sub.pk).update(status="activation_pending", activated_at=None)
    tasks.subscription_activate.apply(args=[sub.pk])
    sub.refresh_from_db()
    assert sub.status == "active"
    assert EmulatedModule.objects.get(vin=verified_van.vin).activations == 1


def test_it_fails_at_once_on_a_permanent_error(ready, no_module_van, bundle):
    sub = f.SubscriptionFactory(
        order__company=ready, order__pack=bundle, vehicle=no_module_van, status="activation_pending"
    )
    assert tasks.subscription_activate.apply(args=[sub.pk]).get() == "failed"
    sub.refresh_from_db()
    assert sub.status == "activation_failed" and sub.attempts == 1
    assert "communication module" in sub.failure_reason
    assert Vehicle.objects.get(pk=no_module_van.pk).module_status == "absent"
    assert AuditEvent.objects.filter(action="subscription.activation_failed").count() == 1


def test_it_translates_the_failure_reason_when_shown(ready, no_module_van, bundle):
    from django.utils import translation

    sub = f.SubscriptionFactory(
        order__company=ready, order__pack=bundle, vehicle=no_module_van, status="activation_pending"
    )
    with translation.override("fr"):
        tasks.subscription_activate.apply(args=[sub.pk])
    sub.refresh_from_db()
    assert sub.failure_reason.startswith("The van has no communication module")
    assert sub.failure_reason_display == sub.failure_reason  # no catalogue yet: shown as stored
    # Stored once in English, shown in the reader's language.
    with translation.override("fr"):
        shown = sub.failure_reason_display
    assert shown.startswith("Le véhicule n'a pas de module de communication")
    assert shown != sub.failure_reason


def test_it_retries_transient_errors_then_fails_with_a_reason(ready, verified_van, bundle, settings):
    settings.TELEMATICS_FAILURE_RATE = 1.0
    sub = f.SubscriptionFactory(
        order__company=ready, order__pack=bundle, vehicle=verified_van, status="activation_pending"
    )
    tasks.subscription_activate.apply(args=[sub.pk])
    sub.refresh_from_db()
    assert sub.status == "activation_failed"
    assert sub.attempts == tasks.MAX_RETRIES + 1
    assert "did not answer after several attempts" in sub.failure_reason
    assert not EmulatedModule.objects.exists()


def test_it_succeeds_after_a_transient_error(ready, verified_van, bundle, settings):
    settings.TELEMATICS_FAILURE_RATE = 0.6
    sub = f.SubscriptionFactory(
        order__company=ready, order__pack=bundle, vehicle=verified_van, status="activation_pending"
    )
    # The emulator's failures are deterministic per (vin, request id, attempt): find that attempt 1 fails.
    from vehicles.telematics import EmulatedBackend

    backend = EmulatedBackend()
    first_ok = next(
        a for a in range(1, 50) if not backend._fails(verified_van.vin, sub.activation_request_id, a)
    )
    tasks.subscription_activate.apply(args=[sub.pk])
    sub.refresh_from_db()
    assert sub.status == "active" and sub.attempts == first_ok
    assert EmulatedModule.objects.get(vin=verified_van.vin).activations == 1


def test_it_backs_off_exponentially_with_jitter_and_a_cap():
    for retries in range(12):
        delays = [tasks.backoff(retries) for _ in range(50)]
        ceiling = min(tasks.RETRY_CAP_SECONDS, tasks.RETRY_BASE_SECONDS * 2**retries)
        assert all(0 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1
    assert max(tasks.backoff(30) for _ in range(50)) <= tasks.RETRY_CAP_SECONDS


def test_it_retries_a_failed_activation(
    ready, alice, verified_van, bundle, settings, django_capture_on_commit_callbacks
):
    sub = f.SubscriptionFactory(
        order__company=ready,
        order__pack=bundle,
        vehicle=verified_van,
        status="activation_failed",
        failure_reason="x",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_retry(subscription=sub, actor=Actor.customer(alice))
    sub.refresh_from_db()
    assert sub.status == "active" and sub.failure_reason == ""
    with pytest.raises(ConflictError) as error:
        services.subscription_retry(subscription=sub, actor=Actor.customer(alice))
    assert error.value.code == "not_failed"


def test_it_goes_back_to_waiting_when_a_verification_is_withdrawn(ready, verified_van, bundle):
    sub = f.SubscriptionFactory(
        order__company=ready, order__pack=bundle, vehicle=verified_van, status="activation_pending"
    )
    verified_van.verification_status = "rejected"
    verified_van.save()
    assert tasks.subscription_activate.apply(args=[sub.pk]).get() == "waiting"
    sub.refresh_from_db()
    assert sub.status == "awaiting_verification"
    assert activation_blockers(vehicle=verified_van) == [
        f"The dealer rejected the vehicle {verified_van.vin}."
    ]


def test_it_releases_only_what_is_verified(
    ready, van, verified_van, bundle, django_capture_on_commit_callbacks
):
    waiting = [
        f.SubscriptionFactory(order__company=ready, order__pack=bundle, vehicle=v)
        for v in (van, verified_van)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.subscriptions_release(company=ready, actor=Actor.system()) == 1
        assert services.subscriptions_release(company=ready, actor=Actor.system()) == 0
    statuses = {
        s.vehicle.vin: s.status
        for s in Subscription.objects.filter(pk__in=[w.pk for w in waiting]).select_related("vehicle")
    }
    assert statuses == {van.vin: "awaiting_verification", verified_van.vin: "active"}


def test_it_releases_nothing_while_the_administrator_is_unverified(ready, alice, verified_van, bundle):
    alice.verification_status = "unverified"
    alice.save()
    f.SubscriptionFactory(order__company=ready, order__pack=bundle, vehicle=verified_van)
    assert services.subscriptions_release(company=ready, actor=Actor.system()) == 0


# --- ending ------------------------------------------------------------------------------------------
def activate(company, user, vehicle, pack_code, capture):
    with capture(execute=True):
        order = place(company, user, [vehicle.vin], pack=pack_code)
    sub = order.subscriptions.get()
    assert sub.status == "active"
    return sub


def test_it_cancels_and_switches_the_services_off(
    ready, alice, verified_van, catalogue, django_capture_on_commit_callbacks
):
    sub = activate(ready, alice, verified_van, "connect-complete", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_cancel(subscription=sub, actor=Actor.customer(alice))
    sub.refresh_from_db()
    assert sub.status == "cancelled" and sub.cancelled_at and sub.deactivated_at
    module = EmulatedModule.objects.get(vin=verified_van.vin)
    assert module.active_services == [] and module.deactivations == 1
    assert Vehicle.objects.get(pk=verified_van.pk).module_status == "inactive"
    with pytest.raises(ConflictError):
        services.subscription_cancel(subscription=sub, actor=Actor.customer(alice))


def test_it_keeps_services_another_pack_still_needs(
    ready, alice, verified_van, catalogue, django_capture_on_commit_callbacks
):
    bundle_sub = activate(ready, alice, verified_van, "connect-complete", django_capture_on_commit_callbacks)
    single = activate(ready, alice, verified_van, "fleet-management", django_capture_on_commit_callbacks)
    assert single.pk != bundle_sub.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_cancel(subscription=bundle_sub, actor=Actor.customer(alice))
    module = EmulatedModule.objects.get(vin=verified_van.vin)
    assert module.active_services == ["fleet-management"]
    assert Vehicle.objects.get(pk=verified_van.pk).module_status == "active"


def test_it_cancels_a_waiting_subscription_without_calling_the_backend(
    ready, alice, van, bundle, django_capture_on_commit_callbacks
):
    sub = f.SubscriptionFactory(order__company=ready, order__pack=bundle, vehicle=van)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.subscription_cancel(subscription=sub, actor=Actor.customer(alice))
    assert callbacks == []
    assert not EmulatedModule.objects.exists()


def test_it_cancels_every_live_subscription_of_a_vehicle(
    ready, alice, verified_van, catalogue, django_capture_on_commit_callbacks
):
    activate(ready, alice, verified_van, "connect-complete", django_capture_on_commit_callbacks)
    activate(ready, alice, verified_van, "data-interface-light", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.subscriptions_cancel_for_vehicle(
            vehicle=verified_van, actor=Actor.system(), reason="transfer"
        )
    assert count == 2
    assert not Subscription.objects.live().exists()
    assert EmulatedModule.objects.get(vin=verified_van.vin).active_services == []
    assert AuditEvent.objects.filter(action="subscription.cancelled", details__reason="transfer").count() == 2


def test_it_schedules_the_end_at_the_end_of_the_welcome_offer(
    ready, alice, verified_van, catalogue, django_capture_on_commit_callbacks
):
    sub = activate(ready, alice, verified_van, "connect-complete", django_capture_on_commit_callbacks)
    mail.outbox.clear()  # the order's own e-mails
    services.subscription_cancel(subscription=sub, actor=Actor.customer(alice), at_period_end=True)
    sub.refresh_from_db()
    assert sub.status == "active" and sub.ends_at == sub.trial_ends_at
    assert not mail.outbox


def test_it_activates_a_whole_fleet_in_chunks(ready, bundle, settings, django_capture_on_commit_callbacks):
    vans = [f.VehicleFactory(company=ready, verification_status="verified") for _ in range(30)]
    for van in vans:
        f.SubscriptionFactory(order__company=ready, order__pack=bundle, vehicle=van)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.subscriptions_release(company=ready, actor=Actor.system()) == 30
    assert Subscription.objects.filter(status="active").count() == 30
    assert EmulatedModule.objects.filter(activations=1).count() == 30
    assert tasks.subscriptions_activate.apply(args=[[s.pk for s in Subscription.objects.all()]]).get() == {
        "skipped": 30
    }


def test_it_hands_a_transient_failure_in_a_chunk_to_its_own_task(ready, bundle, settings):
    settings.TELEMATICS_FAILURE_RATE = 1.0
    vans = [f.VehicleFactory(company=ready, verification_status="verified") for _ in range(2)]
    subs = [
        f.SubscriptionFactory(
            order__company=ready, order__pack=bundle, vehicle=v, status="activation_pending"
        )
        for v in vans
    ]
    assert tasks.subscriptions_activate.apply(args=[[s.pk for s in subs]]).get() == {"retry": 2}
    for sub in subs:
        sub.refresh_from_db()
        assert sub.status == "activation_failed"  # its own task retried (eagerly here) up to the cap
        assert sub.attempts == tasks.MAX_RETRIES + 1


def _pending(company, bundle, count, order=None):
    where = {"order": order} if order else {"order__company": company, "order__pack": bundle}
    return [
        f.SubscriptionFactory(
            **where,
            vehicle=f.VehicleFactory(company=company, verification_status="verified"),
            status="activation_pending",
        )
        for _ in range(count)
    ]


def test_a_chunk_writes_each_outcome_of_its_own(ready, bundle, catalogue, verified_van, no_module_van):
    """One chunk, every outcome: two packs on one van (its module switched on once), a van without
    a module, a van whose verification was withdrawn, and a subscription already active."""
    from mpro.models import OutboxMessage

    order = f.OrderFactory(company=ready, pack=bundle)
    both = [
        f.SubscriptionFactory(order=order, vehicle=verified_van, status="activation_pending"),
        f.SubscriptionFactory(
            order__company=ready,
            order__pack=catalogue["fleet-management"],
            vehicle=verified_van,
            status="activation_pending",
        ),
    ]
    refused = f.SubscriptionFactory(order=order, vehicle=no_module_van, status="activation_pending")
    withdrawn = f.SubscriptionFactory(
        order=order, vehicle=f.VehicleFactory(company=ready), status="activation_pending"
    )
    done = f.SubscriptionFactory(
        order=order, vehicle=verify(f.VehicleFactory(company=ready)), status="active", attempts=1
    )
    ids = [s.pk for s in (*both, refused, withdrawn, done)]
    assert tasks.subscriptions_activate.apply(args=[ids]).get() == {
        "active": 2,
        "failed": 1,
        "waiting": 1,
        "skipped": 1,
    }
    states = dict(Subscription.objects.values_list("pk", "status"))
    assert [states[pk] for pk in ids] == [
        "active",
        "active",
        "activation_failed",
        "awaiting_verification",
        "active",
    ]
    assert "no communication module" in Subscription.objects.get(pk=refused.pk).failure_reason
    assert Subscription.objects.get(pk=withdrawn.pk).attempts == 0  # no call was made
    assert Subscription.objects.get(pk=done.pk).attempts == 1
    assert Vehicle.objects.get(pk=verified_van.pk).module_status == "active"
    assert Vehicle.objects.get(pk=no_module_van.pk).module_status == "absent"
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "target")) == [
        ("subscription.activated", verified_van.vin),
        ("vehicle.module_activated", verified_van.vin),
        ("subscription.activated", verified_van.vin),
        ("subscription.activation_failed", no_module_van.vin),
    ]
    assert sorted(
        OutboxMessage.objects.exclude(kind=OutboxMessage.TASK).values_list("kind", "payload__subscription")
    ) == [
        ("subscription.activated", both[0].pk),
        ("subscription.activated", both[1].pk),
        ("subscription.activation_failed", refused.pk),
    ]


def test_a_slow_backend_commits_a_chunk_as_it_goes(ready, bundle, monkeypatch):
    """Past ACTIVATION_HOLD_SECONDS of calls a chunk commits what is done and goes on in a new
    transaction: a worker that dies then keeps what committed, and the chunk's rows are not held
    for a slow backend's whole chunk."""
    from packs.services import activation
    from vehicles.telematics.emulator import EmulatedBackend

    monkeypatch.setattr(activation, "ACTIVATION_HOLD_SECONDS", 0)
    subs = _pending(ready, bundle, 3)
    calls = []
    activate = EmulatedBackend.activate

    def dies_on_the_third_call(self, vin, services, **kwargs):
        calls.append(vin)
        if len(calls) == 3:
            raise SystemExit("the worker is killed")
        return activate(self, vin, services, **kwargs)

    monkeypatch.setattr(EmulatedBackend, "activate", dies_on_the_third_call)
    with pytest.raises(SystemExit):
        tasks.subscriptions_activate.apply(args=[[s.pk for s in subs]], throw=True)
    states = dict(Subscription.objects.values_list("pk", "status"))
    assert [states[s.pk] for s in subs] == ["active", "active", "activation_pending"]
    monkeypatch.setattr(EmulatedBackend, "activate", activate)
    assert tasks.subscriptions_activate.apply(args=[[s.pk for s in subs]]).get() == {
        "skipped": 2,
        "active": 1,
    }


# PostgreSQL's counts: the emulator's change and the outbox's mark are one statement there
# (elsewhere a locked read and a write, covered by the other tests here).
@pytest.mark.postgres
def test_a_chunk_costs_one_statement_per_activation(ready, bundle):
    """Per subscription: the backend's one statement. Per chunk: its transaction (a savepoint
    inside the test's own) and its release, the lock of its pending rows with their vans and
    companies, the administrator and the pack with its services (read once), then what the calls
    gave: the subscriptions in one update, the vans switched on (their locked read and one
    update), every audit event in one insert and the outbox events in one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 5):
        ids = [s.pk for s in _pending(ready, bundle, size)]
        with CaptureQueriesContext(connection) as queries:
            assert tasks.subscriptions_activate.apply(args=[ids]).get() == {"active": size}
        counts.append(len(queries))
    assert counts[1] - counts[0] == 3
    assert counts[0] == 2 * 1 + 2 + 9


def test_a_chunk_writes_every_audit_and_outbox_event(ready, bundle):
    from mpro.models import OutboxMessage

    subs = _pending(ready, bundle, 3)
    tasks.subscriptions_activate.apply(args=[[s.pk for s in subs]])
    for sub in subs:
        sub.refresh_from_db()
        vin = sub.vehicle.vin
        assert sub.status == "active" and sub.attempts == 1 and sub.vehicle.module_status == "active"
        events = list(AuditEvent.objects.filter(target=vin).order_by("pk"))
        assert [(e.action, e.company_id, e.actor_kind) for e in events] == [
            ("subscription.activated", ready.pk, "system"),
            ("vehicle.module_activated", ready.pk, "system"),
        ]
        services_on = [s.code for s in pack_fit(pack=bundle, vehicle=sub.vehicle).services]
        assert events[0].details == {"subscription": sub.pk, "pack": bundle.code, "services": services_on}
        assert events[1].details == {}
        message = OutboxMessage.objects.get(kind="subscription.activated", payload__subscription=sub.pk)
        assert message.company_id == ready.pk
        assert message.payload == {
            "subscription": sub.pk,
            "order": sub.order_id,
            "pro_id": ready.pro_id,
            "vin": vin,
            "pack": bundle.code,
        }
    # A van whose module is already on gets no module event.
    van = f.VehicleFactory(company=ready, verification_status="verified", module_status="active")
    again = f.SubscriptionFactory(
        order__company=ready, order__pack=bundle, vehicle=van, status="activation_pending"
    )
    assert tasks.subscriptions_activate.apply(args=[[again.pk]]).get() == {"active": 1}
    assert list(AuditEvent.objects.filter(target=van.vin).values_list("action", flat=True)) == [
        "subscription.activated"
    ]


# PostgreSQL's counts: the emulator's change and the outbox's mark are one statement there
# (elsewhere a locked read and a write, covered by the other tests here).
@pytest.mark.postgres
def test_the_consumers_of_a_chunk_cost_three_statements_whatever_its_size(ready, bundle):
    """The subscription.activated events of a chunk of a mass order, to each consumer at once
    (outbox `many`): the messages read together, its handler's one question (the order still has
    pending subscriptions; the company has no webhook endpoint) and the marks in one update."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mpro import outbox
    from mpro.models import OutboxMessage

    order = f.OrderFactory(company=ready, pack=bundle)
    _pending(ready, bundle, 1, order=order)  # the order's last one, still pending
    counts: dict[str, list[int]] = {}
    for size in (2, 5):
        subs = _pending(ready, bundle, size, order=order)
        tasks.subscriptions_activate.apply(args=[[s.pk for s in subs]])
        ids = list(
            OutboxMessage.objects.filter(payload__subscription__in=[s.pk for s in subs]).values_list(
                "pk", flat=True
            )
        )
        for consumer in outbox.consumers("subscription.activated"):
            with CaptureQueriesContext(connection) as queries:
                assert outbox.consume_many(message_ids=ids, consumer_name=consumer.name) == []
            counts.setdefault(consumer.name, []).append(len(queries))
    assert len(counts) == 2  # the order's e-mail and the webhooks
    assert all(small == large == 3 for small, large in counts.values()), counts
    assert not mail.outbox  # the order has not settled
    assert all(m.delivered_at for m in OutboxMessage.objects.filter(kind="subscription.activated"))
