"""What the data path must not record or show, decided by apps above telematics.

Telematics cannot import the apps that know why a position is private (trips: private trips and
the drivers' private mode), so they register two kinds of rule from their `AppConfig.ready()`:

- a **recording blocker** `(vehicle_ids, at) -> set of vehicle ids`: for those vans no Reading is
  appended and the latest state keeps its previous position (only the odometer, for the logbook);
  the status endpoints and the fleet map show no position for them either;
- a **hidden-range source** `(vehicle, since, until, viewer_id) -> [(start, end), ...]`: readings in
  those ranges are left out of a van's positions for that viewer (None: a data client, no person).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet

RecordingBlocker = Callable[[Iterable[int], datetime.datetime], set[int]]
HiddenRanges = Callable[..., list[tuple[datetime.datetime, datetime.datetime]]]

_blockers: list[RecordingBlocker] = []
_hidden_sources: list[HiddenRanges] = []


def register_recording_blocker(blocker: RecordingBlocker) -> None:
    if blocker not in _blockers:
        _blockers.append(blocker)


def register_hidden_ranges(source: HiddenRanges) -> None:
    if source not in _hidden_sources:
        _hidden_sources.append(source)


def unrecorded(vehicle_ids: Iterable[int], at: datetime.datetime) -> set[int]:
    """The vans among these whose position must not be recorded or shown at `at`."""
    ids = list(vehicle_ids)
    if not ids:
        return set()
    blocked: set[int] = set()
    for blocker in _blockers:
        blocked |= blocker(ids, at)
    return blocked


def hidden_ranges(
    vehicle, *, since: datetime.datetime, until: datetime.datetime, viewer_id: int | None
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    ranges = []
    for source in _hidden_sources:
        ranges.extend(source(vehicle, since=since, until=until, viewer_id=viewer_id))
    return ranges


def without_hidden(
    readings: QuerySet,
    vehicle,
    *,
    since: datetime.datetime,
    until: datetime.datetime,
    viewer_id: int | None,
) -> QuerySet:
    """`readings` of this van less those the viewer may not see."""
    condition = Q()
    for start, end in hidden_ranges(vehicle, since=since, until=until, viewer_id=viewer_id):
        condition |= Q(at__gte=start, at__lte=end)
    return readings.exclude(condition) if condition else readings
