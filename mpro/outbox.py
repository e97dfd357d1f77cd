"""Events that fan out once and tasks that are never lost: a transactional outbox.

A service writes an OutboxMessage in its own transaction (`emit` for a domain event, `enqueue` for a
task). After commit the message is published to Celery; if the broker is down the row stays
unpublished, the request still succeeds, and the beat task `mpro.tasks.outbox_sweep` publishes it
later. An event is delivered by one `outbox_consume` task per consumer, each on its consumer's
queue (events published together: one `outbox_consume_many` per consumer and chunk); a consumer that already ran for a message is not called again (`OutboxMessage.done`).

    from mpro import outbox
    outbox.emit("vehicle.verified", company_id=company.pk, payload={"vin": vin, "pro_id": pro_id})
    outbox.enqueue("vehicles.tasks.vehicle_module_refresh", args=[[vehicle.pk]], company_id=company.pk)
    # in an AppConfig.ready(), so that lower apps never import higher ones:
    outbox.subscribe("vehicle.verified", notify_vehicle_verified, queue="email")

Payloads carry ids (PRO ID, VIN, subscription id), never personal data: consumers read the rest.
"""

from __future__ import annotations

import datetime
import importlib
import json
import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import OnceKey, OutboxMessage

log = logging.getLogger(__name__)

# The kinds of event the project emits (a consumer of an unknown kind is a typo, refused early).
EVENT_KINDS = {
    "company.verified",
    "company.rejected",
    "member.verified",
    "vehicle.verified",
    "vehicle.rejected",
    "vehicle.transferred",
    "subscription.activated",
    "subscription.activation_failed",
    "order.placed",
    "support_password.locked",
    # Announced for the connected-service apps; they emit them when they land.
    "command.sent",
    "command.succeeded",
    "command.failed",
    "command.expired",
    "maintenance.due",
    "trip.completed",
    "alert.raised",
}


@dataclass(frozen=True)
class Event:
    """What a consumer receives: the message's id (stable across redeliveries: an idempotency
    key), its kind, the company it concerns and its payload of ids."""

    id: int
    kind: str
    company_id: int | None
    payload: dict
    created_at: datetime.datetime


@dataclass(frozen=True)
class Consumer:
    name: str
    kind: str
    handler: Callable[[Event], None]
    queue: str
    # Optional: the same work for the events of a published chunk at once (a lookup per chunk, not
    # per event). It must leave what calling `handler` on each would, and be safe to run again: the
    # chunk's events are marked done together after it returns.
    many: Callable[[list[Event]], None] | None = None


_consumers: dict[str, list[Consumer]] = {}


def register_kinds(kinds: Iterable[str]) -> None:
    """Lets a later app announce event kinds of its own."""
    EVENT_KINDS.update(kinds)


def subscribe(
    kind: str,
    handler: Callable[[Event], None],
    *,
    queue: str = "email",
    name: str = "",
    many: Callable[[list[Event]], None] | None = None,
) -> None:
    """Calls `handler(event)` in a task on `queue` (a queue kind, see mpro.celery.QUEUE_KINDS) after
    each committed event of `kind`; with `many`, events published together go to `many(events)`
    in one call instead (see Consumer.many). Registering the same handler twice is harmless."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}; add it with outbox.register_kinds()")
    name = name or f"{handler.__module__}.{handler.__qualname__}"
    registered = _consumers.setdefault(kind, [])
    if all(c.name != name for c in registered):
        registered.append(Consumer(name=name, kind=kind, handler=handler, queue=queue, many=many))


def consumers(kind: str) -> list[Consumer]:
    return list(_consumers.get(kind, []))


def emit(kind: str, *, company_id: int | None, payload: dict) -> OutboxMessage:
    """Records an event in the caller's transaction; it is published after commit."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    message = OutboxMessage.objects.create(kind=kind, company_id=company_id, payload=payload)
    _publish_on_commit([message.pk])
    return message


def emit_many(kind: str, events: list[tuple[int | None, dict]]) -> list[OutboxMessage]:
    """`emit` for many events of one kind in one insert: (company_id, payload) each (a reporting
    batch that raises hundreds of alerts must not cost a statement per alert)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    messages = OutboxMessage.objects.bulk_create(
        [OutboxMessage(kind=kind, company_id=company_id, payload=payload) for company_id, payload in events]
    )
    if messages:
        _publish_on_commit([m.pk for m in messages])
    return messages


def enqueue(task: str, *, args: list, company_id: int | None = None) -> OutboxMessage:
    """Records a task (by its registered name) in the caller's transaction; published after commit."""
    return enqueue_many(task, [args], company_id=company_id)[0]


def enqueue_many(task: str, args_list: list[list], *, company_id: int | None = None) -> list[OutboxMessage]:
    """`enqueue` for many messages of one task in one insert (a mass activation: thousands)."""
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                kind=OutboxMessage.TASK, company_id=company_id, payload={"task": task, "args": args}
            )
            for args in args_list
        ]
    )
    _publish_on_commit([m.pk for m in messages])
    return messages


def _publish_on_commit(ids: list[int]) -> None:
    # One callback per call: publishing reuses the pooled broker connection, so a transaction that
    # enqueues a task and emits an event costs no second connection.
    transaction.on_commit(lambda: _published_after_commit(ids))


_together = threading.local()


def _published_after_commit(ids: list[int]) -> None:
    held = getattr(_together, "ids", None)
    if held is None:
        publish(ids)
    else:
        held.extend(ids)


@contextmanager
def publishing_together():
    """Inside the block, the messages of each transaction that commits are held and published
    together when the block ends: a chunk of 25 activations (25 transactions, 25 events) sends
    one `outbox_consume_many` per consumer instead of 25 `outbox_consume`. Each message is still
    written in its own transaction, and published only after that commit; one committed after the
    block (an outer transaction still open) is published after its commit as usual. A worker killed
    inside the block leaves the held messages to the sweeper, like a broker that was down."""
    if getattr(_together, "ids", None) is not None:  # nested: the outer block publishes
        yield
        return
    _together.ids = []
    try:
        yield
    finally:
        ids, _together.ids = _together.ids, None
        if ids:
            publish(ids)


# --- publishing -------------------------------------------------------------------------------
def broker_errors() -> tuple[type[BaseException], ...]:
    """What a publish raises when the broker is unreachable (kombu wraps most; redis-py and the
    socket layer raise their own)."""
    from kombu.exceptions import OperationalError

    errors: tuple[type[BaseException], ...] = (OperationalError, OSError)
    try:
        import redis.exceptions

        errors += (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return errors


def publish(ids: list[int]) -> int:
    """Publishes the messages among `ids` that are not published yet; returns how many were.
    A broker failure is logged and counted on the rows (`attempts`, `last_error`), never raised:
    the sweeper tries again."""
    from .celery import app

    messages = list(OutboxMessage.objects.filter(pk__in=ids, published_at__isnull=True).order_by("pk"))
    if not messages:
        return 0
    if app.conf.task_always_eager:
        # In-process (`make run`, the test suite): mark first, then run, so an error in a task
        # reaches the caller as it would without the outbox, and the row is not published twice.
        _mark_published(messages)
        for message in messages:
            _send(message, producer=None)
        return len(messages)
    sent: list[OutboxMessage] = []
    try:
        with app.producer_or_acquire() as producer:
            for start in range(0, len(messages), PUBLISH_CHUNK):
                chunk = messages[start : start + PUBLISH_CHUNK]
                _send_chunk(chunk, producer=producer)
                sent += chunk
    except broker_errors() as error:
        failed = [m.pk for m in messages[len(sent) :]]
        log.warning("outbox: broker unreachable, %d message(s) left for the sweeper: %s", len(failed), error)
        OutboxMessage.objects.filter(pk__in=failed).update(
            attempts=F("attempts") + 1, last_error=str(error)[:300]
        )
    _mark_published(sent)
    return len(sent)


def _mark_published(messages: list[OutboxMessage]) -> None:
    """A task is done once the broker has it; an event once its consumers ran (at once if it has
    none)."""
    now = timezone.now()
    finished = [m.pk for m in messages if m.kind == OutboxMessage.TASK or not _consumers.get(m.kind)]
    waiting = [m.pk for m in messages if m.pk not in set(finished)]
    for ids, fields in (
        (finished, {"published_at": now, "delivered_at": now}),
        (waiting, {"published_at": now}),
    ):
        for start in range(0, len(ids), 1000):
            OutboxMessage.objects.filter(pk__in=ids[start : start + 1000]).update(**fields)


# Events published together go to each consumer in one task per chunk: a reporting batch that
# raises 150 alerts sends two tasks (e-mail, webhooks), not 300, and the publisher's share of
# the round drops from a broker round trip per event to one per chunk.
PUBLISH_CHUNK = 200


def _send_chunk(messages: list[OutboxMessage], *, producer) -> None:
    from .celery import app, queue_name

    deliveries: dict[str, tuple[Consumer, list[int]]] = {}
    for message in messages:
        if message.kind != OutboxMessage.TASK:
            for consumer in consumers(message.kind):
                if consumer.name not in message.done:
                    deliveries.setdefault(consumer.name, (consumer, []))[1].append(message.pk)
            continue
        try:
            _send(message, producer=producer)
        except broker_errors():
            raise
        except Exception as error:  # a task renamed since: never retried, shown in the admin
            log.exception("outbox: message %s cannot be published", message.pk)
            OutboxMessage.objects.filter(pk=message.pk).update(last_error=repr(error)[:300])
    for consumer, ids in deliveries.values():
        queue = {"queue": queue_name(consumer.queue), "producer": producer}
        if len(ids) == 1:
            _task(app, "mpro.tasks.outbox_consume").apply_async((ids[0], consumer.name), **queue)
        else:
            _task(app, "mpro.tasks.outbox_consume_many").apply_async((ids, consumer.name), **queue)


def _send(message: OutboxMessage, *, producer) -> None:
    from .celery import app, queue_name

    options = {"producer": producer} if producer is not None else {}
    if message.kind == OutboxMessage.TASK:
        _task(app, message.payload["task"]).apply_async(args=message.payload["args"], **options)
        return
    for consumer in consumers(message.kind):
        if consumer.name not in message.done:
            _task(app, "mpro.tasks.outbox_consume").apply_async(
                (message.pk, consumer.name), queue=queue_name(consumer.queue), **options
            )


def _task(app, name: str):
    """The registered task `name`; a web process has not necessarily imported its module yet
    (Celery discovers task modules when a worker starts), so import it by name."""
    if name not in app.tasks:
        importlib.import_module(name.rsplit(".", 1)[0])
    return app.tasks[name]


# --- consuming --------------------------------------------------------------------------------
def consume(*, message_id: int, consumer_name: str) -> str:
    """Runs one consumer for one message, once: "done", or "skipped" when it already ran. The
    handler runs outside any transaction (it may send e-mail or call a webhook); a handler that
    raises is retried by the task, and the consumers that succeeded are not called again."""
    return _consume(OutboxMessage.objects.filter(pk=message_id).first(), consumer_name)


def _consume(message: OutboxMessage | None, consumer_name: str) -> str:
    if message is None or consumer_name in message.done:
        return "skipped"
    consumer = _consumer(message.kind, consumer_name)
    if consumer is not None:
        consumer.handler(_event(message))
    _mark_done([message], consumer_name)
    return "done"


def _consumer(kind: str, name: str) -> Consumer | None:
    return next((c for c in _consumers.get(kind, ()) if c.name == name), None)


def _event(message: OutboxMessage) -> Event:
    return Event(
        id=message.pk,
        kind=message.kind,
        company_id=message.company_id,
        payload=message.payload,
        created_at=message.created_at,
    )


def _mark_done(messages: list[OutboxMessage], consumer_name: str) -> None:
    """Adds the consumer to each message's `done` (once), and stamps `delivered_at` when every
    consumer of its kind ran; the messages are of one kind. On PostgreSQL one UPDATE, atomic on
    each row (a concurrent consumer's mark is re-read by PostgreSQL before this one applies),
    instead of a transaction of three per message."""
    names = sorted({c.name for c in consumers(messages[0].kind)})
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        for message in messages:
            with transaction.atomic():
                message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
                if consumer_name not in message.done:
                    message.done = [*message.done, consumer_name]
                if set(names) <= set(message.done):
                    message.delivered_at = message.delivered_at or timezone.now()
                message.save(update_fields=["done", "delivered_at"])
        return
    mine = json.dumps([consumer_name])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {OutboxMessage._meta.db_table} SET "
            "done = CASE WHEN done @> %s::jsonb THEN done ELSE done || %s::jsonb END, "
            "delivered_at = CASE WHEN delivered_at IS NULL AND (done || %s::jsonb) @> %s::jsonb "
            "THEN %s ELSE delivered_at END WHERE id = ANY(%s)",
            [mine, mine, mine, json.dumps(names), timezone.now(), [m.pk for m in messages]],
        )


def consume_many(*, message_ids: list[int], consumer_name: str) -> list[Exception]:
    """`consume` for each of these messages, each on its own (read together in one query), or all
    at once through the consumer's `many`; returns the errors of those that failed (the task
    retries them, and the others are skipped then as already done)."""
    messages = OutboxMessage.objects.in_bulk(message_ids)
    todo = [m for pk in message_ids if (m := messages.get(pk)) is not None and consumer_name not in m.done]
    many = {(c.many if (c := _consumer(m.kind, consumer_name)) else None) for m in todo}
    if len(many) == 1 and None not in many:
        return _consume_together(todo, consumer_name, many.pop())
    errors = []
    for message_id in message_ids:
        try:
            _consume(messages.get(message_id), consumer_name)
        except Exception as error:  # noqa: BLE001 (one event's failure must not hold the others)
            log.exception("outbox: consumer %s failed on message %s", consumer_name, message_id)
            errors.append(error)
    return errors


def _consume_together(
    messages: list[OutboxMessage], consumer_name: str, many: Callable[[list[Event]], None]
) -> list[Exception]:
    """The chunk through the consumer's `many`: it runs once for all of them, and they are marked
    done together (one statement per kind on PostgreSQL). When it raises, none is marked and the
    task runs the chunk again."""
    try:
        many([_event(m) for m in messages])
    except Exception as error:  # noqa: BLE001 (the task retries; logged like a single event's)
        log.exception("outbox: consumer %s failed on %d message(s)", consumer_name, len(messages))
        return [error]
    by_kind: dict[str, list[OutboxMessage]] = {}
    for message in messages:
        by_kind.setdefault(message.kind, []).append(message)
    for kind_messages in by_kind.values():
        _mark_done(kind_messages, consumer_name)
    return []


def claim_once(key: str) -> bool:
    """True the first time `key` is claimed, False ever after (a unique row). For a consumer that
    must act once for an outcome several events report (one e-mail when an order has settled)."""
    try:
        with transaction.atomic():
            OnceKey.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


# --- the sweeper --------------------------------------------------------------------------------
PUBLISH_GRACE_SECONDS = 30  # leave the after-commit publish this long before the sweeper steps in
REDELIVER_AFTER_SECONDS = 15 * 60  # an event published but not delivered: its tasks were lost
MAX_REDELIVERIES = 10
SWEEP_BATCH = 1000
KEEP_DELIVERED_DAYS = 30


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Publishes what was never published (the broker was down) and publishes again the events
    whose delivery was lost (a consumer that kept failing, a purged queue), a bounded number of
    times. Runs every minute from beat."""
    now = now or timezone.now()
    unpublished = list(
        OutboxMessage.objects.filter(
            published_at__isnull=True, created_at__lt=now - datetime.timedelta(seconds=PUBLISH_GRACE_SECONDS)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    lost = list(
        OutboxMessage.objects.filter(
            delivered_at__isnull=True,
            published_at__lt=now - datetime.timedelta(seconds=REDELIVER_AFTER_SECONDS),
            attempts__lt=MAX_REDELIVERIES,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if lost:
        OutboxMessage.objects.filter(pk__in=lost).update(published_at=None, attempts=F("attempts") + 1)
    # Delivered messages are kept a while for the admin, then go (ids only, no personal data).
    old = OutboxMessage.objects.filter(delivered_at__lt=now - datetime.timedelta(days=KEEP_DELIVERED_DAYS))
    OutboxMessage.objects.filter(pk__in=list(old.values_list("pk", flat=True)[:SWEEP_BATCH])).delete()
    return {
        "published": publish(unpublished + lost),
        "unpublished": len(unpublished),
        "redelivered": len(lost),
    }


def stuck(now: datetime.datetime | None = None):
    """Messages not published within the grace period: what an operator looks at in an outage."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        published_at__isnull=True, created_at__lt=now - datetime.timedelta(seconds=PUBLISH_GRACE_SECONDS)
    )
