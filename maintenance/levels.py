"""A van's maintenance level from its service-due counters, in Python (one van) and in SQL (the
fleet overview sorts and filters on it). Both read the same four settings, so they never differ."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When

from .models import LEVEL_RANK, Level


def level_for(days: int | None, km: int | None) -> str | None:
    """ok / soon / due / overdue; None when the van has not reported counters yet. The worse of
    the two counters decides: a van with 20 days but 300 km left is due."""
    if days is None and km is None:
        return None

    def at_most(limit_days: int, limit_km: int) -> bool:
        return (days is not None and days <= limit_days) or (km is not None and km <= limit_km)

    if (days is not None and days < 0) or (km is not None and km < 0):
        return Level.OVERDUE
    if at_most(settings.MAINTENANCE_DUE_DAYS, settings.MAINTENANCE_DUE_KM):
        return Level.DUE
    if at_most(settings.MAINTENANCE_SOON_DAYS, settings.MAINTENANCE_SOON_KM):
        return Level.SOON
    return Level.OK


def is_soon_or_worse(level: str | None) -> bool:
    return level is not None and LEVEL_RANK[level] >= LEVEL_RANK[Level.SOON]


def rank_expression(days: str, km: str) -> Case:
    """The level's rank (0 ok … 3 overdue) as SQL over the columns `days` and `km`; null when
    neither is known. Mirrors `level_for`."""

    def at_most(limit_days: int, limit_km: int) -> Q:
        return Q(**{f"{days}__lte": limit_days}) | Q(**{f"{km}__lte": limit_km})

    return Case(
        When(Q(**{f"{days}__isnull": True}) & Q(**{f"{km}__isnull": True}), then=Value(None)),
        When(Q(**{f"{days}__lt": 0}) | Q(**{f"{km}__lt": 0}), then=Value(LEVEL_RANK[Level.OVERDUE])),
        When(
            at_most(settings.MAINTENANCE_DUE_DAYS, settings.MAINTENANCE_DUE_KM),
            then=Value(LEVEL_RANK[Level.DUE]),
        ),
        When(
            at_most(settings.MAINTENANCE_SOON_DAYS, settings.MAINTENANCE_SOON_KM),
            then=Value(LEVEL_RANK[Level.SOON]),
        ),
        default=Value(LEVEL_RANK[Level.OK]),
        output_field=IntegerField(),
    )
