"""Retention: how long each kind of data is kept, and one runner that deletes what is older.

`mpro` imports no app, so each app registers its own kinds from `AppConfig.ready()`:

    retention.register(retention.RetentionRule(
        key="audit_events", label=_("Audit events"), setting="RETENTION_AUDIT_EVENTS_DAYS",
        default_days=1095, queryset=lambda: AuditEvent.objects.all(), field="at"))

A rule with a queryset and a timestamp field is purged in batches by primary key (short
transactions, no long lock on a busy table). A kind stored differently (time-partitioned readings,
where dropping a partition beats deleting rows) gives its own `purge(cutoff, dry_run) -> int`
instead. `manage.py purge_expired` and the daily beat task `privacy.tasks.purge_expired` run them all.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

logger = logging.getLogger(__name__)
BATCH_SIZE = 2000


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: str | Promise
    setting: str  # the settings name (and environment variable) holding the number of days
    default_days: int
    queryset: Callable[[], object] | None = None  # () -> QuerySet of everything of this kind
    field: str = ""  # the timestamp that starts the clock
    purge: Callable[[datetime.datetime, bool], int] | None = None  # (cutoff, dry_run) -> count
    why: str | Promise = ""

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting, self.default_days))

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        return now - datetime.timedelta(days=self.days)

    def run(self, *, now: datetime.datetime, dry_run: bool = False) -> int:
        cutoff = self.cutoff(now)
        if self.purge is not None:
            return self.purge(cutoff, dry_run)
        expired = self.queryset().filter(**{f"{self.field}__lt": cutoff})
        if dry_run:
            return expired.count()
        deleted = 0
        while True:
            ids = list(expired.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
            if not ids:
                return deleted
            with transaction.atomic():
                self.queryset().filter(pk__in=ids).delete()
            deleted += len(ids)


_RULES: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> None:
    _RULES[rule.key] = rule


def rules() -> list[RetentionRule]:
    return sorted(_RULES.values(), key=lambda r: r.key)


@dataclass
class PurgeResult:
    rule: RetentionRule
    cutoff: datetime.datetime
    count: int
    error: str = ""
    extra: dict = field(default_factory=dict)


def purge_expired(*, now: datetime.datetime | None = None, dry_run: bool = False) -> list[PurgeResult]:
    """Runs every registered rule; one failing kind does not stop the others."""
    now = now or timezone.now()
    results = []
    for rule in rules():
        try:
            count = rule.run(now=now, dry_run=dry_run)
        except Exception as error:  # noqa: BLE001 - reported, then the next kind runs
            logger.exception("retention rule %s failed", rule.key)
            results.append(PurgeResult(rule, rule.cutoff(now), 0, error=type(error).__name__))
            continue
        logger.info(
            "retention %s: %s %d rows older than %s",
            rule.key,
            "would delete" if dry_run else "deleted",
            count,
            rule.cutoff(now).isoformat(),
        )
        results.append(PurgeResult(rule, rule.cutoff(now), count))
    return results
