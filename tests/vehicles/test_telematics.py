"""The telematics emulator: deterministic per VIN, no module for serials starting with 9,
idempotent per request id, configurable failure rate."""

import pytest

from vehicles.models import EmulatedModule, EmulatorCall
from vehicles.telematics import (
    EmulatedBackend,
    PermanentTelematicsError,
    TransientTelematicsError,
    get_backend,
)

from .conftest import vin

pytestmark = pytest.mark.django_db


def test_it_reports_no_module_for_serials_starting_with_9():
    backend = EmulatedBackend(latency_ms=0, failure_rate=0)
    assert backend.module_state(vin(912345)).present is False
    with pytest.raises(PermanentTelematicsError):
        backend.activate(vin(912345), ["logbook"], request_id="r1")
    assert backend.module_state(vin(812345)).present is True


def test_it_activates_once_per_request_id():
    backend = EmulatedBackend(latency_ms=0, failure_rate=0)
    backend.activate(vin(1), ["logbook"], request_id="r1")
    state = backend.activate(vin(1), ["logbook"], request_id="r1")
    assert state.active and state.services == frozenset({"logbook"})
    assert EmulatedModule.objects.get(vin=vin(1)).activations == 1
    assert not backend.deactivate(vin(1), ["logbook"], request_id="r2").active


def test_it_keeps_services_sorted_and_the_last_fifty_request_ids(settings):
    """The emulator's one-statement change (PostgreSQL) keeps what its locked read-modify-write
    kept: services sorted by code point, counters, the last 50 request ids, and a journal entry
    per call (handled or duplicate)."""
    backend = EmulatedBackend(latency_ms=0, failure_rate=0)
    backend.activate(vin(2), ["remote-functions", "echarging"], request_id="r0")
    state = backend.activate(vin(2), ["fleet-management", "echarging"], request_id="r1")
    assert state.services == frozenset({"echarging", "fleet-management", "remote-functions"})
    for n in range(2, 55):
        backend.activate(vin(2), ["echarging"], request_id=f"r{n}")
    module = EmulatedModule.objects.get(vin=vin(2))
    assert module.active_services == ["echarging", "fleet-management", "remote-functions"]
    assert module.activations == 55
    assert module.handled_requests == [f"r{n}" for n in range(5, 55)]
    backend.activate(vin(2), ["navigation"], request_id="r10")  # still remembered: a duplicate
    state = backend.deactivate(vin(2), ["echarging", "navigation"], request_id="d1")
    module.refresh_from_db()
    assert state.services == frozenset({"fleet-management", "remote-functions"})
    assert module.active_services == ["fleet-management", "remote-functions"]
    assert (module.activations, module.deactivations) == (55, 1)
    assert module.handled_requests == [*(f"r{n}" for n in range(6, 55)), "d1"]
    calls = EmulatorCall.objects.filter(vin=vin(2))
    assert list(calls.filter(request_id="r10").values_list("outcome", flat=True)) == ["handled", "duplicate"]
    assert calls.count() == 57
    fresh = backend.deactivate(vin(3), ["echarging"], request_id="d2")  # a module never seen
    assert not fresh.active and EmulatedModule.objects.get(vin=vin(3)).deactivations == 1


def test_it_fails_the_same_way_for_the_same_inputs():
    flaky = EmulatedBackend(latency_ms=0, failure_rate=0.5, seed="test")

    def outcome(n):
        try:
            flaky.activate(vin(n), ["x"], request_id=f"req-{n}")
        except TransientTelematicsError:
            return "failed"
        return "ok"

    first = [outcome(n) for n in range(20)]
    EmulatedModule.objects.all().delete()
    assert [outcome(n) for n in range(20)] == first
    assert {"failed", "ok"} == set(first)


def test_it_uses_the_configured_backend(settings):
    settings.TELEMATICS_FAILURE_RATE = 0.25
    backend = get_backend()
    assert isinstance(backend, EmulatedBackend) and backend.failure_rate == 0.25
