"""Prometheus metrics: django-prometheus for requests and queries, plus mpro's own figures.

Two kinds, because web and workers are separate processes (several gunicorn workers, Celery
workers in other containers):

- **Request latency by view and database query counts** come from django-prometheus, which counts
  in the process that served the request. Under gunicorn with several workers set
  `PROMETHEUS_MULTIPROC_DIR` (prometheus_client's multiprocess mode: each process writes its own
  file, the scrape merges them); without it each scrape sees one process only.
- **mpro's own figures are computed at scrape time** from shared stores, so any process may answer
  and none needs a shared directory: task counters (enqueued / succeeded / failed / retried, by
  task) are `HINCRBY`s in Redis written from Celery signals wherever the event happens; queue
  depths are read from the broker; gauges (oldest waiting activation, failing webhooks ...) are
  queries apps register with `register_gauge`. Without Redis (`make run`) counters stay in process.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.crypto import constant_time_compare
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .clientip import client_address

logger = logging.getLogger(__name__)

TASK_STATES = ("enqueued", "succeeded", "failed", "retried")


# --- counters shared across processes ------------------------------------------------------------
class _LocalStore:
    def __init__(self):
        self.lock = threading.Lock()
        self.values: Counter[tuple[str, str]] = Counter()

    def incr(self, name: str, field: str, amount: int = 1) -> None:
        with self.lock:
            self.values[(name, field)] += amount

    def read(self, name: str) -> dict[str, int]:
        with self.lock:
            return {f: v for (n, f), v in self.values.items() if n == name}


class _RedisStore:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def key(self, name: str) -> str:
        # The queue name tells deployments (and parallel test runs) sharing one Redis apart.
        return f"mpro:metrics:{settings.CELERY_TASK_DEFAULT_QUEUE}:{name}"

    def incr(self, name: str, field: str, amount: int = 1) -> None:
        self.client.hincrby(self.key(name), field, amount)

    def read(self, name: str) -> dict[str, int]:
        return {k.decode(): int(v) for k, v in self.client.hgetall(self.key(name)).items()}


_store = None


def store():
    global _store
    if _store is None:
        url = getattr(settings, "METRICS_REDIS_URL", "") or settings.REDIS_URL
        _store = _RedisStore(url) if url else _LocalStore()
    return _store


def count(name: str, field: str, amount: int = 1) -> None:
    """Adds to a shared counter; never lets a metrics failure break the work being counted."""
    try:
        store().incr(name, field, amount)
    except Exception:  # noqa: BLE001
        logger.warning("metrics counter %s not updated", name, exc_info=True)


def count_task(task_name: str, state: str) -> None:
    count("tasks", f"{task_name}|{state}")


# --- registries apps fill from AppConfig.ready() --------------------------------------------------
@dataclass(frozen=True)
class Gauge:
    name: str  # without the mpro_ prefix
    documentation: str
    labels: tuple[str, ...]
    collect: Callable[[], Iterable[tuple[tuple[str, ...], float]]]


@dataclass(frozen=True)
class EventCounter:
    """A counter apps bump with `count(name, "label|label")`: reports ingested, webhooks failed."""

    name: str
    documentation: str
    labels: tuple[str, ...]


GAUGES: dict[str, Gauge] = {}
COUNTERS: dict[str, EventCounter] = {}


def register_gauge(gauge: Gauge) -> None:
    GAUGES[gauge.name] = gauge


def register_counter(counter: EventCounter) -> None:
    COUNTERS[counter.name] = counter


def queue_names() -> list[str]:
    # The current Celery app (mpro.celery's, once loaded): importing mpro.celery here would close
    # the ring celery -> task_signals -> metrics -> celery.
    from celery import current_app

    names = set(current_app.amqp.queues.keys()) | {settings.CELERY_TASK_DEFAULT_QUEUE}
    return sorted(names)


def queue_depths() -> Iterable[tuple[tuple[str, ...], float]]:
    """Messages waiting in each queue of the Redis broker (kombu keeps one list per queue and
    priority step)."""
    if not settings.REDIS_URL:
        return []
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1)
    sep = "\x06\x16"
    out = []
    for name in queue_names():
        keys = [name] + [f"{name}{sep}{p}" for p in (1, 2, 3, 4, 5, 6, 7, 8, 9)]
        pipe = client.pipeline()
        for key in keys:
            pipe.llen(key)
        out.append(((name,), float(sum(pipe.execute()))))
    return out


register_gauge(Gauge("queue_depth", "Tasks waiting in the broker, by queue.", ("queue",), queue_depths))

# Work waiting in the database, by kind: each kind gives () -> (how many wait, oldest's timestamp
# or None). packs registers "activations"; the commands app adds "commands".
WAITING: dict[str, Callable[[], tuple[int, object]]] = {}


def register_waiting(kind: str, collect: Callable[[], tuple[int, object]]) -> None:
    WAITING[kind] = collect


def _waiting() -> list[tuple[str, int, float]]:
    from django.utils import timezone

    now, out = timezone.now(), []
    for kind in sorted(WAITING):
        n, oldest = _safe(WAITING[kind], (None, None))
        if n is not None:
            out.append((kind, n, max((now - oldest).total_seconds(), 0.0) if oldest else 0.0))
    return out


register_gauge(
    Gauge(
        "waiting",
        "Work waiting in the database, by kind.",
        ("kind",),
        lambda: [((k,), float(n)) for k, n, _ in _waiting()],
    )
)
register_gauge(
    Gauge(
        "oldest_waiting_seconds",
        "Age of the oldest waiting item, by kind (0 when none waits).",
        ("kind",),
        lambda: [((k,), age) for k, _, age in _waiting()],
    )
)


class MproCollector:
    """Reads the shared counters and registered gauges at scrape time."""

    def collect(self):
        tasks = CounterMetricFamily(
            "mpro_tasks", "Celery tasks by task name and state.", labels=["task", "state"]
        )
        for field, value in sorted(_safe(lambda: store().read("tasks"), {}).items()):
            task, _, state = field.rpartition("|")
            tasks.add_metric([task, state], value)
        yield tasks
        for counter in sorted(COUNTERS.values(), key=lambda c: c.name):
            family = CounterMetricFamily(
                f"mpro_{counter.name}", counter.documentation, labels=list(counter.labels)
            )
            for field, value in sorted(_safe(lambda c=counter: store().read(c.name), {}).items()):
                family.add_metric(field.split("|"), value)
            yield family
        for gauge in sorted(GAUGES.values(), key=lambda g: g.name):
            family = GaugeMetricFamily(f"mpro_{gauge.name}", gauge.documentation, labels=list(gauge.labels))
            for labels, value in _safe(lambda g=gauge: list(g.collect()), []):
                family.add_metric(list(labels), value)
            yield family


def _safe(read, default):
    try:
        return read()
    except Exception:  # noqa: BLE001 - a scrape answers with what it has
        logger.warning("metrics source unavailable", exc_info=True)
        return default


# --- the /metrics view --------------------------------------------------------------------------
def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if given and constant_time_compare(given, token):
            return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_NETWORKS
    )


def metrics_view(request):
    """Prometheus text format. Refused with a 404 (nothing to discover) unless the caller sends
    `Authorization: Bearer <METRICS_TOKEN>` or comes from `METRICS_ALLOWED_NETWORKS`."""
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    own = CollectorRegistry()
    own.register(MproCollector())
    body += generate_latest(own)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
