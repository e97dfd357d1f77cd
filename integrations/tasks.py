"""Celery tasks of the integrations app, routed to the `webhooks` queue (settings.TASK_QUEUE_KINDS).

Thin and idempotent: a delivery is claimed with a conditional update before it is sent, so a task
delivered twice sends once. Retries are scheduled in the database (see integrations.delivery)."""

from celery import shared_task

from . import delivery


@shared_task(acks_late=True, reject_on_worker_lost=True)
def webhook_deliver(delivery_id: int) -> str:
    return delivery.attempt(delivery_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def webhooks_due() -> int:
    """Every minute (beat): sends the deliveries whose next attempt is due."""
    ids = delivery.due_ids()
    for delivery_id in ids:
        webhook_deliver.delay(delivery_id)
    return len(ids)
