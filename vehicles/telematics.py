"""The telematics backend: what a van's LTE communication module does for mpro.

`get_backend()` returns the configured backend (settings.TELEMATICS_BACKEND). The only one here is
`EmulatedBackend`, which stands in for the manufacturer's system:

- latency: every call sleeps TELEMATICS_LATENCY_MS milliseconds;
- transient failures: a call fails with `TransientTelematicsError` with probability
  TELEMATICS_FAILURE_RATE, decided by a hash of (TELEMATICS_SEED, VIN, request id, attempt), so the
  same inputs always give the same answer;
- vans without a module: a VIN whose serial number (its last six characters) starts with "9" is
  treated as built without a communication module: `module_state` says so, and activation fails
  with `PermanentTelematicsError` at once;
- idempotency: an activation or deactivation with a request id it has already handled does
  nothing, like a real backend that deduplicates requests. Its state lives in `EmulatedModule`.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


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


class TelematicsBackend:
    def module_state(self, vin: str) -> ModuleState:
        raise NotImplementedError

    def activate(self, vin: str, services: list[str], *, request_id: str, attempt: int = 0) -> ModuleState:
        """Switch the module on (if needed) and enable `services`. Idempotent per request_id."""
        raise NotImplementedError

    def deactivate(self, vin: str, services: list[str], *, request_id: str, attempt: int = 0) -> ModuleState:
        """Disable `services`; the module switches off when none is left. Idempotent per request_id."""
        raise NotImplementedError


def has_module(vin: str) -> bool:
    return not vin[-6:].startswith("9")


class EmulatedBackend(TelematicsBackend):
    def __init__(
        self, *, latency_ms: int | None = None, failure_rate: float | None = None, seed: str | None = None
    ):
        self.latency_ms = settings.TELEMATICS_LATENCY_MS if latency_ms is None else latency_ms
        self.failure_rate = settings.TELEMATICS_FAILURE_RATE if failure_rate is None else failure_rate
        self.seed = settings.TELEMATICS_SEED if seed is None else seed

    def _wait(self) -> None:
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)

    def _fails(self, vin: str, request_id: str, attempt: int) -> bool:
        if self.failure_rate <= 0:
            return False
        digest = hashlib.sha256(f"{self.seed}|{vin}|{request_id}|{attempt}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self.failure_rate

    def module_state(self, vin: str) -> ModuleState:
        from .models import EmulatedModule

        self._wait()
        if not has_module(vin):
            return ModuleState(present=False, active=False)
        module = EmulatedModule.objects.filter(vin=vin).first()
        services = frozenset(module.active_services) if module else frozenset()
        return ModuleState(present=True, active=bool(services), services=services)

    def _change(
        self, vin: str, services: list[str], *, request_id: str, attempt: int, enable: bool
    ) -> ModuleState:
        from .models import EmulatedModule

        self._wait()
        if not has_module(vin):
            raise PermanentTelematicsError(
                _("This van has no communication module, so connected services cannot run on it.")
            )
        if self._fails(vin, request_id, attempt):
            raise TransientTelematicsError(_("The vehicle's communication module did not answer in time."))
        with transaction.atomic():
            module, _created = EmulatedModule.objects.select_for_update().get_or_create(vin=vin)
            if request_id not in module.handled_requests:
                current = set(module.active_services)
                if enable:
                    current |= set(services)
                    module.activations += 1
                else:
                    current -= set(services)
                    module.deactivations += 1
                module.active_services = sorted(current)
                module.handled_requests = [*module.handled_requests[-49:], request_id]
                module.save()
        return ModuleState(
            present=True, active=bool(module.active_services), services=frozenset(module.active_services)
        )

    def activate(self, vin: str, services: list[str], *, request_id: str, attempt: int = 0) -> ModuleState:
        return self._change(vin, services, request_id=request_id, attempt=attempt, enable=True)

    def deactivate(self, vin: str, services: list[str], *, request_id: str, attempt: int = 0) -> ModuleState:
        return self._change(vin, services, request_id=request_id, attempt=attempt, enable=False)


def get_backend() -> TelematicsBackend:
    return import_string(settings.TELEMATICS_BACKEND)()
