"""How tasks travel: which queue each kind of task takes, and what beat runs when. Called from
mpro/settings.py (TASK_QUEUE_KINDS, CELERY_BEAT_SCHEDULE); the router and the queue names are in
mpro/celery.py."""

from celery.schedules import crontab


def task_queue_kinds() -> dict[str, str]:
    """Queues by kind (mpro/celery.py): "activation", "bulk" ... ("<CELERY_QUEUE>.<kind>" when
    CELERY_QUEUE is not the default "mpro": tests and benchmarks). A task name, or a module prefix
    ending in ".", maps to its kind; the rest (beat's housekeeping) stays on the default queue."""
    return {
        "packs.tasks.subscription_activate": "activation",
        "packs.tasks.subscriptions_activate": "activation",
        "packs.tasks.subscription_deactivate": "activation",
        "commands.tasks.": "commands",
        "vehicles.tasks.vehicle_module_refresh": "bulk",
        "vehicles.tasks.vehicle_import_run": "bulk",
        # Webhook deliveries call customers' servers: a slow receiver never delays pack activations.
        "integrations.tasks.webhook_deliver": "webhooks",
        "integrations.tasks.webhooks_due": "webhooks",
        "reporting.tasks.": "reporting",
        "telematics.tasks.": "reporting",
    }


def beat_schedule(*, report_seconds: int) -> dict[str, dict]:
    """What beat enqueues and when; the telematics round every `report_seconds`."""
    return {
        "subscriptions-daily": {
            "task": "packs.tasks.subscriptions_daily",
            "schedule": crontab(hour=3, minute=15),
        },
        "purge-expired-daily": {
            "task": "privacy.tasks.purge_expired",
            "schedule": crontab(hour=2, minute=30),
        },
        "webhooks-due": {"task": "integrations.tasks.webhooks_due", "schedule": 60.0},
        "telematics-round": {
            "task": "telematics.tasks.reporting_round",
            "schedule": float(report_seconds),
        },
        "commands-expire": {"task": "commands.tasks.commands_expire", "schedule": 30.0},
        "telematics-partitions": {
            "task": "telematics.tasks.readings_maintain",
            "schedule": crontab(minute=40),
        },
        "outbox-sweep": {"task": "mpro.tasks.outbox_sweep", "schedule": 60.0},
        "activations-sweep": {"task": "packs.tasks.activations_sweep", "schedule": 60.0},
    }
