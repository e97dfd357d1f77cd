from celery import shared_task


@shared_task
def noop() -> None:
    """Does nothing: the baseline that `make bench` compares real tasks against."""


@shared_task
def record_probe(target: str) -> None:
    """Writes an audit event: lets the integration tests prove a worker reaches the database."""
    from companies.audit import Actor, record

    record(actor=Actor.system(), company=None, action="system.probe", target=target)
