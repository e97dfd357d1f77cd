"""Celery signal handlers: task counters for /metrics and the request id carried into tasks.

Connected when the Celery app is imported (mpro/celery.py), so web processes (which publish) and
workers (which run) both count. Handlers never raise: metrics and logs must not break a task."""

from __future__ import annotations

from celery import signals

from . import metrics
from .logs import request_id_var, task_var

HEADER = "mpro_request_id"


@signals.before_task_publish.connect(dispatch_uid="mpro.task_published")
def _published(sender=None, headers=None, **kwargs) -> None:
    if headers is not None:
        request_id = request_id_var.get()
        if request_id and not headers.get(HEADER):
            headers[HEADER] = request_id
    metrics.count_task(str(sender), "enqueued")


def _in_worker(task) -> bool:
    # An eager task runs inside the request that enqueued it: its context is already right.
    return task is not None and not getattr(task.request, "is_eager", False)


@signals.task_prerun.connect(dispatch_uid="mpro.task_prerun")
def _prerun(task=None, **kwargs) -> None:
    if not _in_worker(task):
        return
    request = task.request
    request_id = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    # Each task run gets fresh context values: the worker process runs many tasks in a row.
    request_id_var.set(request_id or "")
    task_var.set(f"{task.name}[{request.id}]")


@signals.task_postrun.connect(dispatch_uid="mpro.task_postrun")
def _postrun(task=None, **kwargs) -> None:
    if _in_worker(task):
        request_id_var.set("")
        task_var.set("")


@signals.task_success.connect(dispatch_uid="mpro.task_success")
def _succeeded(sender=None, **kwargs) -> None:
    metrics.count_task(sender.name, "succeeded")


@signals.task_failure.connect(dispatch_uid="mpro.task_failure")
def _failed(sender=None, **kwargs) -> None:
    metrics.count_task(sender.name, "failed")


@signals.task_retry.connect(dispatch_uid="mpro.task_retry")
def _retried(sender=None, **kwargs) -> None:
    metrics.count_task(sender.name, "retried")
