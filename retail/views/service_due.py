"""The outlet's service-due queue (maintenance): vans of any company that chose this outlet as
its workshop, "soon" or worse. No attestation or support password: the customer chose the
workshop. Staff see what the queue shows and nothing else of the company; a van the queue does
not show is a 404, also for another outlet."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maintenance import selectors as maintenance_selectors
from maintenance import services as maintenance_services
from maintenance.forms import ProposeForm, ServiceRecordForm
from mpro.errors import DomainError
from mpro.forms import show_error

from ..access import staff_required
from ..services import queue_actor


def _row(request: HttpRequest, vin: str):
    row = maintenance_selectors.queue_row(request.staff.dealer, vin)
    if row is None:
        raise Http404
    return row


@staff_required
def service_due(request: HttpRequest) -> HttpResponse:
    rows = maintenance_selectors.service_due_queue(request.staff.dealer)
    return render(
        request,
        "maintenance/retail/queue.html",
        {"rows": rows, "queue_max": maintenance_selectors.QUEUE_MAX},
    )


def _page(request, row, *, propose_form=None, record_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "maintenance/retail/vehicle.html",
        {
            "row": row,
            "appointments": list(row.item.appointments_newest_first),
            "propose_form": propose_form or ProposeForm(),
            "record_form": record_form
            or ServiceRecordForm(
                initial={
                    "performed_on": timezone.localdate(),
                    "odometer_km": int(row.vehicle.state.odometer_km)
                    if hasattr(row.vehicle, "state")
                    else None,
                }
            ),
        },
        status=status,
    )


@staff_required
def service_due_vehicle(request: HttpRequest, vin: str) -> HttpResponse:
    return _page(request, _row(request, vin))


@staff_required
@require_POST
def service_due_propose(request: HttpRequest, vin: str) -> HttpResponse:
    row = _row(request, vin)
    form = ProposeForm(request.POST)
    if form.is_valid():
        # The staff member types the outlet's local time (the Retail site runs on its clock).
        proposed_at = timezone.make_aware(
            datetime.datetime.combine(form.cleaned_data["date"], form.cleaned_data["time"])
        )
        try:
            maintenance_services.appointment_propose(
                item=row.item,
                proposed_at=proposed_at,
                note=form.cleaned_data["note"],
                actor=queue_actor(request.staff),
            )
        except DomainError as error:
            if error.code in ("appointment_pending", "not_in_queue"):
                messages.error(request, str(error.message))
                return redirect("retail:service_due_vehicle", vin=row.vehicle.vin)
            show_error(form, error)
        else:
            messages.success(
                request, _("Appointment proposed. The customer is told by e-mail and in the portal.")
            )
            return redirect("retail:service_due_vehicle", vin=row.vehicle.vin)
    return _page(request, row, propose_form=form, status=400)


@staff_required
@require_POST
def service_due_record(request: HttpRequest, vin: str) -> HttpResponse:
    row = _row(request, vin)
    form = ServiceRecordForm(request.POST)
    if form.is_valid():
        try:
            maintenance_services.service_record(
                item=row.item,
                performed_on=form.cleaned_data["performed_on"],
                odometer_km=form.cleaned_data["odometer_km"],
                actor=queue_actor(request.staff),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Service recorded: the van's counters start again."))
            return redirect("retail:service_due")
    return _page(request, row, record_form=form, status=400)
