"""The driver app (/app/): a mobile-first face on the same services as the portal. My van (status,
remote functions, pick a free van / release), Jobs (answer what the fleet manager sent), Trips
(the logbook's own trips, classified with its form), and what makes it an installable PWA (manifest,
service worker, offline page). No inline script: static/driverapp/app.js."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from alerts import selectors as alert_selectors
from commands.views import actions_context
from companies.audit import Actor
from companies.permissions import allows
from companies.tenancy import member_required
from jobs import selectors as job_selectors
from jobs import services as job_services
from mpro.errors import ConflictError, DomainError
from telematics import selectors as telematics
from trips import selectors as trip_selectors
from trips import services as trip_services
from vehicles import selectors as vehicle_selectors
from vehicles import services as vehicle_services
from vehicles.models import Vehicle

from .places import nearest_town

SHELL_STATIC = [
    "css/mpro.css",
    "driverapp/app.css",
    "driverapp/app.js",
    "driverapp/icons/icon-192.png",
    "driverapp/icons/icon-512.png",
]


def _actor(request) -> Actor:
    return Actor.customer(request.user)


def _own_van(request) -> Vehicle | None:
    return (
        Vehicle.objects.for_company(request.company)
        .select_related("company")
        .filter(driver=request.user)
        .first()
    )


def _status(vehicle: Vehicle) -> dict:
    """What the My van screen shows of the van's last report (or why it shows none)."""
    try:
        state = telematics.vehicle_status(vehicle)
    except telematics.NoModuleError:
        return {"no_module": True}
    except telematics.ServiceNotActiveError:
        return {"not_booked": True}
    if state is None:
        return {"no_report": True}
    return {
        "state": state,
        "stale": telematics.is_stale(state),
        "electric": vehicle.fuel == "electric",
        "place": nearest_town(state.lat, state.lon),
        "geo": f"geo:{state.lat:.6f},{state.lon:.6f}",
    }


# --- My van -------------------------------------------------------------------------------------
@member_required()
def my_van(request):
    vehicle = _own_van(request)
    can_pick = allows(request.membership.role, "drivers.self_assign")
    context = {"vehicle": vehicle, "can_pick": can_pick, "tab": "van"}
    if vehicle is not None:
        context["status"] = _status(vehicle)
        context["open_alerts"] = list(
            alert_selectors.alerts_in_reach(
                request.company, request.membership, status="open", vehicle_id=vehicle.pk
            )[:10]
        )
        actions = actions_context(vehicle)
        if actions is not None:
            context["actions"] = {**actions, "next": reverse("driverapp:van")}
    elif can_pick:
        context["free_vehicles"] = vehicle_selectors.free_vehicles(request.company, limit=50)
    context["open_jobs"] = (
        job_selectors.jobs_for_driver(request.company, request.user)
        .filter(status__in=["sent", "read", "accepted"])
        .count()
    )
    return render(request, "driverapp/van.html", context)


def _self_service(request) -> None:
    if not allows(request.membership.role, "drivers.self_assign"):
        messages.error(
            request, _("Only drivers pick a van here. Your fleet manager assigns vans in the portal.")
        )
        raise _Back()


class _Back(Exception):
    pass


@require_POST
@member_required()
def van_take(request, vin: str):
    vehicle = Vehicle.objects.for_company(request.company).filter(vin=vin.strip().upper()).first()
    if vehicle is None:
        raise Http404
    try:
        _self_service(request)
        vehicle_services.driver_assign(vehicle=vehicle, driver=request.user, actor=_actor(request))
    except _Back:
        pass
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("You now drive %(van)s.") % {"van": vehicle})
    return redirect("driverapp:van")


@require_POST
@member_required()
def van_release(request):
    vehicle = _own_van(request)
    try:
        _self_service(request)
        if vehicle is None:
            raise ConflictError(_("You have no van to release."), code="no_driver")
        vehicle_services.driver_release(vehicle=vehicle, actor=_actor(request))
    except _Back:
        pass
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("You have released the van; another driver can pick it now."))
    return redirect("driverapp:van")


# --- Jobs ---------------------------------------------------------------------------------------
@member_required()
def job_list(request):
    jobs = list(job_selectors.jobs_for_driver(request.company, request.user)[:100])
    return render(
        request,
        "driverapp/jobs.html",
        {
            "open_jobs": [j for j in jobs if j.is_open],
            "finished_jobs": [j for j in jobs if not j.is_open],
            "tab": "jobs",
            "now": timezone.now(),
        },
    )


def _driver_job(request, job_id: int):
    # The app shows a person the jobs sent to them; anyone else's is a 404 here.
    job = job_selectors.jobs_for_driver(request.company, request.user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@member_required()
def job_detail(request, job_id: int):
    job = _driver_job(request, job_id)
    return render(request, "driverapp/job.html", {"job": job, "tab": "jobs", "now": timezone.now()})


@require_POST
@member_required()
def job_status(request, job_id: int):
    job = _driver_job(request, job_id)
    try:
        job = job_services.job_mark(
            job=job,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            actor=_actor(request),
        )
    except DomainError as error:
        errors = getattr(error, "errors", None) or {"": [error.message]}
        for field_messages in errors.values():
            for message in field_messages:
                messages.error(request, str(message))
    else:
        messages.success(request, _("Saved: %(status)s.") % {"status": job.get_status_display()})
    return redirect("driverapp:job", job_id=job.pk)


# --- Trips: the person's own trips, classified in two taps through the trips app's form ----------
TRIPS_SHOWN = 30


@member_required()
def trips(request):
    """The trips the person drove, newest first, unclassified ones marked; each open trip carries the
    logbook's classification form (trips/_classify.html), which posts back here."""
    own = (
        trip_selectors.trips_in_reach(request.membership)
        .filter(driver_id=request.user.pk)
        .select_related("company")
        .order_by("-started_at")[:TRIPS_SHOWN]
    )
    rows = [
        {
            "trip": trip,
            "places": True,  # their own trips: a driver always sees where they drove
            "locked": trip_services.is_locked(trip),
        }
        for trip in own
    ]
    return render(
        request,
        "driverapp/trips.html",
        {
            "tab": "trips",
            "rows": rows,
            "unclassified": sum(r["trip"].category == "unclassified" for r in rows),
        },
    )


# --- the PWA ------------------------------------------------------------------------------------
@require_GET
def offline(request):
    """What the service worker shows without a connection (cached at install; no personal data)."""
    return render(request, "driverapp/offline.html", {"tab": None})


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    icon = lambda name, size, purpose="any": {  # noqa: E731
        "src": static(f"driverapp/icons/{name}"),
        "sizes": f"{size}x{size}",
        "type": "image/png",
        "purpose": purpose,
    }
    body = {
        "name": _("mpro driver app"),
        "short_name": "mpro",
        "description": _("Your van, your jobs and your trips."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("driverapp:van"),
        "scope": reverse("driverapp:van"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f5f7fa",
        "theme_color": "#0b2239",
        "icons": [
            icon("icon-192.png", 192),
            icon("icon-512.png", 512),
            icon("maskable-512.png", 512, "maskable"),
        ],
    }
    return JsonResponse(
        body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


def _shell() -> list[str]:
    return [static(path) for path in SHELL_STATIC]


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """The service worker: a static file (driverapp/static/driverapp/sw.js) served at /app/sw.js,
    so its scope covers the app. The shell's URLs (hashed in production) and a version derived
    from them and from the file itself are filled in here."""
    path = finders.find("driverapp/sw.js")
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    shell = _shell()
    offline_url = reverse("driverapp:offline")
    version = hashlib.sha256((source + json.dumps(shell) + settings.STATIC_URL).encode()).hexdigest()[:12]
    source = (
        source.replace('"__SHELL__"', json.dumps(shell))
        .replace("__OFFLINE__", offline_url)
        .replace("__VERSION__", version)
    )
    response = HttpResponse(source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("driverapp:van")
    return response
