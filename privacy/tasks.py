from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_expired() -> dict[str, int]:
    """Daily (beat): deletes every kind of data older than its retention setting (every kind the
    apps registered in mpro.retention); idempotent, so a second delivery deletes nothing more."""
    from mpro.retention import purge_expired as run

    return {result.rule.key: result.count for result in run()}
