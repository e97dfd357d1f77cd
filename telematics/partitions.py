"""Keeping the readings table's partitions (PostgreSQL): one per UTC day, created a week ahead,
dropped after TELEMATICS_RETENTION_DAYS. Dropping a partition is instant and leaves no bloat,
which is why history is partitioned at all. On SQLite the same retention deletes rows."""

from __future__ import annotations

import datetime
import logging
import re

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import Reading

logger = logging.getLogger(__name__)

TABLE = "telematics_reading"
DAYS_AHEAD = 7
PARTITION = re.compile(rf"^{TABLE}_p(\d{{8}})$")


def partition_name(day: datetime.date) -> str:
    return f"{TABLE}_p{day:%Y%m%d}"


def existing_partitions() -> dict[datetime.date, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = {}
    for name in names:
        match = PARTITION.match(name)
        if match:
            found[datetime.datetime.strptime(match.group(1), "%Y%m%d").date()] = name
    return found


def maintain(*, today: datetime.date | None = None) -> dict:
    today = today or timezone.now().astimezone(datetime.UTC).date()
    cutoff = today - datetime.timedelta(days=settings.TELEMATICS_RETENTION_DAYS)
    if connection.vendor != "postgresql":
        deleted, _ = Reading.objects.filter(at__lt=_midnight(cutoff)).delete()
        return {"created": [], "dropped": [], "deleted": deleted}
    existing = existing_partitions()
    created, dropped = [], []
    for offset in range(-1, DAYS_AHEAD + 1):
        day = today + datetime.timedelta(days=offset)
        if day in existing:
            continue
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TABLE {partition_name(day)} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)",
                    [_midnight(day), _midnight(day + datetime.timedelta(days=1))],
                )
            created.append(partition_name(day))
        except Exception:  # rows of that day already sit in the default partition: leave them
            logger.exception("telematics: could not create partition %s", partition_name(day))
    for day, name in existing.items():
        if day < cutoff:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {name}")
            dropped.append(name)
    return {"created": created, "dropped": dropped, "deleted": 0}


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def purge_before(cutoff: datetime.datetime, dry_run: bool = False) -> int:
    """The retention registry's purge of readings (mpro.retention): whole days' partitions older
    than the cutoff are dropped, the rest deleted row by row. Returns the readings concerned."""
    expired = Reading.objects.filter(at__lt=cutoff)
    if dry_run or connection.vendor != "postgresql":
        count = expired.count()
        if not dry_run:
            expired.delete()
        return count
    count = expired.count()
    for day, name in existing_partitions().items():
        if _midnight(day + datetime.timedelta(days=1)) <= cutoff:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {name}")
    Reading.objects.filter(at__lt=cutoff).delete()
    return count
