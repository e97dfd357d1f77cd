"""Celery tasks of the data path: thin, idempotent (a report stored twice is recognised by its
time), short-lived (a batch not run within one reporting interval is dropped: the next round
asks again)."""

from celery import shared_task
from django.conf import settings

from . import partitions, services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def reporting_round() -> int:
    """Beat runs this every TELEMATICS_REPORT_SECONDS: one task per batch of vans."""
    batches = 0
    for ids in services.reporting_vehicle_ids():
        report_batch.apply_async((ids,), expires=settings.TELEMATICS_REPORT_SECONDS)
        batches += 1
    return batches


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_batch(vehicle_ids: list[int]) -> dict:
    outcome = services.report_batch(vehicle_ids=vehicle_ids)
    return {"stored": outcome.stored, "unreachable": outcome.unreachable, "rejected": outcome.rejected}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def readings_maintain() -> dict:
    """Hourly: creates the coming days' partitions, drops those past the retention."""
    return partitions.maintain()
