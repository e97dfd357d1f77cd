"""Departure times of a van's pre-climatisation: one-off, or repeating on weekdays at a local time
("weekdays at 06:30"). Pure functions shared by the portal (which checks and shows the next
departure) and the emulated van (which climatises before each one), so both agree."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

# ISO order: Monday first. The API and the emulator speak these names.
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = DAYS[:5]


def parse_time(value: str | datetime.time) -> datetime.time:
    """ "06:30" (or a time) → time; ValueError when it is not a time of day."""
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    return datetime.time.fromisoformat(value).replace(second=0, microsecond=0)


def next_departure(
    time: str | datetime.time, days, time_zone: str, *, after: datetime.datetime
) -> datetime.datetime | None:
    """The first departure at or after `after` (aware, in UTC): `time` local to `time_zone` on one of
    `days` (names in DAYS). None without days. A local time a clock change skips or repeats is
    taken as zoneinfo resolves it (fold 0)."""
    wanted = {DAYS.index(day) for day in days if day in DAYS}
    if not wanted:
        return None
    zone = ZoneInfo(time_zone)
    at = parse_time(time)
    local = after.astimezone(zone)
    for offset in range(8):
        day = local.date() + datetime.timedelta(days=offset)
        if day.weekday() not in wanted:
            continue
        candidate = datetime.datetime.combine(day, at, tzinfo=zone)
        if candidate >= after:
            return candidate.astimezone(datetime.UTC)
    return None  # pragma: no cover - a wanted weekday always comes within 8 days


def describe_days(days) -> str:
    """ "mon-fri" style key for templates: the days in week order."""
    return ",".join(day for day in DAYS if day in set(days))
