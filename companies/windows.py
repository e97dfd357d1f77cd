"""How `AuditEvent.acting_under` reads on a page.

It is stored in English ("attestation #12", "support session #7", "service-due queue"): the apps
that write it register a pattern and a translated label for each kind of window (named groups
fill the label's placeholders). A value nobody registered reads as stored. No imports of models:
companies.models uses it for `AuditEvent.acting_under_label`."""

from __future__ import annotations

import re
from typing import Any

WINDOW_LABELS: list[tuple[re.Pattern[str], Any]] = []


def register_windows(labels: dict[str, Any]) -> None:
    WINDOW_LABELS.extend((re.compile(pattern), label) for pattern, label in labels.items())


def window_label(acting_under: str) -> str:
    for pattern, label in WINDOW_LABELS:
        match = pattern.fullmatch(acting_under)
        if match:
            return str(label) % match.groupdict()
    return acting_under
