"""gunicorn reads this file from the working directory (/app in the image).

With PROMETHEUS_MULTIPROC_DIR set (docker-compose.yml does), every worker process writes its
request and query metrics to files there and /metrics merges them: start from an empty directory,
and tell prometheus_client when a worker dies so its live gauges stop counting."""

import os
import shutil


def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# Access lines go through the same redaction as the application's logs (mpro.logs.redact): the
# invitation tokens and e-mail confirmation keys that travel in URL paths never reach the log.
from gunicorn.glogging import Logger  # noqa: E402


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        from mpro.logs import redact

        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = RedactingLogger


# Workers, chosen from `make bench-http` on a two-core machine (README, "Throughput under a real
# server"): requests wait on PostgreSQL and Redis, so more sync workers than cores keep the cores
# busy while one waits. WEB_WORKERS sets the count (compose passes the container's share);
# WEB_THREADS > 1 switches to gthread workers with that many threads each.
workers = int(os.environ.get("WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("WEB_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
