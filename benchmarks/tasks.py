"""Tasks only the bench's worker registers (benchmarks.worker_app)."""

from celery import shared_task


@shared_task
def noop() -> None:
    """Does nothing: the baseline that `make bench` compares real tasks against."""
