"""The dashboard's figures are read through indexes that hold every column they need: the very
statements the dashboard runs (captured from packs.selectors.dashboard) read only the columns of
one index, and EXPLAIN on PostgreSQL finds an index for each (sequential scans are switched off
for the transaction, so a plan that still reads the whole table means no index can serve it).
Which index PostgreSQL picks among those that can serve a statement depends on statistics of a
few test rows (and no page is all-visible inside the test's transaction, so no index-only scan):
the tests assert what the statements need, the bench shows the index-only scans."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from packs.selectors import dashboard
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def plans_of_the_dashboard(company):
    today = timezone.localdate()
    fleet = [f.VehicleFactory(company=company) for _ in range(3)]
    for days, vehicle in zip((10, 45, 200), fleet, strict=True):
        f.SubscriptionFactory(
            order__company=company,
            vehicle=vehicle,
            status="activation_failed" if days == 200 else "active",
            trial_ends_at=today + datetime.timedelta(days),
        )
    # No ANALYZE here: the row counts it writes outlive the test's transaction and would change
    # the plans other tests of the session see.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    with CaptureQueriesContext(connection) as captured:
        stats = dashboard(company)
    plans = {}
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans[query["sql"]] = "\n".join(row[0] for row in cursor.fetchall())
    return stats, plans


def _statement(plans: dict[str, str], *fragments: str) -> tuple[str, str]:
    [(sql, plan)] = [(sql, plan) for sql, plan in plans.items() if all(part in sql for part in fragments)]
    return sql, plan


def _columns(sql: str, table: str) -> set[str]:
    return set(re.findall(rf'"{table}"\."(\w+)"', sql))


def test_the_dashboard_counts_vans_and_subscriptions_from_the_columns_of_one_index(plans_of_the_dashboard):
    stats, plans = plans_of_the_dashboard
    assert stats["vehicle_count"] == 3 and sum(row["total"] for row in stats["live_per_pack"]) == 3
    # Each count reads only the columns of one index (vehicle_company_verif_idx: company,
    # verification_status; sub_company_pack_idx: company, pack, status), and through an index.
    sql, plan = _statement(plans, '"verification_status"', "COUNT(*)")
    assert _columns(sql, "vehicles_vehicle") == {"company_id", "verification_status"}, sql
    assert "Seq Scan" not in plan and "Index" in plan, plan
    sql, plan = _statement(plans, '"pack_id"', "COUNT(*)")
    assert _columns(sql, "packs_subscription") == {"company_id", "pack_id", "status"}, sql
    assert "Seq Scan" not in plan and "Index" in plan, plan


def test_the_dashboard_reads_only_the_trials_ending_within_its_longest_window(plans_of_the_dashboard):
    stats, plans = plans_of_the_dashboard
    assert stats["trials"] == {"d30": 1, "d60": 2, "d90": 2}
    sql, trials = _statement(plans, "FILTER (WHERE", '"trial_ends_at"')
    # Only the columns of sub_company_trial_idx, and the trials bounded on both sides.
    assert _columns(sql, "packs_subscription") == {"company_id", "status", "trial_ends_at"}, sql
    where = sql.split(" WHERE ", 1)[1]
    assert '"trial_ends_at" >= ' in where and '"trial_ends_at" <= ' in where, sql
    assert "Seq Scan" not in trials and "Index" in trials, trials


def test_the_dashboard_reads_the_latest_failures_by_company_and_status_in_updated_order(
    plans_of_the_dashboard,
):
    stats, plans = plans_of_the_dashboard
    assert [s.status for s in stats["failed"]] == ["activation_failed"]
    sql, failures = _statement(plans, "'activation_failed'", "ORDER BY")
    # The company and status, in updated order: the prefix and order of sub_company_updated_idx.
    assert re.search(r'"packs_subscription"\."company_id" = \d+', sql), sql
    assert sql.endswith('ORDER BY "packs_subscription"."updated_at" DESC LIMIT 5'), sql
    assert "Seq Scan on packs_subscription" not in failures, failures
