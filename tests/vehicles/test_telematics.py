"""The telematics emulator: deterministic per VIN, no module for serials starting with 9,
idempotent per request id, configurable failure rate."""

import pytest

from vehicles.models import EmulatedModule
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
