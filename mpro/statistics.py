"""Planner statistics kept fresh after bulk loads.

PostgreSQL's autovacuum analyses a table once a tenth of it changed, checked once a minute. A bulk
load (a CSV import of 10,000 vans, an order for a whole fleet) can double one company's rows at
once, and until the next analysis the planner judges that company's queries by the old row counts
(a pagination that walks the wrong index, a nested loop over rows it thinks are few). After a load
of BULK_ANALYZE_ROWS rows or more the loaded table is analysed as soon as the load commits: the
sample is bounded (`default_statistics_target`), so it costs tens of milliseconds even on a large
table, in the worker that ran the load."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)


def analyze_after_load(model, rows: int) -> bool:
    """Schedules `ANALYZE <table>` for when the current transaction commits (at once outside one),
    if `rows` reached settings.BULK_ANALYZE_ROWS and the database is PostgreSQL. Returns whether
    it was scheduled."""
    if connection.vendor != "postgresql" or rows < settings.BULK_ANALYZE_ROWS:
        return False
    table = connection.ops.quote_name(model._meta.db_table)

    def analyze():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
        log.info("analysed %s after a load of %d rows", model._meta.db_table, rows)

    transaction.on_commit(analyze)
    return True
