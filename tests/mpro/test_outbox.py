"""The transactional outbox (mpro/outbox.py): events fan out once, tasks survive a dead broker."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from mpro import outbox
from mpro.models import OutboxMessage

from .conftest import CLOSED_BROKER, broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(consumers_registry):
    outbox.register_kinds(["test.happened"])
    received = []
    outbox.subscribe("test.happened", lambda event: received.append(("first", event.payload)), name="first")
    outbox.subscribe("test.happened", lambda event: received.append(("second", event.payload)), name="second")
    return received


def test_it_delivers_an_event_to_each_consumer_after_commit(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = outbox.emit("test.happened", company_id=7, payload={"vin": "WDB9066331S123456"})
            assert calls == []  # nothing before commit
    assert calls == [("first", {"vin": "WDB9066331S123456"}), ("second", {"vin": "WDB9066331S123456"})]
    message.refresh_from_db()
    assert message.published_at and message.delivered_at and message.done == ["first", "second"]


def test_it_sends_nothing_when_the_transaction_rolls_back(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.emit("test.happened", company_id=7, payload={})
            raise RuntimeError("the service failed")
    assert calls == []
    assert not OutboxMessage.objects.exists()


def test_it_calls_a_consumer_once_when_the_message_is_delivered_again(calls):
    message = OutboxMessage.objects.create(kind="test.happened", payload={"n": 1})
    assert outbox.consume(message_id=message.pk, consumer_name="first") == "done"
    assert outbox.consume(message_id=message.pk, consumer_name="first") == "skipped"
    assert calls == [("first", {"n": 1})]
    message.refresh_from_db()
    assert message.delivered_at is None  # "second" has not run yet
    outbox.consume(message_id=message.pk, consumer_name="second")
    message.refresh_from_db()
    assert message.delivered_at is not None


def test_a_failing_consumer_is_retried_alone(consumers_registry):
    outbox.register_kinds(["test.happened"])
    received, failures = [], [RuntimeError("smtp down")]

    def flaky(event):
        if failures:
            raise failures.pop()
        received.append("flaky")

    outbox.subscribe("test.happened", lambda event: received.append("steady"), name="steady")
    outbox.subscribe("test.happened", flaky, name="flaky")
    message = OutboxMessage.objects.create(kind="test.happened", payload={})
    outbox.consume(message_id=message.pk, consumer_name="steady")
    with pytest.raises(RuntimeError):
        outbox.consume(message_id=message.pk, consumer_name="flaky")
    # The sweeper's second delivery sends both tasks; "steady" already ran and is not called again.
    for name in ("steady", "flaky"):
        outbox.consume(message_id=message.pk, consumer_name=name)
    assert received == ["steady", "flaky"]


def test_it_keeps_the_message_when_the_broker_is_down_and_the_sweeper_publishes_it(
    calls, django_capture_on_commit_callbacks
):
    with broker(CLOSED_BROKER), django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("mpro.tasks.outbox_sweep", args=[])
    message.refresh_from_db()
    assert message.published_at is None
    assert message.attempts == 1 and message.last_error
    assert list(outbox.stuck(timezone.now() + datetime.timedelta(minutes=1))) == [message]

    # Broker back (here: in-process), a minute later.
    result = outbox.sweep(now=timezone.now() + datetime.timedelta(minutes=1))
    assert result == {"published": 1, "unpublished": 1, "redelivered": 0}
    message.refresh_from_db()
    assert message.published_at and message.delivered_at


def test_the_sweeper_leaves_fresh_messages_to_the_after_commit_publish(
    calls, django_capture_on_commit_callbacks
):
    with broker(CLOSED_BROKER), django_capture_on_commit_callbacks(execute=True):
        outbox.emit("test.happened", company_id=None, payload={})
    assert outbox.sweep()["unpublished"] == 0
    assert calls == []


def test_the_sweeper_delivers_again_an_event_whose_tasks_were_lost(calls):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    message = OutboxMessage.objects.create(
        kind="test.happened", payload={"n": 2}, published_at=long_ago, done=["first"]
    )
    assert outbox.sweep()["redelivered"] == 1
    assert calls == [("second", {"n": 2})]
    message.refresh_from_db()
    assert message.delivered_at and message.attempts == 1


def test_an_event_nobody_listens_to_is_delivered_when_published(
    consumers_registry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.emit("maintenance.due", company_id=None, payload={"vin": "x"})
    message.refresh_from_db()
    assert message.delivered_at is not None


def test_it_refuses_an_unknown_event_kind(consumers_registry):
    with pytest.raises(ValueError):
        outbox.emit("vehicle.verifed", company_id=None, payload={})
    with pytest.raises(ValueError):
        outbox.subscribe("vehicle.verifed", print)


def test_claim_once_is_true_only_the_first_time():
    assert outbox.claim_once("order-1-settled")
    assert not outbox.claim_once("order-1-settled")


def test_tasks_are_routed_to_queues_by_kind(settings):
    from mpro.celery import all_queues, app, queue_name

    def queue_of(name):
        return app.amqp.router.route({}, name, (), {})["queue"].name

    assert queue_of("packs.tasks.subscription_activate") == queue_name("activation")
    assert queue_of("packs.tasks.subscriptions_activate") == queue_name("activation")
    assert queue_of("vehicles.tasks.vehicle_import_run") == queue_name("bulk")
    assert queue_of("vehicles.tasks.vehicle_module_refresh") == queue_name("bulk")
    assert queue_of("commands.tasks.command_send") == queue_name("commands")
    assert queue_of("integrations.tasks.webhook_deliver") == queue_name("webhooks")
    assert queue_of("packs.tasks.subscriptions_daily") == app.conf.task_default_queue
    assert len(set(all_queues())) == 7


def test_queue_names_are_plain_under_the_default_queue_and_prefixed_under_another():
    from mpro.celery import app, queue_name

    previous = app.conf.task_default_queue
    try:
        app.conf.task_default_queue = "mpro"
        assert queue_name("activation") == "activation" and queue_name(None) == "mpro"
        app.conf.task_default_queue = "test-1234"
        assert queue_name("activation") == "test-1234.activation"
    finally:
        app.conf.task_default_queue = previous


def test_the_sweeper_forgets_delivered_messages_after_a_month():
    now = timezone.now()
    old = OutboxMessage.objects.create(kind="task", payload={}, published_at=now, delivered_at=now)
    undelivered = OutboxMessage.objects.create(kind="order.placed", payload={}, published_at=now)
    OutboxMessage.objects.create(
        kind="task", payload={}, published_at=now, delivered_at=now + datetime.timedelta(days=20)
    )
    outbox.sweep(now=now + datetime.timedelta(days=31))
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.filter(pk=undelivered.pk).exists()
    assert OutboxMessage.objects.count() == 2


def test_events_published_together_go_to_each_consumer_in_one_task(
    calls, monkeypatch, django_capture_on_commit_callbacks
):
    """A reporting batch raising hundreds of alerts: one task per consumer, not one per event."""
    sent = []

    class Recorder:
        def __init__(self, name):
            self.name = name

        def apply_async(self, args, **options):
            sent.append((self.name, args))

    monkeypatch.setattr(outbox, "_task", lambda app, name: Recorder(name))
    with broker("memory://"), django_capture_on_commit_callbacks(execute=True):
        messages = outbox.emit_many("test.happened", [(7, {"n": n}) for n in range(3)])
        single = outbox.emit("test.happened", company_id=7, payload={"n": 9})
    ids = [m.pk for m in messages]
    assert sorted(sent) == [
        ("mpro.tasks.outbox_consume", (single.pk, "first")),
        ("mpro.tasks.outbox_consume", (single.pk, "second")),
        ("mpro.tasks.outbox_consume_many", (ids, "first")),
        ("mpro.tasks.outbox_consume_many", (ids, "second")),
    ]
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 0


def test_consuming_many_events_keeps_going_past_a_failure_and_retries_only_it(consumers_registry):
    outbox.register_kinds(["test.happened"])
    received, failing = [], {2}

    def flaky(event):
        if event.payload["n"] in failing:
            failing.clear()
            raise RuntimeError("smtp down")
        received.append(event.payload["n"])

    outbox.subscribe("test.happened", flaky, name="flaky")
    ids = [OutboxMessage.objects.create(kind="test.happened", payload={"n": n}).pk for n in range(1, 4)]
    errors = outbox.consume_many(message_ids=ids, consumer_name="flaky")
    assert [str(e) for e in errors] == ["smtp down"] and received == [1, 3]
    assert outbox.consume_many(message_ids=ids, consumer_name="flaky") == []
    assert received == [1, 3, 2]  # the retry called only the one that failed
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0


def test_a_block_publishes_what_committed_in_it_together_when_it_ends(
    calls, django_capture_on_commit_callbacks, monkeypatch
):
    """A chunk of activations: each transaction commits its own event; they are published in one
    call when the chunk ends, and not before."""
    publishes = []
    publish = outbox.publish
    monkeypatch.setattr(outbox, "publish", lambda ids: publishes.append(list(ids)) or publish(ids))
    with outbox.publishing_together():
        for n in (1, 2):
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                outbox.emit("test.happened", company_id=7, payload={"n": n})
        assert publishes == [] and calls == []  # committed, held until the block ends
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert publishes == [[m.pk for m in messages]]
    assert sorted(calls, key=str) == [
        ("first", {"n": 1}),
        ("first", {"n": 2}),
        ("second", {"n": 1}),
        ("second", {"n": 2}),
    ]
    assert all(m.delivered_at and m.done == ["first", "second"] for m in messages)


def test_a_message_committed_after_the_block_is_published_after_its_commit(
    calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with outbox.publishing_together(), transaction.atomic():
            outbox.emit("test.happened", company_id=7, payload={"n": 1})
        assert calls == []  # the outer transaction has not committed yet
    assert calls == [("first", {"n": 1}), ("second", {"n": 1})]


def test_a_consumer_marked_twice_is_listed_once(calls):
    message = OutboxMessage.objects.create(kind="test.happened", payload={"n": 1})
    outbox._mark_done([message], "first")
    outbox._mark_done([message], "first")
    message.refresh_from_db()
    assert message.done == ["first"] and message.delivered_at is None
    outbox.consume_many(message_ids=[message.pk], consumer_name="second")
    message.refresh_from_db()
    assert message.done == ["first", "second"] and message.delivered_at is not None
    assert calls == [("second", {"n": 1})]


def test_a_consumer_with_many_gets_a_chunk_in_one_call_and_it_is_marked_done_together(consumers_registry):
    """A chunk of 25 activations: one call for the 25 events, and the 25 marks in one go."""
    outbox.register_kinds(["test.happened"])
    one_by_one, chunks = [], []
    outbox.subscribe(
        "test.happened",
        lambda event: one_by_one.append(event.payload["n"]),
        name="both",
        many=lambda events: chunks.append([e.payload["n"] for e in events]),
    )
    ids = [OutboxMessage.objects.create(kind="test.happened", payload={"n": n}).pk for n in range(1, 4)]
    assert outbox.consume_many(message_ids=ids, consumer_name="both") == []
    assert chunks == [[1, 2, 3]] and one_by_one == []
    assert all(m.done == ["both"] and m.delivered_at for m in OutboxMessage.objects.all())
    assert outbox.consume_many(message_ids=ids, consumer_name="both") == []  # delivered again
    assert chunks == [[1, 2, 3]]
    # One event alone (in-process, or a single publish) still goes to the handler.
    single = OutboxMessage.objects.create(kind="test.happened", payload={"n": 9})
    assert outbox.consume(message_id=single.pk, consumer_name="both") == "done"
    assert one_by_one == [9]


def test_a_chunk_whose_many_fails_is_marked_nowhere_and_runs_again_whole(consumers_registry):
    outbox.register_kinds(["test.happened"])
    chunks, failures = [], [RuntimeError("database gone")]

    def many(events):
        if failures:
            raise failures.pop()
        chunks.append([e.payload["n"] for e in events])

    outbox.subscribe("test.happened", lambda event: None, name="chunked", many=many)
    ids = [OutboxMessage.objects.create(kind="test.happened", payload={"n": n}).pk for n in (1, 2)]
    errors = outbox.consume_many(message_ids=ids, consumer_name="chunked")
    assert [str(e) for e in errors] == ["database gone"]
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 2
    assert outbox.consume_many(message_ids=ids, consumer_name="chunked") == []
    assert chunks == [[1, 2]]
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0


def test_a_chunk_goes_one_by_one_when_its_kinds_do_not_share_a_many(consumers_registry):
    outbox.register_kinds(["test.happened", "test.other"])
    seen = []
    outbox.subscribe("test.happened", lambda e: seen.append(("one", e.kind)), name="c", many=seen.append)
    outbox.subscribe("test.other", lambda e: seen.append(("one", e.kind)), name="c")
    ids = [OutboxMessage.objects.create(kind=kind, payload={}).pk for kind in ("test.happened", "test.other")]
    assert outbox.consume_many(message_ids=ids, consumer_name="c") == []
    assert seen == [("one", "test.happened"), ("one", "test.other")]
