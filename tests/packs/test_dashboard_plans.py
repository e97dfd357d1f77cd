"""The dashboard's figures are read through indexes that hold every column they need: EXPLAIN on
PostgreSQL of the very statements the dashboard runs (captured from packs.selectors.dashboard).
Sequential scans are switched off for the transaction, so a plan that still reads the table means
no index can serve the statement. Inside the test's transaction no page is all-visible yet, so
PostgreSQL cannot pick index-only scans here as it does on the bench database (VACUUMed, as
autovacuum keeps a live one): the counts are asserted to be COUNT(*) over indexed columns."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from packs.selectors import dashboard
from tests import factories as f
from vehicles.models import Vehicle

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
    for other in f.CompanyFactory.create_batch(20):
        Vehicle.objects.bulk_create(f.VehicleFactory.build_batch(30, company=other))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE vehicles_vehicle")
        cursor.execute("ANALYZE packs_subscription")
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


def test_the_dashboard_counts_vans_and_subscriptions_from_index_entries_alone(plans_of_the_dashboard):
    stats, plans = plans_of_the_dashboard
    assert stats["vehicle_count"] == 3 and sum(row["total"] for row in stats["live_per_pack"]) == 3
    # Each count reads only the columns of one index (vehicle_company_verif_idx: company,
    # verification_status; sub_company_pack_idx: company, pack, status), and through an index.
    sql, plan = _statement(plans, '"verification_status"', "COUNT(*)")
    assert _columns(sql, "vehicles_vehicle") == {"company_id", "verification_status"}, sql
    assert re.search(r"Index (Only )?Scan using \w+ on vehicles_vehicle", plan), plan
    sql, plan = _statement(plans, '"pack_id"', "COUNT(*)")
    assert _columns(sql, "packs_subscription") == {"company_id", "pack_id", "status"}, sql
    assert re.search(r"Index (Only )?Scan using \w+ on packs_subscription", plan), plan


def test_the_dashboard_reads_only_the_trials_ending_within_its_longest_window(plans_of_the_dashboard):
    stats, plans = plans_of_the_dashboard
    assert stats["trials"] == {"d30": 1, "d60": 2, "d90": 2}
    sql, trials = _statement(plans, "FILTER (WHERE", '"trial_ends_at"')
    assert _columns(sql, "packs_subscription") == {"company_id", "status", "trial_ends_at"}, sql
    assert re.search(r"Index (Only )?Scan using sub_company_trial_idx", trials), trials
    assert re.search(r"Index Cond: .*trial_ends_at >= .*trial_ends_at <= ", trials), trials


def test_the_dashboard_reads_the_latest_failures_through_the_company_status_updated_index(
    plans_of_the_dashboard,
):
    stats, plans = plans_of_the_dashboard
    assert [s.status for s in stats["failed"]] == ["activation_failed"]
    _sql, failures = _statement(plans, "'activation_failed'", "ORDER BY")
    assert "Index Scan using sub_company_updated_idx" in failures, failures
    assert re.search(r"Index Cond: \(\(company_id = \d+\) AND .*activation_failed", failures), failures
