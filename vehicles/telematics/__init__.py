"""The telematics backend (see base.py for the interface, emulator.py for the emulated one)."""

from .base import (
    ModuleState,
    NoAnswer,
    PermanentTelematicsError,
    Report,
    TelematicsBackend,
    TelematicsError,
    TransientTelematicsError,
    get_backend,
    has_module,
)
from .emulator import EmulatedBackend

__all__ = [
    "EmulatedBackend",
    "ModuleState",
    "NoAnswer",
    "PermanentTelematicsError",
    "Report",
    "TelematicsBackend",
    "TelematicsError",
    "TransientTelematicsError",
    "get_backend",
    "has_module",
]
