"""What a van must report before it charges (FAQ 24) or pre-climatises (FAQ 25), and the warnings
that do not refuse. Pure functions of the reported state, so the matrix is easy to test: each
condition alone unmet gives exactly its code."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from telematics.models import Gear, VehicleState

MESSAGES = {
    "plug_not_connected": _("Plug the charging cable in, make sure it is locked and connected."),
    "bonnet_open": _("Close the bonnet."),
    "gear_not_p": _("Put the gear selector in P."),
    "rfid_not_authorised": _("Authorise the RFID charging card at the charging point."),
    "departure_time_missing": _("Set a departure time."),
    "doors_or_windows_open": _("Close all doors and windows."),
    "temperature_reached": _("The outside temperature already equals the target: choose another target."),
    "battery_too_low": _("The battery is at 15 % or less: charge the van first."),
    "no_state": _("The van has not reported yet, so its state cannot be checked."),
}
WARNINGS = {
    "not_enough_time_to_full_charge": _("There is not enough time to charge fully before departure."),
    "reduced_power_away_from_wallbox": _("Away from its home wallbox the van charges with reduced power."),
}
BATTERY_MINIMUM_PERCENT = 15
# Within this distance of its base the van is at its wallbox.
WALLBOX_RADIUS_KM = 0.3


def _plug_ok(state: VehicleState) -> bool:
    return bool(state.plug_inserted and state.plug_locked and state.plug_connected)


def charging_unmet(state: VehicleState) -> list[str]:
    unmet = []
    if not _plug_ok(state):
        unmet.append("plug_not_connected")
    if not state.bonnet_closed:
        unmet.append("bonnet_open")
    if state.gear != Gear.PARK:
        unmet.append("gear_not_p")
    if not state.rfid_authorised:
        unmet.append("rfid_not_authorised")
    return unmet


def precondition_unmet(
    state: VehicleState, *, departure_at: datetime.datetime | None, target_temp_c: float | None
) -> list[str]:
    unmet = []
    if departure_at is None:
        unmet.append("departure_time_missing")
    if not (state.doors_closed and state.windows_closed):
        unmet.append("doors_or_windows_open")
    if not state.bonnet_closed:
        unmet.append("bonnet_open")
    if state.gear != Gear.PARK:
        unmet.append("gear_not_p")
    if not _plug_ok(state):
        unmet.append("plug_not_connected")
    if target_temp_c is not None and state.outside_temp_c is not None:
        if math.isclose(target_temp_c, state.outside_temp_c, abs_tol=0.25):
            unmet.append("temperature_reached")
    if state.battery_percent is None or state.battery_percent <= BATTERY_MINIMUM_PERCENT:
        unmet.append("battery_too_low")
    return unmet


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def charge_warnings(
    state: VehicleState,
    *,
    home: tuple[float, float] | None,
    departure_at: datetime.datetime | None,
    now: datetime.datetime,
) -> list[str]:
    """Hours to full = missing share × capacity / power; power is reduced away from the wallbox."""
    warnings = []
    away = home is not None and _distance_km(home, (state.lat, state.lon)) > WALLBOX_RADIUS_KM
    if away:
        warnings.append("reduced_power_away_from_wallbox")
    if departure_at is not None and state.battery_percent is not None:
        power = settings.COMMAND_AWAY_CHARGING_KW if away else settings.COMMAND_WALLBOX_CHARGING_KW
        missing_kwh = (100 - state.battery_percent) / 100 * settings.COMMAND_BATTERY_KWH
        full_at = now + datetime.timedelta(hours=missing_kwh / power)
        if full_at > departure_at:
            warnings.insert(0, "not_enough_time_to_full_charge")
    return warnings
