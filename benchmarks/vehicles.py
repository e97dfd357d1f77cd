"""`make bench` figures of the fleet: a company of 50,000 vans, its overview page and GET /vehicles,
and a 10,000-row CSV import. Seeds its own company (PRO-BENCHV) once and reuses it; the imported
vans are removed again after measuring."""

from __future__ import annotations

import statistics
import time

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from companies.audit import Actor
from companies.models import AuditEvent, Company, Membership, Role
from companies.seeding import company_seed
from users.models import User
from vehicles import imports
from vehicles.models import Vehicle, VehicleImport

FLEET_SIZE = 50_000
IMPORT_ROWS = 10_000
BENCH_PRO_ID = "PRO-BENCHV"
MANAGER_EMAIL = "fleet@bench-vehicles.mpro.example"
DRIVERS = 50


def _fleet_vin(n: int) -> str:
    return f"W1V9076331B{n:06d}"


def _import_vin(n: int) -> str:
    return f"W1V9106331C{n:06d}"


def _seed() -> tuple[Company, User]:
    company = company_seed(
        pro_id=BENCH_PRO_ID,
        name="Bench Vans A/S",
        manager_name="Bench",
        street="Benchvej 1",
        email="office@bench-vehicles.mpro.example",
        phone="+4500000000",
    )
    manager = User.objects.filter(email=MANAGER_EMAIL).first()
    if manager is None:
        manager = User.objects.create_user(
            email=MANAGER_EMAIL, password=None, first_name="Bench", last_name="Fleet"
        )
        Membership.objects.create(user=manager, company=company, role=Role.FLEET_MANAGER)
    have = Vehicle.objects.for_company(company).count()
    if have < FLEET_SIZE:
        now = timezone.now()
        batch = []
        for n in range(have, FLEET_SIZE):
            batch.append(
                Vehicle(
                    company=company,
                    vin=_fleet_vin(n),
                    make="Mercedes-Benz",
                    model_family=("Sprinter", "Vito", "Citan", "eVito")[n % 4],
                    fuel=("combustion", "combustion", "combustion", "electric")[n % 4],
                    licence_plate=f"BV {n // 1000:02d} {n % 1000:03d}",
                    nickname=f"Bench van {n}",
                    verification_status="verified" if n % 3 == 0 else "unverified",
                    created_at=now,
                )
            )
            if len(batch) == 5000:
                Vehicle.objects.bulk_create(batch)
                batch = []
        if batch:
            Vehicle.objects.bulk_create(batch)
    for n in range(DRIVERS):
        email = f"driver{n}@bench-vehicles.mpro.example"
        if not User.objects.filter(email=email).exists():
            driver = User.objects.create_user(
                email=email, password=None, first_name="Driver", last_name=str(n)
            )
            Membership.objects.create(user=driver, company=company, role=Role.DRIVER)
            Vehicle.objects.filter(vin=_fleet_vin(n)).update(driver=driver)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE vehicles_vehicle")
    return company, manager


class _QueryCounter:
    """Counts the SQL statements run (request signals reset Django's own query log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _time(call, repeat: int = 5) -> tuple[float, int]:
    """Median milliseconds over `repeat` calls (after one warm-up) and the query count of one."""
    call()
    timings = []
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        call()
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), counter.count


def _check(response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")


def run(stdout) -> list[tuple]:
    rows: list[tuple] = []
    started = time.perf_counter()
    company, manager = _seed()
    stdout.write(
        f"  seeded {Vehicle.objects.for_company(company).count()} vans in {time.perf_counter() - started:.1f} s"
    )

    page = Client()
    page.force_login(manager)
    api = APIClient()
    api.force_authenticate(manager)

    def overview(**params):
        return lambda: _check(page.get("/vehicles/", params))

    def api_list(**params):
        return lambda: _check(api.get("/api/v1/vehicles", params))

    # A cursor deep into the fleet: the 40,000th van in VIN order.
    from vehicles.selectors import _encode

    deep_cursor = _encode(_fleet_vin(40_000), Vehicle.objects.get(vin=_fleet_vin(40_000)).pk, False)

    measures = [
        ("overview page, first page (50 of 50,000)", overview()),
        ("overview page, sorted by VIN, page after van 40,000", overview(sort="vin", cursor=deep_cursor)),
        ("overview page, search by plate 'BV 42'", overview(search="BV 42")),
        ("overview page, search by VIN start", overview(search=_fleet_vin(31_234)[:14])),
        (
            "overview page, filter electric + verified",
            overview(fuel="electric", verification_status="verified"),
        ),
        ("overview page, filter with a driver", overview(driver="yes")),
        ("GET /vehicles, first page", api_list()),
        (
            "GET /vehicles, page_size=100, search 'bench van 4999'",
            api_list(page_size=100, search="bench van 4999"),
        ),
        ("GET /vehicles, driver=no, fuel=electric", api_list(driver="no", fuel="electric")),
    ]
    for label, call in measures:
        ms, queries = _time(call)
        rows.append(("vehicles", label, f"{ms:.0f}", "ms", "< 300"))
        rows.append(("vehicles", f"{label}: queries", queries, "queries", "flat"))

    started = time.perf_counter()
    Vehicle.objects.for_company(company).count()
    rows.append(
        (
            "vehicles",
            "COUNT(*) of the 50,000-van fleet (shown on the overview)",
            f"{(time.perf_counter() - started) * 1000:.1f}",
            "ms",
            "< 50",
        )
    )

    rows += _bench_import(company, manager, stdout)
    return rows


def _bench_import(company: Company, manager: User, stdout) -> list[tuple]:
    """10,000 rows through the import service (the body of the Celery task)."""
    _cleanup_import(company)
    lines = ["vin,licence_plate,nickname"]
    lines += [f"{_import_vin(n)},IM {n:05d},Imported van {n}" for n in range(IMPORT_ROWS)]
    vehicle_import = VehicleImport.objects.create(
        company=company,
        created_by=manager,
        file_name="bench.csv",
        content="\n".join(lines) + "\n",
        total=IMPORT_ROWS,
    )
    # The module checks of the new vans are separate tasks for the worker, not part of the import.
    enqueue = imports.enqueue_module_check
    imports.enqueue_module_check = lambda ids, **kwargs: None
    try:
        started = time.perf_counter()
        imports.vehicle_import_run(vehicle_import_id=vehicle_import.pk, actor=Actor.customer(manager))
        seconds = time.perf_counter() - started
    finally:
        imports.enqueue_module_check = enqueue
    vehicle_import.refresh_from_db()
    if vehicle_import.created != IMPORT_ROWS:
        raise RuntimeError(
            f"import created {vehicle_import.created} of {IMPORT_ROWS}: {vehicle_import.errors[:3]}"
        )
    stdout.write(f"  imported {vehicle_import.created} vans in {seconds:.1f} s")

    lines_dry = ["vin"] + [_import_vin(n) for n in range(IMPORT_ROWS)]
    dry = VehicleImport.objects.create(
        company=company, created_by=manager, content="\n".join(lines_dry), total=IMPORT_ROWS, dry_run=True
    )
    started = time.perf_counter()
    imports.vehicle_import_run(vehicle_import_id=dry.pk, actor=Actor.customer(manager))
    dry_seconds = time.perf_counter() - started
    _cleanup_import(company)
    return [
        ("vehicles", "CSV import of 10,000 rows (check + create + audit)", f"{seconds:.1f}", "s", "< 15"),
        ("vehicles", "CSV dry run of 10,000 rows already in the fleet", f"{dry_seconds:.1f}", "s", "< 15"),
    ]


def _cleanup_import(company: Company) -> None:
    with transaction.atomic():
        vins = [_import_vin(n) for n in range(IMPORT_ROWS)]
        AuditEvent.objects.for_company(company).filter(target__in=vins).delete()
        Vehicle.objects.for_company(company).filter(vin__startswith="W1V9106331C").delete()
        VehicleImport.objects.for_company(company).delete()
