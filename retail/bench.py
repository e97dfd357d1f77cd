"""`make bench` figures of the Retail site: the dealer's company search on 100,000 companies.

Seeds its own companies once (PRO IDs PRO-R…, names "Retail Bench n ApS", their PRO IDs also
recorded as issued so that real registrations never draw them) and reuses them. Measures the
selector (`retail.selectors.company_search`) and the whole search page, by PRO ID and by
name + postal code + city, and reports the plan PostgreSQL uses for each."""

from __future__ import annotations

import random
import re
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from companies.models import Company, Country, Dealer, IssuedProId

from .models import DealerStaff
from .selectors import company_search
from .services import dealer_staff_create

COMPANIES = 100_000
LOOKUPS = 300
PAGE_LOOKUPS = 100
BATCH = 5000
CITIES = [
    "Aarhus",
    "Odense",
    "Aalborg",
    "Kolding",
    "Esbjerg",
    "Randers",
    "Vejle",
    "Horsens",
    "Roskilde",
    "Næstved",
]
BENCH_DEALER = "DKBENCHR"
BENCH_D5_ID = "D5BENCHR"


def _pro_id(n: int) -> str:
    """PRO-R followed by five letters: 26^5 ≈ 11.9 million distinct ids for the bench."""
    suffix = ""
    for _ in range(5):
        n, rest = divmod(n, 26)
        suffix = chr(65 + rest) + suffix
    return f"PRO-R{suffix}"


def _place(n: int) -> tuple[str, str, str]:
    return f"Retail Bench {n} ApS", f"{1000 + (n * 7) % 8990}", CITIES[n % len(CITIES)]


def _seed(stdout) -> DealerStaff:
    have = Company.objects.filter(pro_id__startswith="PRO-R", name__startswith="Retail Bench ").count()
    if have < COMPANIES:
        stdout.write(f"  seeding {COMPANIES - have} companies ...")
        existing = set(
            Company.objects.filter(name__startswith="Retail Bench ").values_list("pro_id", flat=True)
        )
        rows, issued = [], []
        for n in range(COMPANIES):
            pro_id = _pro_id(n)
            if pro_id in existing:
                continue
            name, postal_code, city = _place(n)
            rows.append(
                Company(
                    pro_id=pro_id,
                    name=name,
                    manager_name="Bench",
                    street="Benchvej 1",
                    postal_code=postal_code,
                    city=city,
                    country=Country.DK,
                    email=f"office{n}@bench-retail.mpro.example",
                    phone="+4586120000",
                )
            )
            issued.append(IssuedProId(pro_id=pro_id))
            if len(rows) == BATCH:
                Company.objects.bulk_create(rows)
                IssuedProId.objects.bulk_create(issued, ignore_conflicts=True)
                rows, issued = [], []
        if rows:
            Company.objects.bulk_create(rows)
            IssuedProId.objects.bulk_create(issued, ignore_conflicts=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE companies_company")
    Dealer.objects.get_or_create(
        code=BENCH_DEALER,
        defaults=dict(
            name="Bench Outlet", street="Benchvej 2", postal_code="8000", city="Aarhus", country=Country.DK
        ),
    )
    staff = DealerStaff.objects.select_related("user", "dealer").filter(d5_id=BENCH_D5_ID).first()
    if staff is None:
        staff = dealer_staff_create(
            d5_id=BENCH_D5_ID,
            password="Bench-Retail-2026",
            dealer_code=BENCH_DEALER,
            email="staff@bench-retail.mpro.example",
            first_name="Bench",
            last_name="Staff",
        )
    return staff


def _timed(calls) -> list[float]:
    timings = []
    for call in calls:
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _index_used(plan: str) -> str:
    found = re.findall(r"Index(?: Only)? Scan using (\S+)", plan)
    return ", ".join(sorted(set(found))) or (
        "sequential scan" if "Seq Scan" in plan else plan.splitlines()[0]
    )


def run(stdout) -> list[tuple]:
    staff = _seed(stdout)
    rng = random.Random(5)
    sample = [rng.randrange(COMPANIES) for _ in range(LOOKUPS)]

    by_pro_id = _timed(lambda n=n: list(company_search(pro_id=_pro_id(n).lower())) for n in sample)
    by_place = _timed(
        lambda n=n: list(
            company_search(
                name=f" {_place(n)[0].upper()} ", postal_code=_place(n)[1], city=_place(n)[2].lower()
            )
        )
        for n in sample
    )
    assert all(len(list(company_search(pro_id=_pro_id(n)))) == 1 for n in sample[:20])
    assert all(
        len(list(company_search(name=_place(n)[0], postal_code=_place(n)[1], city=_place(n)[2]))) == 1
        for n in sample[:20]
    )
    n = sample[0]
    plan_pro_id = company_search(pro_id=_pro_id(n)).explain()
    plan_place = company_search(name=_place(n)[0], postal_code=_place(n)[1], city=_place(n)[2]).explain()
    stdout.write("  plan, by PRO ID:\n    " + plan_pro_id.replace("\n", "\n    "))
    stdout.write("  plan, by name + postal code + city:\n    " + plan_place.replace("\n", "\n    "))

    # The whole page (login session, template, throttle in the cache), without the staff budget.
    client = Client()
    client.force_login(staff.user)
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "retail_search": "100000/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        page_pro_id = _timed(
            lambda n=n: client.get("/retail/companies/", {"pro_id": _pro_id(n)})
            for n in sample[:PAGE_LOOKUPS]
        )
        page_place = _timed(
            lambda n=n: client.get(
                "/retail/companies/",
                {"name": _place(n)[0], "postal_code": _place(n)[1], "city": _place(n)[2]},
            )
            for n in sample[:PAGE_LOOKUPS]
        )

    total = Company.objects.count()
    return [
        ("retail", "companies in the database", f"{total:,}", "rows", f">= {COMPANIES:,}"),
        ("retail", "search by PRO ID, median", f"{statistics.median(by_pro_id):.2f}", "ms", "< 5"),
        ("retail", "search by PRO ID, p95", f"{_p95(by_pro_id):.2f}", "ms", "< 10"),
        ("retail", "search by PRO ID, plan", _index_used(plan_pro_id), "", "index scan"),
        ("retail", "search by name+postal+city, median", f"{statistics.median(by_place):.2f}", "ms", "< 5"),
        ("retail", "search by name+postal+city, p95", f"{_p95(by_place):.2f}", "ms", "< 10"),
        ("retail", "search by name+postal+city, plan", _index_used(plan_place), "", "company_name_place_idx"),
        ("retail", "search page by PRO ID, median", f"{statistics.median(page_pro_id):.1f}", "ms", "< 100"),
        (
            "retail",
            "search page by name+postal+city, median",
            f"{statistics.median(page_place):.1f}",
            "ms",
            "< 100",
        ),
    ]
