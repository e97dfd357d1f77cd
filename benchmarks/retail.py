"""`make bench` figures of the Retail site: the dealer's company search on 100,000 companies, and
its VIN search over 1,000,000 vans of those companies.

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
from django.db import connection, transaction
from django.test import Client, override_settings

from companies.models import Company, Country, Dealer, IssuedProId
from retail.models import DealerStaff
from retail.selectors import company_search, company_vehicles
from retail.services import dealer_staff_create
from vehicles.models import Vehicle

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
VANS = 1_000_000
VAN_PREFIX = "W1V9076331R"  # + a six-digit serial: 17 characters
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


def _van_vin(n: int) -> str:
    return f"{VAN_PREFIX}{n:06d}"


def _seed_vans(stdout) -> float | None:
    """1,000,000 vans spread over the 100,000 bench companies (van n belongs to the n % 100,000-th
    of them in id order), inserted by PostgreSQL itself from generate_series in one statement,
    then analysed. Returns the seconds it took (None: already there)."""
    if Vehicle.objects.filter(vin=_van_vin(VANS - 1)).exists():
        return None
    stdout.write(f"  seeding {VANS:,} vans ...")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM vehicles_vehicle WHERE vin LIKE %s", [VAN_PREFIX + "%"])
        # Building the secondary indexes once afterwards is several times faster than keeping a
        # dozen of them up to date row by row; DDL is transactional, so an interrupted seed
        # leaves the table as it was.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'vehicles_vehicle' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            """
            INSERT INTO vehicles_vehicle (vin, make, model_family, fuel, licence_plate, nickname,
                module_status, verification_status, rejection_reason, created_at, held_since,
                company_id)
            SELECT %s || lpad(n::text, 6, '0'), 'Mercedes-Benz', 'Sprinter', 'combustion',
                'RV ' || n, '', 'unknown', 'unverified', '', now(), now(),
                c.ids[1 + n %% cardinality(c.ids)]
            FROM generate_series(0, %s) AS n,
                (SELECT array_agg(id ORDER BY id) AS ids FROM companies_company
                 WHERE pro_id LIKE 'PRO-R%%' AND name LIKE 'Retail Bench %%') AS c
            """,
            [VAN_PREFIX, VANS - 1],
        )
        # The foreign keys are checked at commit (deferred); check them now, since PostgreSQL
        # builds no index on a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in indexes:
            cursor.execute(definition)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE vehicles_vehicle")
    return time.perf_counter() - started


def _vin_rows(stdout, rng: random.Random) -> list[tuple]:
    seeded = _seed_vans(stdout)
    sample = [rng.randrange(VANS) for _ in range(LOOKUPS)]
    owners = dict(
        Vehicle.objects.filter(vin__in=[_van_vin(n) for n in sample]).values_list("vin", "company_id")
    )
    companies = Company.objects.in_bulk(set(owners.values()))

    def company_of(n: int) -> Company:
        return companies[owners[_van_vin(n)]]

    # The dealer's VIN search in an opened company, whole VIN and a part of one (the serial), and
    # the global lookup behind a VIN transfer (unique index).
    whole = [_db_ms(company_vehicles(company_of(n), vin=_van_vin(n))) for n in sample]
    part = [_db_ms(company_vehicles(company_of(n), vin=f"{n:06d}")) for n in sample]
    anywhere = [_db_ms(Vehicle.objects.filter(vin=_van_vin(n))) for n in sample]
    assert all(len(list(company_vehicles(company_of(n), vin=_van_vin(n)))) == 1 for n in sample[:20])
    n = sample[0]
    plan_whole = company_vehicles(company_of(n), vin=_van_vin(n)).explain()
    plan_part = company_vehicles(company_of(n), vin=f"{n:06d}").explain()
    rows = [("retail", "vans in the database", f"{Vehicle.objects.count():,}", "rows", f">= {VANS:,}")]
    if seeded is not None:
        rows.append(
            (
                "retail",
                f"seeding {VANS:,} vans (one INSERT ... SELECT + ANALYZE)",
                f"{seeded:.0f}",
                "s",
                "< 120",
            )
        )
    rows += [
        (
            "retail",
            "VIN search in a company, whole VIN, p95 in the database",
            f"{_p95(whole):.2f}",
            "ms",
            "<= 5",
        ),
        ("retail", "VIN search in a company, whole VIN, plan", _index_used(plan_whole), "", "index scan"),
        (
            "retail",
            "VIN search in a company, part of a VIN, p95 in the database",
            f"{_p95(part):.2f}",
            "ms",
            "<= 5",
        ),
        ("retail", "VIN search in a company, part of a VIN, plan", _index_used(plan_part), "", "index scan"),
        (
            "retail",
            "VIN lookup among all vans (transfer), p95 in the database",
            f"{_p95(anywhere):.2f}",
            "ms",
            "<= 5",
        ),
    ]
    return rows


def _db_ms(queryset) -> float:
    """Milliseconds the query takes in the database (EXPLAIN ANALYZE's execution time)."""
    plan = queryset.explain(analyze=True)
    return float(re.search(r"Execution Time: ([0-9.]+) ms", plan).group(1))


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

    page_pro_id, page_place = _page_timings(staff, sample[:PAGE_LOOKUPS])

    total = Company.objects.count()
    vin_rows = _vin_rows(stdout, rng)
    return vin_rows + [
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


def _page_timings(staff, sample: list[int]) -> tuple[list[float], list[float]]:
    """The whole search page (login session, template, throttle in the cache), without the staff
    budget: by PRO ID and by name + postal code + city."""
    client = Client()
    client.force_login(staff.user)
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "retail_search": "100000/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        page_pro_id = _timed(
            lambda n=n: client.get("/retail/companies/", {"pro_id": _pro_id(n)}) for n in sample
        )
        page_place = _timed(
            lambda n=n: client.get(
                "/retail/companies/",
                {"name": _place(n)[0], "postal_code": _place(n)[1], "city": _place(n)[2]},
            )
            for n in sample
        )
    return page_pro_id, page_place
