"""Reads of remote commands. Each read first expires what is overdue (the check on read), so a
command never shows `sent` after its deadline even if the beat sweep is late."""

from __future__ import annotations

from django.db.models import QuerySet

from packs.selectors import service_live
from vehicles.models import Fuel, Vehicle

from .lifecycle import expire_overdue
from .models import Command
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
