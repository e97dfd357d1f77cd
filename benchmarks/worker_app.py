"""The Celery app of the bench's worker: the production app (`mpro.celery`) plus `noop`."""

from mpro.celery import app

from . import tasks  # noqa: F401  (registers noop)

__all__ = ["app"]
