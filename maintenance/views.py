"""Portal pages of maintenance: the van page's panel (vehicles.panels), the dashboard card, the
fleet overview's column, answering an appointment, the .ics export and the company's switch."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from companies.audit import Actor
from companies.permissions import allows
from companies.tenancy import member_required
from mpro.errors import DomainError
from packs.selectors import packs_with_service
from telematics.selectors import vehicle_in_reach
from vehicles.panels import OverviewColumn

from . import selectors, services
from .forms import AnswerForm, SettingsForm
from .ics import appointments_ics
from .levels import level_for
from .models import AppointmentStatus, Level


# --- van page, dashboard, overview ---------------------------------------------------------------
def van_panel(request, vehicle) -> tuple[str, dict]:
    info = selectors.van_maintenance(vehicle)
    context = {
        "vehicle": vehicle,
        "info": info,
        "can_answer": allows(request.membership.role, "vehicles.manage"),
        "proposed": [a for a in info.appointments if a.status == AppointmentStatus.PROPOSED],
        "accepted": [a for a in info.appointments if a.status == AppointmentStatus.ACCEPTED],
        "answer_form": AnswerForm(),
    }
    if not info.live:
        context["to_book"] = packs_with_service(request.company, selectors.MAINTENANCE)
        context["can_book"] = allows(request.membership.role, "orders.place")
    return "maintenance/_van_panel.html", context


def dashboard_panel(request) -> tuple[str, dict] | None:
    """The dashboard's card; none for a company without maintenance management on any van."""
    if not selectors.company_has_maintenance(request.company):
        return None
    count, first = selectors.fleet_coming_due(request.company)
    return "maintenance/_dashboard_panel.html", {
        "due_count": count,
        "due_vans": first,
        "proposed": list(selectors.proposed_appointments(request.company)[:5]),
    }


def _decorate(vehicles) -> None:
    for vehicle in vehicles:
        vehicle.maintenance_level = (
            level_for(vehicle.maintenance_days, vehicle.maintenance_km) if vehicle.maintenance_live else None
        )


OVERVIEW_COLUMN = OverviewColumn(
    key="service_due",
    label=gettext_lazy("Service due"),
    sort_field="maintenance_sort",
    annotate=selectors.with_counters,
    cell_template="maintenance/_overview_cell.html",
    decorate=_decorate,
    filter_label=gettext_lazy("Service due"),
    filter_choices=(
        ("soon_or_worse", gettext_lazy("Soon or worse")),
        (Level.OK, gettext_lazy("OK")),
        (Level.SOON, gettext_lazy("Soon")),
        (Level.DUE, gettext_lazy("Due")),
        (Level.OVERDUE, gettext_lazy("Overdue")),
    ),
    apply_filter=selectors.filter_by_level,
    annotate_page=selectors.counters_of_page,
)


# --- answering, exporting ------------------------------------------------------------------------
def _vehicle(request, vin: str):
    vehicle = vehicle_in_reach(request.company, request.membership, vin)
    if vehicle is None:
        raise Http404
    return vehicle


@require_POST
@member_required("vehicles.manage")
def appointment_answer(request, vin: str, appointment_id: int):
    vehicle = _vehicle(request, vin)
    appointment = selectors.appointment(vehicle, appointment_id)
    if appointment is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline, with a message of at most 1000 characters."))
        return redirect("vehicles:detail", vin=vehicle.vin)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.appointment_answer(
            appointment=appointment,
            accept=accept,
            message=form.cleaned_data["message"],
            actor=Actor.customer(request.user),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("You accepted the appointment. It is in the van's calendar.")
            if accept
            else _("You declined the appointment. The workshop will propose another date."),
        )
    return redirect("vehicles:detail", vin=vehicle.vin)


@require_GET
@member_required("company.member")
def appointments_calendar(request, vin: str):
    vehicle = _vehicle(request, vin)
    body = appointments_ics(vehicle, list(selectors.accepted_appointments(vehicle)))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="services-{vehicle.vin}.ics"'
    return response


# --- the company's switch ------------------------------------------------------------------------
@member_required("company.manage")
def settings_page(request):
    current = selectors.settings_of(request.company)
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"inform_workshop": current.inform_workshop},
    )
    if request.method == "POST" and form.is_valid():
        services.settings_update(
            company=request.company,
            inform_workshop=form.cleaned_data["inform_workshop"],
            actor=Actor.customer(request.user),
        )
        messages.success(request, _("Maintenance settings saved."))
        return redirect("maintenance:settings")
    return render(request, "maintenance/settings.html", {"form": form, "company": request.company})
