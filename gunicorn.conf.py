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


# Workers, chosen from measurements (README, "Throughput under a real server"): a request waits
# on PostgreSQL and Redis for much of its time, and on a two-core machine shared with other work,
# gthread workers (one process per core, 4 threads each) served the API lists and pages about twice
# the requests of 2, 3 or 5 sync workers in the same run, because a process keeps its core busy
# while one of its requests waits. WEB_WORKERS / WEB_THREADS override (WEB_THREADS=1: sync workers).
workers = int(os.environ.get("WEB_WORKERS") or os.cpu_count() or 1)
threads = int(os.environ.get("WEB_THREADS") or 4)
worker_class = "gthread" if threads > 1 else "sync"
