"""`manage.py emulator`: --set, --trip, --tick, and clear errors for bad input."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from telematics.models import VehicleState
from vehicles.models import EmulatedModule

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("emulator", *args, stdout=out)
    return out.getvalue()


def test_it_sets_fields_that_the_next_round_reports(electric_van):
    run("--vin", electric_van.vin.lower(), "--set", "bonnet_closed=false", "battery_percent=12", "gear=N")
    assert "1 stored" in run("--tick")
    state = VehicleState.objects.get(vehicle=electric_van)
    assert (state.bonnet_closed, state.battery_percent, state.gear) == (False, 12.0, "N")
    run("--vin", electric_van.vin, "--set", "bonnet_closed=")
    assert EmulatedModule.objects.get(vin=electric_van.vin).overrides == {
        "battery_percent": 12.0,
        "gear": "N",
    }


def test_it_drives_a_trip_now(live_van):
    run("--tick")
    before = VehicleState.objects.get(vehicle=live_van).odometer_km
    run("--vin", live_van.vin, "--trip", "25", "--minutes", "30")
    trip = EmulatedModule.objects.get(vin=live_van.vin).manual_trips[-1]
    trip["start"] -= 31 * 60  # as if it started 31 minutes ago
    EmulatedModule.objects.filter(vin=live_van.vin).update(manual_trips=[trip])
    call_command("emulator", "--tick", stdout=StringIO())
    assert VehicleState.objects.get(vehicle=live_van).odometer_km >= before + 25


def test_it_reports_a_round(live_van, electric_van):
    assert "2 stored" in run("--tick")
    assert VehicleState.objects.count() == 2
    assert VehicleState.objects.get(vehicle=live_van).reported_at > timezone.now() - datetime.timedelta(
        minutes=1
    )


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--set", "gear=D"],
        ["--vin", "W1V9076331P200001", "--set", "gear=X"],
        ["--vin", "W1V9076331P200001", "--set", "colour=red"],
        ["--vin", "W1V9076331P200001", "--set", "gear"],
        ["--vin", "W1V9076331P200001", "--trip", "-3"],
    ],
)
def test_it_explains_bad_arguments(live_van, args):
    with pytest.raises(CommandError):
        call_command("emulator", *args, stdout=StringIO())
    assert EmulatedModule.objects.get(vin=live_van.vin).overrides == {}
