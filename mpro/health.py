"""Liveness and readiness for the compose file's healthchecks and load balancers.

`/healthz`: the process answers (no I/O). `/readyz`: the database answers and has every migration
applied, the cache answers, the broker answers; 503 naming what failed. Both are unauthenticated
and cheap: short timeouts, and the migration check is remembered once it passed."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpResponseNotFound, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2
_migrations_ok = False


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_migrations() -> None:
    global _migrations_ok
    if _migrations_ok:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied")
    _migrations_ok = True


def check_cache() -> None:
    key = "mpro:readyz"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was written")


def check_broker() -> None:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TIMEOUT_SECONDS)


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "broker": check_broker,
}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    results, failed = {}, []
    for name, check in CHECKS.items():
        if name == "migrations" and "database" in failed:
            results[name] = "skipped"
            continue
        started = time.monotonic()
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            failed.append(name)
            # The class only: messages can carry host names and user names.
            results[name] = f"error: {type(error).__name__}"
            logger.warning("readiness check %s failed: %s", name, type(error).__name__)
        else:
            results[name] = f"ok ({(time.monotonic() - started) * 1000:.0f} ms)"
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": results}
    return JsonResponse(body, status=503 if failed else 200)


class OperationsMiddleware:
    """Answers /healthz, /readyz and /metrics before host validation and the HTTPS redirect:
    healthchecks and Prometheus call the container by its internal address over plain HTTP,
    which ALLOWED_HOSTS and SECURE_SSL_REDIRECT rightly refuse for everything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from mpro.metrics import metrics_view

        view = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics_view}.get(request.path_info)
        if view is None:
            return self.get_response(request)
        try:
            return view(request)
        except Http404:
            return HttpResponseNotFound()
