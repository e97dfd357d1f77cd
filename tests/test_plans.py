"""The hot reads of the fleet, the dashboard and Retail's VIN search are served by indexes:
EXPLAIN on PostgreSQL of the very querysets the selectors build. Sequential scans are switched off
for the transaction, so a plan that still scans the table means no index can serve the query."""

import re

import pytest
from django.db import connection

from companies.models import Company
from packs.models import LIVE_STATUSES, Subscription
from retail.selectors import company_vehicles, network_vin_search
from tests import factories as f
from vehicles.models import Vehicle
from vehicles.selectors import vehicle_rows

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_seq_scans(db):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")


@pytest.fixture
def fleet(company):
    return [f.VehicleFactory(company=company) for _ in range(3)]


def test_the_fleet_list_reads_its_page_through_the_company_created_index(company, fleet):
    plan = vehicle_rows(company).order_by("-created_at", "-id")[:51].explain()
    assert "vehicle_company_created_idx" in plan, plan
    assert "Seq Scan on vehicles_vehicle" not in plan


def test_the_dashboard_counts_subscriptions_from_the_company_pack_status_index(company, fleet):
    live = [
        f.SubscriptionFactory(order__company=company, vehicle=vehicle, status="active") for vehicle in fleet
    ]
    # A company's history is mostly ended subscriptions; with statistics that say so, the plan is
    # the planner's real choice and not a coin toss between equal costs on three rows.
    ended = live[0]
    Subscription.objects.bulk_create(
        Subscription(
            order=ended.order,
            company=company,
            pack=ended.pack,
            vehicle=ended.vehicle,
            amount=ended.amount,
            currency=ended.currency,
            status="expired",
        )
        for _ in range(400)
    )
    # ... and the company is one of many, each with live subscriptions of its own.
    for other in f.CompanyFactory.create_batch(30):
        vans = Vehicle.objects.bulk_create(f.VehicleFactory.build_batch(40, company=other))
        order = f.OrderFactory(company=other, pack=ended.pack)
        Subscription.objects.bulk_create(
            Subscription(
                order=order,
                company=other,
                pack=ended.pack,
                vehicle=van,
                amount=ended.amount,
                currency=ended.currency,
                status="active",
            )
            for van in vans
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE packs_subscription")
    counts = (
        Subscription.objects.for_company(company)
        .filter(status__in=LIVE_STATUSES)
        .values_list("pack_id", "status")
        .order_by()
    )
    plan = counts.explain()
    # The read is bounded by the company's own rows: an index condition on the company (one of
    # the composite indexes that lead with it), not a scan of every live row of every company.
    assert re.search(r"Index Cond: \(+company_id = ", plan), plan
    assert "Seq Scan on packs_subscription" not in plan


@pytest.mark.parametrize("typed", ["whole", "part"])
def test_retail_finds_a_van_of_the_company_by_vin_through_an_index(company, fleet, typed):
    vin = fleet[0].vin if typed == "whole" else fleet[0].vin[-6:]
    queryset = company_vehicles(Company.objects.get(pk=company.pk), vin=vin)
    assert list(queryset) == [fleet[0]]
    plan = queryset.explain()
    assert "Index Scan" in plan or "Index Only Scan" in plan or "Bitmap Index Scan" in plan, plan
    assert "Seq Scan on vehicles_vehicle" not in plan


def test_retail_finds_a_van_of_any_company_by_whole_vin_through_the_unique_index(company, fleet):
    for other in f.CompanyFactory.create_batch(3):
        Vehicle.objects.bulk_create(f.VehicleFactory.build_batch(20, company=other))
    queryset = network_vin_search(fleet[1].vin.lower())
    assert list(queryset) == [fleet[1]]
    plan = queryset.explain()
    assert "vehicles_vehicle_vin" in plan and "Index" in plan, plan
    assert "Seq Scan on vehicles_vehicle" not in plan
