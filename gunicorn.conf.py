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
