"""Tasks only the integration tests' workers register (tests.integration.worker_app)."""

from celery import shared_task


@shared_task
def record_probe(target: str) -> None:
    """Writes an audit event: lets the integration tests prove a worker reaches the database."""
    from companies.audit import Actor, record
    from mpro.logs import request_id_var

    # The request id the worker took from the task's headers: proves it travels with the task.
    details = {"request_id": request_id_var.get()}
    record(actor=Actor.system(), company=None, action="system.probe", target=target, details=details)
