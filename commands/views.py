"""Portal side of remote commands: the van page's action panel (registered with vehicles.panels)
and the form it posts to. The live status comes from the API's GET of the command, polled by
static/commands/van_actions.js (no inline script: CSP)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from companies.audit import Actor
from companies.tenancy import member_required
from mpro.errors import DomainError, FieldErrors
from telematics.selectors import vehicle_in_reach
from vehicles.telematics import departures

from . import prerequisites, selectors, services
from .models import CommandKind, CommandStatus

DAY_LABELS = [
    pgettext_lazy("weekday, short", "Mon"),
    pgettext_lazy("weekday, short", "Tue"),
    pgettext_lazy("weekday, short", "Wed"),
    pgettext_lazy("weekday, short", "Thu"),
    pgettext_lazy("weekday, short", "Fri"),
    pgettext_lazy("weekday, short", "Sat"),
    pgettext_lazy("weekday, short", "Sun"),
]


def actions_context(vehicle) -> dict | None:
    """What `commands/_van_actions.html` needs; None when no command service is live. The driver
    app includes the same partial with this context."""
    kinds = selectors.available_kinds(vehicle)
    if not any(kinds.values()):
        return None
    return {
        "vehicle": vehicle,
        "kinds": kinds,
        "last": selectors.commands(vehicle).first(),
        "readiness": selectors.readiness(vehicle) if kinds["echarging"] else None,
        "climate_plan": selectors.climate_plan(vehicle) if kinds["echarging"] else None,
        "weekday_choices": [(code, label) for code, label in zip(departures.DAYS, DAY_LABELS, strict=True)],
        "status_labels": CommandStatus.choices,
        "kind_labels": CommandKind.choices,
        "warning_texts": [(code, text) for code, text in prerequisites.WARNINGS.items()],
    }


def van_actions_panel(request, vehicle) -> tuple[str, dict] | None:
    context = actions_context(vehicle)
    return None if context is None else ("commands/_van_actions.html", context)


@require_POST
@member_required("company.member")
def command_send(request, vin: str):
    vehicle = vehicle_in_reach(request.company, request.membership, vin)
    if vehicle is None:
        raise Http404
    target = request.POST.get("target_temp_c") or None
    days = request.POST.getlist("departure_days")
    try:
        departure = parse_datetime(request.POST.get("departure_at") or "") if not days else None
        if departure is not None and timezone.is_naive(departure):
            departure = timezone.make_aware(departure)  # the form's local time, in the company's zone
        at = request.POST.get("departure_time") or None
        services.command_send(
            vehicle=vehicle,
            kind=request.POST.get("kind", ""),
            membership=request.membership,
            actor=Actor.customer(request.user),
            departure_at=departure,
            departure_time=departures.parse_time(at) if at else None,
            departure_days=days,
            target_temp_c=float(target) if target else None,
        )
    except FieldErrors as error:
        messages.error(request, " ".join(str(m) for field in error.errors.values() for m in field))
    except ValueError:  # a hand-made post: a time, date or temperature the form cannot produce
        messages.error(request, _("Check the departure and the target temperature."))
    except DomainError as error:
        reasons = getattr(error, "extra", {}).get("reasons", {})
        messages.error(request, " ".join([str(getattr(error, "message", error)), *reasons.values()]))
    else:
        messages.success(request, _("Command sent to the van."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("vehicles:detail", vin=vehicle.vin)
