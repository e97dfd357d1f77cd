"""Reads of remote commands. Each read first expires what is overdue (the check on read), so a
command never shows `sent` after its deadline even if the beat sweep is late."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from packs.selectors import service_live
from telematics.models import VehicleState
from vehicles.models import Fuel, Vehicle

from . import prerequisites
from .lifecycle import expire_overdue
from .models import Command, CommandKind, CommandStatus
from .services import ECHARGING, REMOTE_FUNCTIONS


def commands(vehicle: Vehicle) -> QuerySet[Command]:
    expire_overdue(vehicle=vehicle)
    return Command.objects.for_company(vehicle.company).filter(vehicle=vehicle).order_by("-created_at", "-id")


def command(vehicle: Vehicle, command_id: int) -> Command | None:
    return commands(vehicle).filter(pk=command_id).first()


def available_kinds(vehicle: Vehicle) -> dict[str, bool]:
    """Which buttons the van page shows: remote functions, and eCharging on an electric van."""
    return {
        "remote": service_live(vehicle, REMOTE_FUNCTIONS),
        "echarging": vehicle.fuel == Fuel.ELECTRIC and service_live(vehicle, ECHARGING),
    }


def readiness(vehicle: Vehicle) -> dict[str, list[tuple[str, str]]] | None:
    """What the van's reported state still lacks for charging and for pre-climatisation, as
    (code, translated text): the van page lists it before anyone presses a button. The departure
    and the target are the form's, so those two checks wait for the send."""
    state = VehicleState.objects.filter(vehicle=vehicle, company_id=vehicle.company_id).first()
    if state is None:
        return None
    later = {"departure_time_missing", "temperature_reached"}
    charging = prerequisites.charging_unmet(state)
    climate = [
        c
        for c in prerequisites.precondition_unmet(state, departure_at=None, target_temp_c=None)
        if c not in later
    ]
    return {
        "charging": [(code, prerequisites.MESSAGES[code]) for code in charging],
        "precondition": [(code, prerequisites.MESSAGES[code]) for code in climate],
    }


def climate_plan(vehicle: Vehicle) -> Command | None:
    """The pre-climatisation the van carries out: the last one it confirmed, if it repeats or its
    departure is still ahead."""
    last = (
        Command.objects.for_company(vehicle.company)
        .filter(vehicle=vehicle, kind=CommandKind.PRECONDITION, status=CommandStatus.SUCCEEDED)
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None or (
        not last.repeating and (last.departure_at is None or last.departure_at <= timezone.now())
    ):
        return None
    return last
