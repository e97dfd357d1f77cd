import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpro.settings")

app = Celery("mpro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task counters for /metrics and the request id carried into tasks.
from . import task_signals  # noqa: E402, F401


def task(name: str):
    """The registered task called `name` ("<app>.tasks.<function>"). Services enqueue tasks by
    name so that a services module never imports the tasks module that imports it; each app's
    AppConfig.ready imports its own tasks, so they are registered in every process."""
    return app.tasks[name]


# Queues by kind and priority ("activation", "bulk" ...; see queue_name). Workers for urgent kinds
# are started apart from bulk ones (see the README), so a 4,000-van import never waits in front of
# another company's activation.
QUEUE_KINDS = ("activation", "commands", "email", "webhooks", "reporting", "bulk")


DEFAULT_QUEUE = "mpro"


def queue_name(kind: str | None) -> str:
    """The queue of a kind: its plain name ("activation") under the default queue "mpro", as the
    docker-compose workers consume them; "<queue>.<kind>" under any other default queue, so a test
    run or a benchmark on a shared Redis never takes another's messages."""
    base = app.conf.task_default_queue
    if not kind:
        return base
    return kind if base == DEFAULT_QUEUE else f"{base}.{kind}"


def all_queues() -> list[str]:
    """Every queue, the default first: what a single worker consumes (`make worker`, tests)."""
    return [queue_name(None), *(queue_name(kind) for kind in QUEUE_KINDS)]


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router (CELERY_TASK_ROUTES): the queue kind of a task comes from
    settings.TASK_QUEUE_KINDS (task name, or a module prefix ending in '.'); others go to the
    default queue. An explicit `queue=` given when publishing wins (outbox consumers)."""
    from django.conf import settings

    kinds = settings.TASK_QUEUE_KINDS
    kind = kinds.get(name) or next(
        (k for prefix, k in kinds.items() if prefix.endswith(".") and name.startswith(prefix)), None
    )
    return {"queue": queue_name(kind)} if kind else None
