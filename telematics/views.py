"""The van page's status panel (registered with vehicles.panels, so vehicles never imports us)."""

from __future__ import annotations

from django.utils import timezone

from companies.permissions import allows
from packs.selectors import packs_with_service, service_live
from vehicles.models import ModuleStatus, Vehicle
from vehicles.telematics import has_module

from . import privacy, selectors
from .models import VehicleState


def status_panel(request, vehicle: Vehicle) -> tuple[str, dict]:
    """What the van reports when fleet management is live on it; otherwise why not and what to book."""
    context: dict = {"vehicle": vehicle, "service": selectors.FLEET_MANAGEMENT}
    if vehicle.module_status == ModuleStatus.ABSENT or not has_module(vehicle.vin):
        context["no_module"] = True
    elif not service_live(vehicle, selectors.FLEET_MANAGEMENT):
        context["to_book"] = packs_with_service(request.company, selectors.FLEET_MANAGEMENT)
        context["can_book"] = allows(request.membership.role, "orders.place")
    else:
        state = VehicleState.objects.filter(vehicle=vehicle, company_id=vehicle.company_id).first()
        now = timezone.now()
        context.update(
            live=True,
            state=state,
            stale=state is not None and selectors.is_stale(state, now),
            electric=vehicle.fuel == "electric",
            withheld=vehicle.pk in privacy.unrecorded([vehicle.pk], now),
        )
    return "telematics/_status_panel.html", context
