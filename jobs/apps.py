from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Jobs")

    def ready(self) -> None:
        from companies import audit
        from mpro import outbox

        from . import notices, registrations
        from .services import JOB_SENT

        outbox.register_kinds({JOB_SENT})
        outbox.subscribe(JOB_SENT, notices.job_sent, queue="email")
        audit.register_actions({"job.sent": _("Job sent"), "job.status_changed": _("Job status changed")})
        audit.ACTION_GROUPS.setdefault("jobs", (_("Jobs"), ("job.",)))
        registrations.register_all()
