"""The telematics backend interface: what a van's LTE communication module does for mpro.

Low level on purpose (packs activates modules through it, so it lives below packs): switching a
module on and off, reading what the vans report, and (for the commands issue) sending a command.
The connected-service app `telematics` turns reports into state, history and pages."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


class TelematicsError(Exception):
    """A backend call failed. `message` is safe to show to the customer."""

    permanent = False

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class TransientTelematicsError(TelematicsError):
    """Worth retrying: the backend or the mobile network did not answer in time."""


class PermanentTelematicsError(TelematicsError):
    """Retrying cannot help (for example: the van has no communication module)."""

    permanent = True


@dataclass(frozen=True)
class ModuleState:
    present: bool
    active: bool
    services: frozenset[str] = field(default_factory=frozenset)


@dataclass(slots=True)
class Report:
    """One report of a van's module: the fields of GET /vehicles/{vin}/status, as sent.

    Nothing here is trusted: the ingestion validates every report before storing it."""

    vin: str
    at: datetime.datetime
    lat: float
    lon: float
    heading: int | None
    speed_kmh: float
    odometer_km: float
    fuel_percent: float | None
    battery_percent: float | None
    range_km: float | None
    ignition: bool
    doors_locked: bool
    doors_closed: bool
    windows_closed: bool
    bonnet_closed: bool
    gear: str
    # Electric vans only (None on a combustion van).
    plug_inserted: bool | None
    plug_locked: bool | None
    plug_connected: bool | None
    charging: bool | None
    rfid_authorised: bool | None
    outside_temp_c: float
    cabin_temp_c: float
    service_due_days: int
    service_due_km: int


@dataclass(frozen=True, slots=True)
class NoAnswer:
    """The module did not answer in time: the van is stale, nothing else changes."""

    vin: str


class TelematicsBackend:
    def module_state(self, vin: str) -> ModuleState:
        raise NotImplementedError

    def activate(self, vin: str, services: list[str], *, request_id: str, attempt: int = 0) -> ModuleState:
        """Switch the module on (if needed) and enable `services`. Idempotent per request_id."""
        raise NotImplementedError

    def deactivate(self, vin: str, services: list[str], *, request_id: str, attempt: int = 0) -> ModuleState:
        """Disable `services`; the module switches off when none is left. Idempotent per request_id."""
        raise NotImplementedError

    def fetch_reports(self, vins: Sequence[str], *, at: datetime.datetime) -> list[Report | NoAnswer]:
        """The latest report of each van whose module is on, in one call for the whole batch.
        A van whose module is off or absent is left out; one that did not answer is a NoAnswer."""
        raise NotImplementedError

    def send_command(self, vin: str, kind: str, params: dict, *, request_id: str, attempt: int = 0) -> str:
        """Hands a remote command (lock, unlock, charge_start, ...) to the van. Idempotent per
        request_id; returns the backend's command reference. For the remote-functions issue."""
        raise NotImplementedError

    def record_service(self, vin: str, *, odometer_km: float, performed_on: datetime.date) -> None:
        """A workshop serviced the van: the module's service-due counters start again from this
        odometer reading and date (maintenance records it; the next report shows it)."""
        raise NotImplementedError


def has_module(vin: str) -> bool:
    """The emulated rule: a VIN whose serial (last six characters) starts with 9 has no module."""
    return not vin[-6:].startswith("9")


def get_backend() -> TelematicsBackend:
    return import_string(settings.TELEMATICS_BACKEND)()
