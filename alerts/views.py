"""Portal pages: the fleet map (and its marker feed), alerts, geofences, thresholds, and the
e-mail opt-in posted from the profile page. No inline script: static/alerts/*.js reads data
attributes and the JSON feed."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.audit import Actor
from companies.permissions import allows
from companies.tenancy import member_required
from mpro.errors import DomainError
from mpro.forms import show_error
from telematics.selectors import parse_bbox

from . import selectors, services
from .forms import AlertSettingsForm, GeofenceForm
from .models import Alert, AlertKind, Geofence

STATUSES = ("open", "acknowledged", "cleared", "all")


def map_settings() -> dict:
    """What every map of the project reads from its data attributes (fleet map, geofences, dealers)."""
    return {"tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION}


def _geofences_json(company) -> str:
    return json.dumps(
        [
            {"id": g.pk, "name": g.name, "lat": g.lat, "lon": g.lon, "radius_m": g.radius_m}
            for g in selectors.geofences(company)
        ]
    )


@member_required("company.member")
def fleet_map(request):
    manager = allows(request.membership.role, "vehicles.view_all")
    context = {
        **map_settings(),
        "manager": manager,
        "extent_json": json.dumps(selectors.marker_extent(request.company, request.membership)),
        "geofences_json": _geofences_json(request.company) if manager else "[]",
        "open_alerts": selectors.open_alert_count(request.company) if manager else 0,
    }
    return render(request, "alerts/fleet_map.html", context)


@member_required("company.member")
def fleet_markers(request):
    """The markers as one JSON document, streamed from a chunked cursor (50,000 vans: one query,
    constant memory). `bbox=west,south,east,north`: only the vans in the map's view; a bad box is
    a 400 with the field's error, like the API's."""
    company, membership = request.company, request.membership
    bbox = None
    if "bbox" in request.GET:
        try:
            bbox = parse_bbox(request.GET["bbox"])
        except ValueError as error:
            return JsonResponse({"bbox": [str(error)]}, status=400)

    def body():
        # 500 markers per piece: one json.dumps call each (one per marker cost a third of the time).
        yield '{"vans":['
        piece, sent = [], False
        for marker in selectors.markers(company, membership, bbox=bbox):
            piece.append(marker)
            if len(piece) == 500:
                yield ("," if sent else "") + json.dumps(piece, separators=(",", ":"))[1:-1]
                piece, sent = [], True
        if piece:
            yield ("," if sent else "") + json.dumps(piece, separators=(",", ":"))[1:-1]
        yield "]}"

    response = StreamingHttpResponse(body(), content_type="application/json")
    response["Cache-Control"] = "private, no-store"
    return response


@member_required("vehicles.view_all")
def alert_list(request):
    status = request.GET.get("status", "open")
    status = status if status in STATUSES else "open"
    kind = request.GET.get("kind") if request.GET.get("kind") in AlertKind.values else None
    qs = selectors.alerts(request.company, status=None if status == "all" else status, kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/alert_list.html",
        {
            "page": page,
            "status": status,
            "kind": kind or "",
            "kinds": AlertKind.choices,
            "can_acknowledge": allows(request.membership.role, "vehicles.manage"),
        },
    )


@require_POST
@member_required("vehicles.manage")
def alert_acknowledge(request, alert_id: int):
    try:
        services.alert_acknowledge(
            company=request.company, alert_id=alert_id, actor=Actor.customer(request.user)
        )
    except Alert.DoesNotExist:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Alert acknowledged."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else reverse("alerts:list"))


@member_required("vehicles.view_all")
def alert_settings(request):
    current = selectors.settings_of(request.company)
    initial = {f: getattr(current, f) for f in AlertSettingsForm.base_fields}
    form = AlertSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not allows(request.membership.role, "vehicles.manage"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.alert_settings_update(
                    company=request.company, actor=Actor.customer(request.user), **form.cleaned_data
                )
            except DomainError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The alert thresholds are saved."))
                return redirect("alerts:settings")
    return render(request, "alerts/settings.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@member_required("vehicles.view_all")
def alert_emails(request):
    enabled = request.POST.get("enabled") == "1"
    services.alert_emails_set(user=request.user, enabled=enabled, actor=Actor.customer(request.user))
    if enabled:
        messages.success(request, _("You will receive alerts by e-mail."))
    else:
        messages.success(request, _("You will no longer receive alerts by e-mail."))
    return redirect("users:profile")


@member_required("vehicles.view_all")
def geofence_list(request):
    form = GeofenceForm(request.POST or None)
    if request.method == "POST":
        if not allows(request.membership.role, "vehicles.manage"):
            raise PermissionDenied
        if form.is_valid():
            try:
                geofence = services.geofence_create(
                    company=request.company, actor=Actor.customer(request.user), **form.cleaned_data
                )
            except DomainError as error:
                show_error(form, error)
            else:
                messages.success(request, _("Geofence “%(name)s” added.") % {"name": geofence.name})
                return redirect("alerts:geofences")
    context = {
        **map_settings(),
        "form": form,
        "geofences": selectors.geofences(request.company),
        "geofences_json": _geofences_json(request.company),
        "max_geofences": settings.ALERTS_MAX_GEOFENCES,
    }
    return render(request, "alerts/geofences.html", context, status=400 if form.errors else 200)


@member_required("vehicles.manage")
def geofence_edit(request, geofence_id: int):
    geofence = selectors.geofences(request.company).filter(pk=geofence_id).first()
    if geofence is None:
        raise Http404
    initial = {"name": geofence.name, "lat": geofence.lat, "lon": geofence.lon, "radius_m": geofence.radius_m}
    form = GeofenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            geofence = services.geofence_update(
                company=request.company,
                geofence_id=geofence.pk,
                actor=Actor.customer(request.user),
                **form.cleaned_data,
            )
        except Geofence.DoesNotExist:
            raise Http404 from None
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Geofence “%(name)s” saved.") % {"name": geofence.name})
            return redirect("alerts:geofences")
    context = {
        **map_settings(),
        "form": form,
        "geofence": geofence,
        "geofences_json": _geofences_json(request.company),
    }
    return render(request, "alerts/geofence_edit.html", context, status=400 if form.errors else 200)


@require_POST
@member_required("vehicles.manage")
def geofence_delete(request, geofence_id: int):
    try:
        services.geofence_delete(
            company=request.company, geofence_id=geofence_id, actor=Actor.customer(request.user)
        )
    except Geofence.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Geofence deleted."))
    return redirect("alerts:geofences")
