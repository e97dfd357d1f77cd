"""The Celery app of test workers: the production app (`mpro.celery`) plus the tests' own tasks."""

from mpro.celery import app

from . import tasks  # noqa: F401  (registers record_probe)

__all__ = ["app"]
