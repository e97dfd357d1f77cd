"""The dealer's company lookups are backed by indexes that match their queries: proven with EXPLAIN
on PostgreSQL, on the very querysets retail.selectors.company_search builds.

With a few thousand companies and fresh statistics the planner picks the indexes by itself (no
`enable_seqscan = off` needed)."""

import pytest
from django.db import connection

from companies.models import Company
from retail.selectors import company_search
from tests.factories import letters

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROWS = 5000


@pytest.fixture
def many_companies(db):
    Company.objects.bulk_create(
        Company(
            pro_id=f"PRO-{letters(n + 50_000)}",
            name=f"Transport {n} ApS",
            manager_name="M",
            street="Vej 1",
            postal_code=f"{1000 + n % 8000}",
            city=["Aarhus", "Odense", "Aalborg", "Kolding"][n % 4],
            country="DK",
            email=f"c{n}@example.com",
            phone="+4586120000",
        )
        for n in range(ROWS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE companies_company")


def _plan(queryset) -> str:
    return queryset.explain()


def _indexes_on_pro_id() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'companies_company' AND indexdef LIKE %s",
            ["%(pro_id%"],
        )
        return [row[0] for row in cursor.fetchall()]


def test_it_finds_companies_by_pro_id_through_a_pro_id_index(many_companies):
    plan = _plan(company_search(pro_id="pro-aaaaab"))
    # pro_id is unique: its unique index, or Django's varchar_pattern_ops twin, serves the equality.
    assert any(f"Index Scan using {index} " in plan for index in _indexes_on_pro_id()), plan
    assert "Index Cond: ((pro_id)::text = 'PRO-AAAAAB'::text)" in plan
    assert "Seq Scan" not in plan


def test_it_finds_companies_by_name_postal_code_and_city_through_the_expression_index(many_companies):
    queryset = company_search(name=" transport 1234 aps ", postal_code="2234", city="AALBORG")
    assert [c.name for c in queryset] == ["Transport 1234 ApS"]
    plan = _plan(queryset)
    assert "company_name_place_idx" in plan, plan
    assert "Seq Scan" not in plan
    # The index condition covers all three columns (not a filter applied afterwards).
    assert "upper((name)::text)" in plan and "postal_code" in plan and "upper((city)::text)" in plan
