"""Portal side of remote commands: the van page's action panel (registered with vehicles.panels)
and the form it posts to. The live status comes from the API's GET of the command, polled by
static/commands/van_actions.js (no inline script: CSP)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from companies.audit import Actor
from companies.tenancy import member_required
from mpro.errors import DomainError
from telematics.selectors import vehicle_in_reach

from . import selectors, services


def actions_context(vehicle) -> dict | None:
    """What `commands/_van_actions.html` needs; None when no command service is live. The driver
    app includes the same partial with this context."""
    kinds = selectors.available_kinds(vehicle)
    if not any(kinds.values()):
        return None
    return {"vehicle": vehicle, "kinds": kinds, "last": selectors.commands(vehicle).first()}


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
    try:
        departure = parse_datetime(request.POST.get("departure_at") or "")
        services.command_send(
            vehicle=vehicle,
            kind=request.POST.get("kind", ""),
            membership=request.membership,
            actor=Actor.customer(request.user),
            departure_at=departure,
            target_temp_c=float(target) if target else None,
        )
    except (DomainError, ValueError) as error:
        reasons = getattr(error, "extra", {}).get("reasons", {})
        messages.error(request, " ".join([str(getattr(error, "message", error)), *reasons.values()]))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("vehicles:detail", vin=vehicle.vin)
