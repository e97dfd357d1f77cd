"""What maintenance holds about a person (export, erasure) and a company (closure), and how long
service appointments are kept: registered in the registries of mpro.personal_data and
mpro.retention, as jobs and trips do.

An appointment names two people: the workshop's staff member who proposed it (with their note) and
the fleet's member who answered it (with their message). The export gives each their side; the
other party is named by the outlet or the company only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mpro import personal_data as pd
from mpro import retention

from .models import Appointment

WHY_KEPT = _("They are the van's service history; you are named by the pseudonym.")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _row(appointment: Appointment) -> dict:
    return {
        "vehicle": appointment.vehicle.vin,
        "company": appointment.company.pro_id,
        "dealer": appointment.dealer.code,
        "proposed_at": _iso(appointment.proposed_at),
        "status": appointment.status,
        "created_at": _iso(appointment.created_at),
        "answered_at": _iso(appointment.answered_at),
    }


def appointments_of(user) -> dict:
    """The appointments the person answered for their fleet and those they proposed as workshop
    staff, each with what the person wrote."""
    rows = Appointment.objects.select_related("vehicle", "company", "dealer").order_by("created_at", "id")
    return {
        "answered": [{**_row(a), "message": a.answer_message} for a in rows.filter(answered_by=user)],
        "proposed": [{**_row(a), "note": a.note} for a in rows.filter(proposed_by=user)],
    }


def _plan(user) -> list[pd.Item]:
    count = (
        Appointment.objects.filter(answered_by=user).count()
        + Appointment.objects.filter(proposed_by=user).count()
    )
    if not count:
        return []
    return [pd.Item(_("Service appointments you proposed or answered"), count, pd.KEPT, WHY_KEPT)]


def _plan_company(company) -> list[pd.Item]:
    count = Appointment.objects.for_company(company).count()
    return [pd.Item(_("Service appointments"), count, pd.DELETED)]


def _close_company(company, ctx: pd.ErasureContext) -> None:
    Appointment.objects.filter(company=company).delete()


def register_all() -> None:
    pd.register_section(pd.Section("appointments", _("Service appointments"), appointments_of, order=55))
    pd.register_person_step(pd.Step("appointments", _plan, None, order=25))
    pd.register_company_step(pd.Step("appointments", _plan_company, _close_company, order=45))
    retention.register(
        retention.RetentionRule(
            key="appointments",
            label=_("Service appointments"),
            setting="RETENTION_APPOINTMENTS_DAYS",
            default_days=365,
            queryset=lambda: Appointment.objects.all(),
            field="proposed_at",
            why=_("An appointment matters until its date has passed; a year later it has no use left."),
        )
    )
