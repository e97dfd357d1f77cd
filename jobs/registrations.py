"""What jobs hold about a person (export, erasure) and a company (closure), and how long jobs are
kept: registered in the registries of mpro.personal_data and mpro.retention."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mpro import personal_data as pd
from mpro import retention

from .models import Job


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def jobs_received(user) -> list[dict]:
    """The jobs sent to the person, with every status change (the sender is named by role only)."""
    return [
        {
            "company": job.company.pro_id,
            "vehicle": job.vehicle.vin if job.vehicle else None,
            "title": job.title,
            "notes": job.notes,
            "destination": {
                "address": job.destination,
                "lat": job.destination_lat,
                "lon": job.destination_lon,
            },
            "due_at": _iso(job.due_at),
            "status": job.status,
            "sent_at": _iso(job.sent_at),
            "read_at": _iso(job.read_at),
            "accepted_at": _iso(job.accepted_at),
            "done_at": _iso(job.done_at),
            "declined_at": _iso(job.declined_at),
            "decline_reason": job.decline_reason,
        }
        for job in Job.objects.select_related("company", "vehicle")
        .filter(driver=user)
        .order_by("sent_at", "id")
    ]


def _plan(user) -> list[pd.Item]:
    items = []
    received = Job.objects.filter(driver=user).count()
    if received:
        items.append(pd.Item(_("Jobs sent to you and your answers"), received, pd.DELETED))
    sent = Job.objects.filter(created_by=user).count()
    if sent:
        items.append(
            pd.Item(
                _("Jobs you sent to drivers"),
                sent,
                pd.KEPT,
                _("They are the drivers' work orders; the sender is named by the pseudonym."),
            )
        )
    return items


def _erase(user, ctx: pd.ErasureContext) -> None:
    Job.objects.filter(driver=user).delete()


def _plan_company(company) -> list[pd.Item]:
    return [pd.Item(_("Jobs sent to drivers"), Job.objects.for_company(company).count(), pd.DELETED)]


def _close_company(company, ctx: pd.ErasureContext) -> None:
    Job.objects.filter(company=company).delete()


def register_all() -> None:
    pd.register_section(pd.Section("jobs", _("Jobs"), jobs_received, order=50))
    pd.register_person_step(pd.Step("jobs", _plan, _erase, order=25))
    pd.register_company_step(pd.Step("jobs", _plan_company, _close_company, order=50))
    retention.register(
        retention.RetentionRule(
            key="jobs",
            label=_("Jobs sent to drivers"),
            setting="RETENTION_JOBS_DAYS",
            default_days=365,
            queryset=lambda: Job.objects.all(),
            field="sent_at",
            why=_("A job is a work order of the day; after a year it has no use left."),
        )
    )
