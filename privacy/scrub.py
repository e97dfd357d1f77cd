"""Taking people out of stored text: other people out of an export, an erased person out of the
records that are kept."""

from __future__ import annotations

import re
from typing import Any

from mpro.personal_data import ErasureContext

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
ANOTHER_PERSON = "(another person)"
# Keys whose value names a person in audit details.
NAME_KEYS = {"name", "driver", "actor", "email"}


def others_out(value: Any, user, key: str = "") -> Any:
    """The value with every e-mail address but the user's, and every name that is not theirs
    under a person key, replaced: an export carries nothing about anyone else."""
    own_email = user.email.lower()
    own_name = user.get_full_name()
    if isinstance(value, dict):
        return {k: others_out(v, user, k) for k, v in value.items()}
    if isinstance(value, list):
        return [others_out(v, user, key) for v in value]
    if not isinstance(value, str):
        return value
    if key in NAME_KEYS and value and value.lower() != own_email and value != own_name:
        return ANOTHER_PERSON
    return EMAIL.sub(lambda m: m.group(0) if m.group(0).lower() == own_email else ANOTHER_PERSON, value)


def replace(value: Any, ctx: ErasureContext) -> Any:
    """The value with the erased person's e-mail and names replaced by their pseudonym."""
    if isinstance(value, dict):
        return {k: replace(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [replace(v, ctx) for v in value]
    if not isinstance(value, str) or not value:
        return value
    for needle in [ctx.email, *sorted(ctx.names, key=len, reverse=True)]:
        if needle:
            value = re.sub(re.escape(needle), ctx.pseudonym, value, flags=re.IGNORECASE)
    return value
