"""The outbox's tasks (mpro/outbox.py): delivery of events to one consumer, and the sweeper."""

import random

from celery import shared_task


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8)
def outbox_consume(self, message_id: int, consumer_name: str) -> str:
    """Delivers one event to one consumer (see mpro.outbox.consume); a failing consumer is retried
    with capped exponential backoff, then left to the sweeper."""
    from . import outbox

    try:
        return outbox.consume(message_id=message_id, consumer_name=consumer_name)
    except Exception as error:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            raise
        raise self.retry(
            exc=error, countdown=random.uniform(0, min(300, 2 * 2**self.request.retries))
        ) from error


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8)
def outbox_consume_many(self, message_ids: list[int], consumer_name: str) -> int:
    """`outbox_consume` for the events published together (mpro.outbox.PUBLISH_CHUNK): each is
    consumed on its own; when any failed the task is retried, and those done are skipped then."""
    from . import outbox

    errors = outbox.consume_many(message_ids=message_ids, consumer_name=consumer_name)
    if errors:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            raise errors[0]
        raise self.retry(exc=errors[0], countdown=random.uniform(0, min(300, 2 * 2**self.request.retries)))
    return len(message_ids)


@shared_task(acks_late=True)
def outbox_sweep() -> dict[str, int]:
    """Beat, every minute: publishes what the broker missed (see mpro.outbox.sweep)."""
    from . import outbox

    return outbox.sweep()
