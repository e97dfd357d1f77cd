"""Pages of the logbook: the Trips page (managers filter and total, drivers classify their own),
a trip with its history, the logbook export and its check, private mode, working hours, and the
van page's trips panel (registered with vehicles.panels)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from companies.audit import Actor
from companies.permissions import allows
from companies.tenancy import member_required
from mpro.errors import DomainError
from mpro.forms import show_error
from packs.selectors import packs_with_service, service_live
from telematics.selectors import vehicle_in_reach

from . import api, hours, logbook, selectors, services
from .detection import DIGITAL_LOGBOOK
from .forms import ClassifyForm, LogbookExportForm, LogbookVerifyForm, TripFilterForm, WorkingHoursForm

PAGE_SIZE = 50


def _rows(trips, user_id: int | None, now) -> list[dict]:
    """What a page shows of each trip: places only where the viewer may see them."""
    return [
        {
            "trip": trip,
            "places": selectors.shows_places(trip, user_id),
            "locked": services.is_locked(trip, now),
            "mine": trip.driver_id == user_id,
        }
        for trip in trips
    ]


def _back(request, default: str):
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(default)


@member_required()
def trip_list(request):
    membership = request.membership
    manager = selectors.sees_all(membership)
    vans = list(selectors.vans_of(request.company)) if manager else []
    drivers = list(selectors.drivers_of(request.company)) if manager else []
    form = TripFilterForm(request.GET or None, vans=vans, drivers=drivers)
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"vehicle": data["vehicle"] or None, "category": data["category"] or None}
        if data["driver"]:
            filters["driver"] = int(data["driver"])
        if data["month"]:
            try:
                month = logbook.parse_month(data["month"])
            except DomainError as error:
                show_error(form, error)
            else:
                filters["since"], filters["until"] = logbook.month_bounds(month, request.company)
    trips = selectors.filtered_trips(membership, **filters).order_by("-started_at", "-id")
    page = Paginator(trips, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    context = {
        "form": form,
        "manager": manager,
        "page": page,
        "rows": _rows(page.object_list, request.user.pk, now),
        "totals": selectors.totals(trips) if manager else [],
        "query": request.GET.urlencode(),
    }
    return render(request, "trips/list.html", context)


def _trip_or_404(request, trip_id: int):
    trip = selectors.trip_in_reach(request.membership, trip_id)
    if trip is None:
        raise Http404
    return trip


def _detail(request, trip, form=None, status=200):
    now = timezone.now()
    context = {
        "row": _rows([trip], request.user.pk, now)[0],
        "trip": trip,
        "form": form,
        "history": list(selectors.history(trip)),
        "can_classify": _can_classify(request, trip),
    }
    return render(request, "trips/detail.html", context, status=status)


def _can_classify(request, trip) -> bool:
    if trip.driver_id is not None:
        return trip.driver_id == request.user.pk
    return request.membership.role == "admin"


@member_required()
def trip_detail(request, trip_id: int):
    return _detail(request, _trip_or_404(request, trip_id))


@require_POST
@member_required()
def trip_classify(request, trip_id: int):
    trip = _trip_or_404(request, trip_id)
    form = ClassifyForm(request.POST)
    if form.is_valid():
        try:
            services.trip_classify(
                trip=trip,
                membership=request.membership,
                actor=Actor.customer(request.user),
                **form.cleaned_data,
            )
        except DomainError as error:
            show_error(form, error)
            return _detail(request, trip, form, status=error.status_code)
        messages.success(request, _("Trip classified."))
        return _back(request, "trips:list")
    return _detail(request, trip, form, status=400)


# --- the logbook ---------------------------------------------------------------------------------
@require_POST
@member_required()
def logbook_export(request, vin: str):
    vehicle = vehicle_in_reach(request.company, request.membership, vin)
    if vehicle is None:
        raise Http404
    form = LogbookExportForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Choose a month (YYYY-MM) and a format."), field="month")
        month = logbook.parse_month(form.cleaned_data["month"])
        book, data = logbook.logbook_export(
            vehicle=vehicle, month=month, fmt=form.cleaned_data["format"], actor=Actor.customer(request.user)
        )
    except DomainError as error:
        messages.error(request, " ".join(str(m) for ms in error.as_field_errors().values() for m in ms))
        return redirect("vehicles:detail", vin=vehicle.vin)
    return api.logbook_response(book, data, form.cleaned_data["format"])


@require_http_methods(["GET", "POST"])
@member_required()
def logbook_verify(request):
    result = None
    form = LogbookVerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stated, actual = logbook.checksum_of_csv(upload.read(5_000_000))
        export = selectors.export_with_checksum(request.company, actual)
        if export is not None and not selectors.sees_all(request.membership):
            if vehicle_in_reach(request.company, request.membership, export.vehicle.vin) is None:
                export = None
        result = {"stated": stated, "actual": actual, "intact": stated == actual, "export": export}
    return render(request, "trips/verify.html", {"form": form, "result": result})


# --- private mode and working hours --------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@member_required()
def private_mode(request):
    if request.method == "POST":
        try:
            services.private_mode_switch(
                membership=request.membership,
                actor=Actor.customer(request.user),
                on=request.POST.get("active") == "on",
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        return _back(request, "trips:private_mode")
    context = {"state": api.private_mode_body(request.membership), "days": _days_display(request.company)}
    return render(request, "trips/private_mode.html", context)


def _days_display(company) -> list[tuple[str, list | None]]:
    from .forms import WEEKDAYS

    return list(zip([str(d) for d in WEEKDAYS], hours.days_of(company), strict=True))


@require_http_methods(["GET", "POST"])
@member_required("company.manage")
def working_hours(request):
    days = hours.days_of(request.company)
    form = WorkingHoursForm(request.POST or None, days=days)
    if request.method == "POST" and form.is_valid():
        try:
            services.working_hours_set(
                company=request.company,
                membership=request.membership,
                actor=Actor.customer(request.user),
                days=form.days(),
            )
        except DomainError as error:
            show_error(form, error)
            messages.error(request, " ".join(str(m) for ms in error.as_field_errors().values() for m in ms))
        else:
            messages.success(request, _("Working hours saved."))
            return redirect("trips:working_hours")
    context = {"form": form, "time_zone": request.company.time_zone_name}
    return render(request, "trips/working_hours.html", context, status=400 if form.errors else 200)


# --- the van page's panel ------------------------------------------------------------------------
def van_trips_panel(request, vehicle) -> tuple[str, dict] | None:
    membership = request.membership
    context: dict = {"vehicle": vehicle, "service": DIGITAL_LOGBOOK}
    if not service_live(vehicle, DIGITAL_LOGBOOK):
        if not vehicle.trips.exists():
            context["to_book"] = packs_with_service(request.company, DIGITAL_LOGBOOK)
            context["can_book"] = allows(membership.role, "orders.place")
            return "trips/_van_panel.html", context
    now = timezone.now()
    context.update(
        live=True,
        rows=_rows(selectors.vehicle_trips(vehicle, membership), request.user.pk, now),
        periods=selectors.private_mode_periods(vehicle) if selectors.sees_all(membership) else [],
        exports=selectors.exports_of(vehicle),
        export_form=LogbookExportForm(initial={"month": f"{now:%Y-%m}"}),
        is_driver=vehicle.driver_id == request.user.pk,
        private=api.private_mode_body(membership) if vehicle.driver_id == request.user.pk else None,
        now=now,
    )
    return "trips/_van_panel.html", context
