"""Fleet pages: overview, add (with a live VIN check), vehicle page, drivers, workshops, import.

Views parse input, call one service, render. Another company's van is a 404; a driver sees only
the van assigned to them (403 for the others)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies.audit import Actor, action_label
from companies.models import Dealer, Membership
from companies.permissions import allows
from companies.tenancy import member_required
from mpro.csvfiles import csv_response
from mpro.errors import DomainError
from mpro.forms import show_error

from . import imports, overview, selectors, services
from .filters import DealerFilterSet
from .forms import DriverForm, ImportForm, VehicleAddForm, VehicleEditForm, WorkshopChoiceForm
from .models import Vehicle, VehicleImport
from .panels import overview_columns, panels_for
from .vin import normalize_vin

PAGE_SIZE = 50


def _actor(request) -> Actor:
    return Actor.customer(request.user)


def _vehicle_or_404(request, vin: str) -> Vehicle:
    """The company's van by VIN (404 otherwise); a driver only gets the van assigned to them."""
    vehicle = selectors.vehicle_for_page(request.company, vin)
    if vehicle is None:
        raise Http404
    if not selectors.van_in_reach(vehicle, request.membership):
        raise PermissionDenied
    return vehicle


# --- overview ------------------------------------------------------------------------------------
@member_required()
def vehicle_list(request):
    if not allows(request.membership.role, "vehicles.view_all"):
        return _driver_landing(request)
    columns = overview_columns()
    filterset, queryset, page = overview.overview_page(request, columns, PAGE_SIZE)
    filtered = any(
        request.GET.get(name)
        for name in ("search", "verification_status", "fuel", "driver", *(c.key for c in columns))
    )
    params = request.GET.copy()
    params.pop("cursor", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    return render(
        request,
        "vehicles/list.html",
        {
            "filterset": filterset,
            "filters_html": overview.filters_html(filterset.form),
            "page": page,
            "query": params.urlencode(),
            "sort_query": sort_params.urlencode(),
            "filtered": filtered,
            "fleet_size": Vehicle.objects.for_company(request.company).count(),
            # The heading counts what the filters show ("2 of 8 vans"): one count, only when filtered.
            "shown": queryset.count() if filtered else None,
            "can_manage": allows(request.membership.role, "vehicles.manage"),
            "columns": [
                ("vin", _("VIN")),
                ("plate", _("Licence plate")),
                ("nickname", _("Nickname")),
                ("model", _("Model")),
            ],
            "extra_columns": columns,
        },
    )


def _driver_landing(request):
    """A driver's overview: their own van's page, or the vans they may take."""
    own = Vehicle.objects.for_company(request.company).filter(driver=request.user).first()
    if own is not None:
        return redirect("vehicles:detail", vin=own.vin)
    can_take = allows(request.membership.role, "drivers.self_assign")
    return render(
        request,
        "vehicles/no_vehicle.html",
        {"free_vehicles": selectors.free_vehicles(request.company) if can_take else []},
    )


# --- add -----------------------------------------------------------------------------------------
@member_required("vehicles.manage")
def vehicle_add(request):
    in_fleet_url = None
    if request.method == "POST":
        form = VehicleAddForm(request.POST)
        if form.is_valid():
            try:
                vehicle = services.vehicle_add(
                    company=request.company,
                    vin=form.cleaned_data["vin"],
                    licence_plate=form.cleaned_data["licence_plate"],
                    nickname=form.cleaned_data["nickname"],
                    actor=_actor(request),
                )
            except DomainError as err:
                if err.code == "vin_in_fleet":
                    in_fleet_url = reverse("vehicles:detail", args=[normalize_vin(form.cleaned_data["vin"])])
                show_error(form, err)
            else:
                messages.success(request, _("%(van)s was added to your fleet.") % {"van": vehicle})
                return redirect("vehicles:detail", vin=vehicle.vin)
    else:
        form = VehicleAddForm()
    return render(request, "vehicles/add.html", {"form": form, "in_fleet_url": in_fleet_url})


@require_GET
@member_required("vehicles.manage")
def vin_check(request):
    """JSON for the live check as the user types: the state, a message and the decoded facts."""
    body = selectors.vin_check_body(request.company, request.GET.get("vin", ""))
    if body["state"] == "in_fleet":
        body["url"] = reverse("vehicles:detail", args=[body["vin"]])
    return JsonResponse(body)


# --- vehicle page --------------------------------------------------------------------------------
@member_required()
def vehicle_detail(request, vin: str):
    vehicle = _vehicle_or_404(request, vin)
    can_manage = allows(request.membership.role, "vehicles.manage")
    context = {
        "vehicle": vehicle,
        "can_manage": can_manage,
        "subscriptions": list(vehicle.subscriptions.all()),
        "live_subscriptions": selectors.live_subscriptions(vehicle),
        "checklist": selectors.verification_checklist(vehicle),
        "blockers": selectors.activation_blockers(vehicle),
        "workshop": vehicle.workshop or vehicle.company.default_workshop,
        "panels": panels_for(request, vehicle),
    }
    if can_manage:
        context.update(
            edit_form=VehicleEditForm(
                initial={"licence_plate": vehicle.licence_plate, "nickname": vehicle.nickname},
                fuel_editable=services.vehicle_fuel_editable(vehicle),
            ),
            driver_form=DriverForm(drivers=selectors.drivers_of(request.company)),
            assignments=list(selectors.assignments_of(vehicle)[:20]),
            history=[
                (event, action_label(event.action))
                for event in selectors.vehicle_history(request.company, vehicle.vin)
            ],
        )
    return render(request, "vehicles/detail.html", context)


@member_required("vehicles.manage")
def vehicle_edit(request, vin: str):
    vehicle = _vehicle_or_404(request, vin)
    fuel_editable = services.vehicle_fuel_editable(vehicle)
    if request.method == "POST":
        form = VehicleEditForm(request.POST, fuel_editable=fuel_editable)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in ("licence_plate", "nickname")}
            if fuel_editable and form.cleaned_data.get("fuel"):
                fields["fuel"] = form.cleaned_data["fuel"]
            try:
                services.vehicle_update(vehicle=vehicle, actor=_actor(request), **fields)
            except DomainError as err:
                show_error(form, err)
            else:
                messages.success(request, _("The van's details were saved."))
                return redirect("vehicles:detail", vin=vehicle.vin)
    else:
        form = VehicleEditForm(
            initial={"licence_plate": vehicle.licence_plate, "nickname": vehicle.nickname},
            fuel_editable=fuel_editable,
        )
    return render(request, "vehicles/edit.html", {"vehicle": vehicle, "form": form})


@member_required("vehicles.manage")
def vehicle_remove(request, vin: str):
    vehicle = _vehicle_or_404(request, vin)
    error = None
    if request.method == "POST":
        try:
            services.vehicle_remove(vehicle=vehicle, actor=_actor(request))
        except DomainError as err:
            error = err.message
        else:
            messages.success(request, _("%(vin)s was removed from your fleet.") % {"vin": vehicle.vin})
            return redirect("vehicles:list")
    live = selectors.live_subscriptions(vehicle)
    return render(request, "vehicles/remove.html", {"vehicle": vehicle, "live": live, "error": error})


@require_POST
@member_required("vehicles.manage")
def vehicle_module_check(request, vin: str):
    vehicle = _vehicle_or_404(request, vin)
    from .telematics import TelematicsError

    try:
        services.vehicle_module_refresh(vehicle=vehicle, actor=_actor(request))
    except TelematicsError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("The communication module was checked."))
    return redirect("vehicles:detail", vin=vehicle.vin)


# --- drivers -------------------------------------------------------------------------------------
@require_POST
@member_required("vehicles.manage")
def vehicle_driver(request, vin: str):
    vehicle = _vehicle_or_404(request, vin)
    drivers = selectors.drivers_of(request.company)
    form = DriverForm(request.POST, drivers=drivers)
    if form.is_valid():
        membership = get_object_or_404(
            Membership.objects.for_company(request.company), pk=form.cleaned_data["member"]
        )
        try:
            services.driver_assign(vehicle=vehicle, driver=membership.user, actor=_actor(request))
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(
                request,
                _("%(driver)s now drives %(van)s.")
                % {"driver": membership.user.get_full_name() or membership.user.email, "van": vehicle},
            )
    else:
        messages.error(request, _("Choose a driver from the list."))
    return redirect("vehicles:detail", vin=vehicle.vin)


@require_POST
@member_required("vehicles.manage")
def vehicle_driver_release(request, vin: str):
    vehicle = _vehicle_or_404(request, vin)
    try:
        services.driver_release(vehicle=vehicle, actor=_actor(request))
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("The driver assignment has ended."))
    return redirect("vehicles:detail", vin=vehicle.vin)


def _self_assign_allowed(request) -> None:
    # Checked after the van's lookup: another company's van is a 404, a wrong role a 403.
    if not allows(request.membership.role, "drivers.self_assign"):
        raise PermissionDenied


@require_POST
@member_required()
def vehicle_take(request, vin: str):
    """A driver takes a free van of the company (until the driver app does it)."""
    vehicle = selectors.vehicle_for_page(request.company, vin)
    if vehicle is None:
        raise Http404
    _self_assign_allowed(request)
    try:
        services.driver_assign(vehicle=vehicle, driver=request.user, actor=_actor(request))
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("vehicles:list")
    messages.success(request, _("You now drive %(van)s.") % {"van": vehicle})
    return redirect("vehicles:detail", vin=vehicle.vin)


@require_POST
@member_required()
def vehicle_hand_back(request, vin: str):
    """A driver hands their van back: it is free for another driver."""
    vehicle = _vehicle_or_404(request, vin)
    _self_assign_allowed(request)
    try:
        services.driver_release(vehicle=vehicle, actor=_actor(request))
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("You have handed the van back; another driver can take it now."))
    return redirect("vehicles:list")


# --- workshops -----------------------------------------------------------------------------------
@member_required("vehicles.manage")
def workshop_list(request):
    """The dealer network: browse and search; choose the company default or one van's workshop."""
    vehicle = None
    vin = request.GET.get("vehicle") or request.POST.get("vehicle")
    if vin:
        vehicle = _vehicle_or_404(request, vin)
    if request.method == "POST":
        form = WorkshopChoiceForm(request.POST)
        if form.is_valid():
            dealer = form.cleaned_data["dealer_code"]
            if vehicle is not None:
                services.workshop_choose(vehicle=vehicle, dealer=dealer, actor=_actor(request))
                messages.success(
                    request,
                    _("Workshop for %(van)s: %(dealer)s.")
                    % {"van": vehicle, "dealer": dealer.name if dealer else _("the company default")},
                )
                return redirect("vehicles:detail", vin=vehicle.vin)
            services.default_workshop_set(company=request.company, dealer=dealer, actor=_actor(request))
            messages.success(
                request,
                _("Default workshop: %(dealer)s.") % {"dealer": dealer.name if dealer else _("none")},
            )
            return redirect("vehicles:workshops")
        messages.error(request, " ".join(str(e) for e in form.errors.get("dealer_code", [])))
    filterset = DealerFilterSet(request.GET, queryset=Dealer.objects.all())
    dealers = list(filterset.qs[:100]) if filterset.is_valid() else []
    request.company.refresh_from_db(fields=["default_workshop"])
    return render(
        request,
        "vehicles/workshops.html",
        {
            "filterset": filterset,
            "filters_html": overview.filters_html(filterset.form),
            "dealers": dealers,
            "vehicle": vehicle,
            "default_workshop": request.company.default_workshop,
        },
    )


# --- import --------------------------------------------------------------------------------------
@member_required("vehicles.manage")
def import_upload(request):
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                vehicle_import = imports.vehicle_import_create(
                    company=request.company,
                    uploaded_file=form.cleaned_data["file"],
                    dry_run=form.cleaned_data["dry_run"],
                    actor=_actor(request),
                )
            except DomainError as err:
                show_error(form, err)
            else:
                return redirect("vehicles:import_detail", pk=vehicle_import.pk)
    else:
        form = ImportForm()
    return render(
        request, "vehicles/import.html", {"form": form, "imports": selectors.imports_of(request.company)}
    )


def _import_or_404(request, pk: int) -> VehicleImport:
    return get_object_or_404(VehicleImport.objects.for_company(request.company), pk=pk)


def import_status_body(vehicle_import: VehicleImport) -> dict:
    return {
        "id": vehicle_import.pk,
        "status": vehicle_import.status,
        "status_label": str(vehicle_import.get_status_display()),
        "dry_run": vehicle_import.dry_run,
        "total": vehicle_import.total,
        "processed": vehicle_import.processed,
        "percent": vehicle_import.percent,
        "valid": vehicle_import.valid,
        "created": vehicle_import.created,
        "error_count": len(vehicle_import.errors),
        "finished": vehicle_import.is_finished,
        "failure_reason": vehicle_import.failure_reason,
    }


@member_required("vehicles.manage")
def import_detail(request, pk: int):
    vehicle_import = _import_or_404(request, pk)
    outcomes = imports.import_row_outcomes(vehicle_import) if vehicle_import.is_finished else []
    shown = outcomes if vehicle_import.dry_run else [row for row in outcomes if not row["ok"]]
    return render(
        request,
        "vehicles/import_detail.html",
        {
            "vehicle_import": vehicle_import,
            "rows": shown[:500],
            "rows_hidden": max(0, len(shown) - 500),
            "status": import_status_body(vehicle_import),
        },
    )


@require_GET
@member_required("vehicles.manage")
def import_status(request, pk: int):
    vehicle_import = selectors.import_progress(request.company, pk)
    if vehicle_import is None:
        raise Http404
    return JsonResponse(import_status_body(vehicle_import))


@require_GET
@member_required("vehicles.manage")
def import_errors_csv(request, pk: int):
    vehicle_import = _import_or_404(request, pk)
    response, writer = csv_response(f"import-{vehicle_import.pk}-errors.csv")
    writer.writerow(["row", "vin", "licence_plate", "nickname", "error"])
    for row in imports.import_row_outcomes(vehicle_import):
        if not row["ok"]:
            writer.writerow([row["row"], row["vin"], row["licence_plate"], row["nickname"], row["message"]])
    return response


@require_POST
@member_required("vehicles.manage")
def import_confirm(request, pk: int):
    vehicle_import = _import_or_404(request, pk)
    try:
        new_import = imports.vehicle_import_confirm(vehicle_import=vehicle_import, actor=_actor(request))
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("vehicles:import_detail", pk=vehicle_import.pk)
    return redirect("vehicles:import_detail", pk=new_import.pk)
