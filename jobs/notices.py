"""The e-mail that tells a driver a job arrived: a consumer of the `job.sent` outbox event, on the
email queue, once per event (the outbox's idempotency), in the driver's language."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from companies.notices import link, send_notice
from mpro.outbox import Event

from .models import Job


def job_sent(event: Event) -> None:
    job = (
        Job.objects.select_related("driver", "created_by", "company")
        .filter(pk=event.payload.get("job"), company_id=event.company_id)
        .first()
    )
    if job is None:  # deleted since (the company closed, the driver left): nobody to tell
        return

    def lines() -> list[str]:
        sender = (
            (job.created_by.get_full_name() or job.created_by.email) if job.created_by else job.company.name
        )
        found = [_("%(sender)s sent you a job: %(title)s") % {"sender": sender, "title": job.title}]
        if job.destination:
            found.append(_("Destination: %(place)s") % {"place": job.destination})
        if job.due_at:
            with timezone.override(job.company.time_zone_name):
                due = date_format(timezone.localtime(job.due_at), "SHORT_DATETIME_FORMAT")
            found.append(_("Due: %(when)s") % {"when": due})
        found.append(_("Open the driver app to read it and say whether you take it."))
        return found

    send_notice(
        users=[job.driver],
        subject=lambda: _("New job: %(title)s") % {"title": job.title},
        lines=lines,
        url=link("driverapp:job", job.pk),  # the driver app (above us) by URL name, not by import
    )
