"""Retail pages of an opened company's vehicles: the list, a vehicle, verifying or rejecting it,
and moving a VIN another company holds into this one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mpro.errors import DomainError
from mpro.forms import show_error
from vehicles.models import Vehicle
from vehicles.selectors import activation_blockers
from vehicles.vin import normalize_vin

from .. import forms, selectors, services
from ..access import company_required, pop_draft_initial
from .common import company_context, posted

VEHICLES_PER_PAGE = 50


@company_required
def vehicle_list(request: HttpRequest) -> HttpResponse:
    form = forms.VinSearchForm(request.GET or None)
    vin = status = ""
    if form.is_bound and form.is_valid():
        vin, status = form.cleaned_data["vin"], form.cleaned_data["status"]
    vehicles = selectors.company_vehicles(request.company, vin=vin, status=status)
    page = Paginator(vehicles, VEHICLES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "retail/vehicle_list.html",
        company_context(request, form=form, page=page, query=query.urlencode(), searched=bool(vin)),
    )


def _vehicle(request: HttpRequest, vin: str) -> Vehicle:
    vin = normalize_vin(vin)
    return get_object_or_404(
        Vehicle.objects.for_company(request.company).select_related("workshop", "driver"), vin=vin
    )


@company_required
def vehicles_verify(request: HttpRequest) -> HttpResponse:
    """Verify the selected VINs of the list at once (each one recorded)."""
    if request.method == "POST":
        vins = [normalize_vin(vin) for vin in request.POST.getlist("vin")[:VEHICLES_PER_PAGE]]
        count = services.vehicles_verify(company=request.company, vins=vins, actor=request.actor)
        if count:
            messages.success(
                request,
                ngettext("%(count)s vehicle is verified.", "%(count)s vehicles are verified.", count)
                % {"count": count},
            )
        else:
            messages.warning(
                request, _("Select the unverified vehicles whose registration documents you checked.")
            )
    return redirect("retail:vehicles", request.company.pro_id)


@company_required
def vehicle_detail(request: HttpRequest, vin: str) -> HttpResponse:
    vehicle = _vehicle(request, vin)
    subscriptions = list(
        vehicle.subscriptions.held_by_current_holder().select_related("pack").order_by("-created_at", "-id")
    )
    blockers = activation_blockers(vehicle) if subscriptions else []
    next_unverified = (
        selectors.company_vehicles(request.company, status="unverified").exclude(pk=vehicle.pk).first()
    )
    return render(
        request,
        "retail/vehicle_detail.html",
        company_context(
            request,
            vehicle=vehicle,
            subscriptions=subscriptions,
            blockers=blockers,
            next_unverified=next_unverified,
        ),
    )


@company_required
def vehicle_verify(request: HttpRequest, vin: str) -> HttpResponse:
    vehicle = _vehicle(request, vin)
    if request.method == "POST":
        services.vehicle_verify(vehicle=vehicle, actor=request.actor)
        messages.success(request, _("Vehicle %(vin)s is verified.") % {"vin": vehicle.vin})
        return redirect("retail:vehicle", request.company.pro_id, vehicle.vin)
    return render(request, "retail/vehicle_verify.html", company_context(request, vehicle=vehicle))


@company_required
def vehicle_reject(request: HttpRequest, vin: str) -> HttpResponse:
    vehicle = _vehicle(request, vin)
    form = forms.ReasonForm(posted(request), initial=pop_draft_initial(request, forms.ReasonForm))
    if request.method == "POST" and form.is_valid():
        try:
            services.vehicle_reject(vehicle=vehicle, reason=form.cleaned_data["reason"], actor=request.actor)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Vehicle %(vin)s is rejected.") % {"vin": vehicle.vin})
            return redirect("retail:vehicle", request.company.pro_id, vehicle.vin)
    return render(request, "retail/vehicle_reject.html", company_context(request, vehicle=vehicle, form=form))


@company_required
def vehicle_transfer(request: HttpRequest) -> HttpResponse:
    """Moves a VIN another company holds into this one, after the registration document was seen."""
    initial = pop_draft_initial(request, forms.TransferForm) or {"vin": request.GET.get("vin", "")[:40]}
    form = forms.TransferForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            vehicle = services.vehicle_transfer_to(
                company=request.company,
                vin=form.cleaned_data["vin"],
                registration_checked=form.cleaned_data["registration_checked"],
                actor=request.actor,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Vehicle %(vin)s now belongs to this company. Verify it to start its services.")
                % {"vin": vehicle.vin},
            )
            return redirect("retail:vehicle", request.company.pro_id, vehicle.vin)
    return render(request, "retail/vehicle_transfer.html", company_context(request, form=form))
