import contextlib

import pytest

from mpro import outbox
from mpro.celery import app as celery_app

CLOSED_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused


@contextlib.contextmanager
def broker(url: str):
    """Points this process's Celery app (the web side) at `url`, with fresh connection pools."""
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


@pytest.fixture
def consumers_registry():
    """Consumers a test subscribes are forgotten after it."""
    saved = {kind: list(items) for kind, items in outbox._consumers.items()}
    kinds = set(outbox.EVENT_KINDS)
    yield outbox
    outbox._consumers.clear()
    outbox._consumers.update(saved)
    outbox.EVENT_KINDS.clear()
    outbox.EVENT_KINDS.update(kinds)
