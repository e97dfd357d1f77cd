"""Celery tasks of the packs app: thin, idempotent, retried with capped exponential backoff.

Delivery is at-least-once (acks_late + reject_on_worker_lost, also set globally): a task whose
worker dies is delivered again. The services make a second run harmless: they lock the
subscription row and act only from the expected status, and the telematics backend deduplicates
by the subscription's stable request id.
"""

import random

from celery import shared_task

from companies.audit import Actor
from mpro import outbox

from . import services

RETRY_BASE_SECONDS = 2
RETRY_CAP_SECONDS = 300
MAX_RETRIES = 6


def backoff(retries: int) -> float:
    """Exponential backoff with full jitter, capped: 0..2 s, 0..4 s, 0..8 s ... at most 300 s."""
    return random.uniform(0, min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2**retries))


def _retry(task):
    """Schedules the next attempt. On a worker this raises Retry as usual; run in-process (no
    broker, `make run`) Celery's eager apply() runs the returned retry at once."""
    return task.retry(countdown=backoff(task.request.retries), throw=not task.request.is_eager)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def subscription_activate(self, subscription_id: int) -> str:
    outcome = services.subscription_activate(subscription_id=subscription_id, actor=Actor.system())
    if outcome == "retry":
        if self.request.retries >= self.max_retries:
            services.subscription_activation_give_up(subscription_id=subscription_id, actor=Actor.system())
            return "failed"
        return _retry(self)
    return outcome


@shared_task(acks_late=True, reject_on_worker_lost=True)
def subscriptions_activate(subscription_ids: list[int]) -> dict[str, int]:
    """A chunk of a mass activation (see services.subscriptions_activate: its rows are locked and
    written together). One that meets a transient error continues as its own
    `subscription_activate` task with backoff. If the worker dies mid-chunk the chunk runs again:
    what committed is skipped. The events its transactions committed are published together at
    the end (one task per consumer, not one per activation); those of a chunk cut short are
    published by the sweeper."""
    with outbox.publishing_together():
        outcomes = services.subscriptions_activate(subscription_ids=subscription_ids, actor=Actor.system())
    counts: dict[str, int] = {}
    for subscription_id, outcome in outcomes.items():
        if outcome == "retry":
            subscription_activate.apply_async((subscription_id,), countdown=backoff(0), retries=1)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def subscription_deactivate(self, subscription_id: int) -> str:
    outcome = services.subscription_deactivate(subscription_id=subscription_id, actor=Actor.system())
    if outcome == "retry":
        if self.request.retries >= self.max_retries:
            return "gave_up"
        return _retry(self)
    return outcome


@shared_task(acks_late=True, reject_on_worker_lost=True)
def subscriptions_daily() -> dict:
    return services.subscriptions_daily(actor=Actor.system())


@shared_task(acks_late=True)
def activations_sweep() -> int:
    """Beat, every minute: activations pending too long are enqueued again (issue 17, item 7)."""
    return services.activations_requeue()
