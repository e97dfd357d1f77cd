"""Working hours: when a company's day runs, in its own time zone. Outside them a driver may
switch private mode on; it ends by itself when the next working period begins."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from companies.models import Company

# Monday to Friday, 08:00 to 17:00, until the company sets its own.
DEFAULT_DAYS: list[list[str] | None] = [["08:00", "17:00"]] * 5 + [None, None]


def days_of(company: Company) -> list[list[str] | None]:
    hours = getattr(company, "working_hours", None)
    try:
        return list(hours.days) if hours is not None else list(DEFAULT_DAYS)
    except AttributeError:  # pragma: no cover - defensive: a broken row reads as the default
        return list(DEFAULT_DAYS)


def _zone(company: Company) -> ZoneInfo:
    return ZoneInfo(company.time_zone_name)


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def within(company: Company, at: datetime.datetime, days: list | None = None) -> bool:
    days = days if days is not None else days_of(company)
    local = at.astimezone(_zone(company))
    day = days[local.weekday()]
    return bool(day) and _time(day[0]) <= local.time() < _time(day[1])


def next_start(company: Company, at: datetime.datetime, days: list | None = None) -> datetime.datetime:
    """When the next working period begins after `at` (a week on when the company has none)."""
    days = days if days is not None else days_of(company)
    zone = _zone(company)
    local = at.astimezone(zone)
    for offset in range(8):
        date = local.date() + datetime.timedelta(days=offset)
        day = days[date.weekday()]
        if not day:
            continue
        start = datetime.datetime.combine(date, _time(day[0]), tzinfo=zone)
        if start > at:
            return start.astimezone(datetime.UTC)
    return at + datetime.timedelta(days=7)
