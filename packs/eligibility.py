"""Which services of a pack can run on a van, and why not: the compatibility rules of the
catalogue, read by the purchase page, the order check and the activation task alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from vehicles.models import Fuel, ModuleStatus, Vehicle
from vehicles.telematics import has_module

from .models import Pack, Service


def vehicle_has_module(vehicle: Vehicle) -> bool:
    """What we know of the van's communication module: the backend's last answer, else the VIN rule."""
    if vehicle.module_status == ModuleStatus.ABSENT:
        return False
    if vehicle.module_status in (ModuleStatus.ACTIVE, ModuleStatus.INACTIVE):
        return True
    return has_module(vehicle.vin)


def service_compatibility(*, service: Service, vehicle: Vehicle) -> list[str]:
    """Why `service` cannot run on `vehicle` (empty: it can)."""
    reasons = []
    if service.requires_module and not vehicle_has_module(vehicle):
        reasons.append(gettext("The van has no communication module."))
    if service.fuels and vehicle.fuel not in service.fuels:
        if vehicle.fuel == Fuel.UNKNOWN:
            reasons.append(
                gettext("%(service)s: the van's drive type is not known.") % {"service": service.local_name}
            )
        elif service.fuels == [Fuel.ELECTRIC]:
            reasons.append(
                gettext("%(service)s is for electric vans only.") % {"service": service.local_name}
            )
        else:
            reasons.append(
                gettext("%(service)s does not work with this drive type.") % {"service": service.local_name}
            )
    families = {f.lower() for f in service.model_families}
    if families and (vehicle.model_family or "").lower() not in families:
        if not vehicle.model_family:
            reasons.append(
                gettext("%(service)s: the van's model is not known.") % {"service": service.local_name}
            )
        else:
            reasons.append(
                gettext("%(service)s is not available for the %(model)s.")
                % {"service": service.local_name, "model": vehicle.model_family}
            )
    return reasons


@dataclass
class PackFit:
    """How a pack fits one van: the services it would run there and what is left out, and why."""

    services: list[Service] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not self.reasons


def pack_fit(*, pack: Pack, vehicle: Vehicle) -> PackFit:
    """A single-service pack needs its service to fit. A bundle fits when at least one of its services
    does; the others are left out for that van (eCharging on a diesel van, for example). A van
    without a communication module fits nothing. Uses `pack.services.all()` (prefetch it for lists)."""
    fit = PackFit()
    services = list(pack.services.all())
    if any(s.requires_module for s in services) and not vehicle_has_module(vehicle):
        fit.reasons = [
            gettext("The van has no communication module, so connected services cannot run on it.")
        ]
        return fit
    per_service = [(s, service_compatibility(service=s, vehicle=vehicle)) for s in services]
    fit.services = [s for s, reasons in per_service if not reasons]
    problems = [reason for _s, reasons in per_service for reason in reasons]
    if pack.is_bundle and fit.services:
        fit.left_out = problems
    elif problems or not services:
        fit.services = []
        fit.reasons = problems or [gettext("This pack contains no service.")]
    return fit


def pack_compatibility(*, pack: Pack, vehicle: Vehicle) -> list[str]:
    """Why `pack` cannot be bought for `vehicle` (empty list: compatible)."""
    return pack_fit(pack=pack, vehicle=vehicle).reasons
