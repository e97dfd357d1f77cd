"""`make bench` figures of the connected vans: a company of 50,000 reporting vans.

- one reporting round of all of them (first round: inserts; next round: updates), run as
  `manage.py emulator --tick` in a child process so its peak memory is its own;
- GET /fleet/status, first page, and its query count for 2,000 and for 50,000 vans;
- one van's positions over one day (a reading a minute), and the plan PostgreSQL uses.

Seeds its own company (PRO-BENCHT) once and reuses it."""

from __future__ import annotations

import datetime
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from companies.models import Company, Country, Membership, Role
from packs.catalogue import seed_catalogue
from packs.models import Order, Pack, Subscription, SubscriptionStatus
from telematics import partitions
from telematics.selectors import positions
from users.models import User
from vehicles.models import EmulatedModule, ModuleStatus, Vehicle

from . import fleetmap

FLEET_SIZE = 50_000
SMALL_FLEET = 2_000
PRO_ID = "PRO-BENCHT"
SMALL_PRO_ID = "PRO-BENCHS"
MANAGER = "fleet@bench-telematics.mpro.example"
ROOT = Path(__file__).resolve().parent.parent  # the repository (manage.py)


def _company(pro_id: str, city: str) -> Company:
    company, _ = Company.objects.get_or_create(
        pro_id=pro_id,
        defaults=dict(
            name=f"Bench Connected {pro_id}",
            manager_name="Bench",
            street="Benchvej 2",
            postal_code="8000",
            city=city,
            country=Country.DK,
            email=f"office@{pro_id.lower()}.mpro.example",
            phone="+4500000001",
        ),
    )
    return company


def _seed(company: Company, size: int, prefix: str) -> None:
    """`size` vans with fleet management active and their modules on, in bulk chunks."""
    have = Vehicle.objects.for_company(company).count()
    if have >= size:
        return
    pack = Pack.objects.get(code="fleet-management")
    order = Order.objects.create(company=company, pack=pack, currency="DKK")
    for start in range(have, size, 5_000):
        numbers = range(start, min(size, start + 5_000))
        vans = Vehicle.objects.bulk_create(
            [
                Vehicle(
                    company=company,
                    vin=f"{prefix}{n:06d}",
                    make="Mercedes-Benz",
                    model_family="eSprinter" if n % 4 == 0 else "Sprinter",
                    fuel="electric" if n % 4 == 0 else "combustion",
                    licence_plate=f"CT{n:06d}",
                    module_status=ModuleStatus.ACTIVE,
                    verification_status="verified",
                )
                for n in numbers
            ]
        )
        Subscription.objects.bulk_create(
            [
                Subscription(
                    order=order,
                    company=company,
                    vehicle=van,
                    pack=pack,
                    status=SubscriptionStatus.ACTIVE,
                    amount="0",
                    currency="DKK",
                )
                for van in vans
            ]
        )
        EmulatedModule.objects.bulk_create(
            [EmulatedModule(vin=van.vin, active_services=["fleet-management"]) for van in vans],
            ignore_conflicts=True,
        )


def _database_active_seconds() -> float:
    """PostgreSQL's own count of the time its sessions spent executing statements in the bench
    database (pg_stat_database.active_time, PostgreSQL 14+; COPY included, which a client-side
    timer around Django's cursor would miss). A child's figures arrive when its session ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT active_time FROM pg_stat_database WHERE datname = current_database()")
        return (cursor.fetchone()[0] or 0.0) / 1000


def _fresh_start() -> None:
    """The first round as on a new fleet, every run: no state yet (each van inserts its state and a
    reading), no alerts yet (those holding are raised, audited and published)."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE telematics_vehiclestate, alerts_geofencepresence")
        cursor.execute("DELETE FROM alerts_alert")


def _round_in_child() -> tuple[float, float, float, float, str]:
    """(wall seconds of the round, CPU seconds of the child process including Django's start,
    seconds PostgreSQL spent executing its statements, its peak RSS in MiB, its summary line). CPU
    and database time show the work on a machine shared with other jobs, where the wall time
    mostly measures the wait for a core."""
    database_before = _database_active_seconds()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(
        [sys.executable, "manage.py", "emulator", "--tick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    seconds = float(re.search(r"([\d.]+) s$", output.strip()).group(1))
    time.sleep(1.5)  # the child's session reports its statistics as it closes
    database = _database_active_seconds() - database_before
    return seconds, cpu, database, after.ru_maxrss / 1024, output.strip().splitlines()[-1]


def _fleet_status(client: APIClient) -> tuple[float, int]:
    timings = []
    for _ in range(10):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/api/v1/fleet/status")
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and len(response.json()["results"]) == 100, response.content[:200]
    return statistics.median(timings), len(queries.captured_queries)


def _positions_of_a_day(van: Vehicle) -> tuple[float, str]:
    day = timezone.now().astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO telematics_reading (vehicle_id, company_id, at, lat, lon, speed_kmh, odometer_km, ignition) "
            "SELECT %s, %s, %s + (m * interval '1 minute') + interval '1 second', 56.15, 10.2, 30, m, true "
            "FROM generate_series(0, 1439) m",
            [van.pk, van.company_id, day],
        )
        cursor.execute("ANALYZE telematics_reading")
    qs = positions(van, since=day, until=day + datetime.timedelta(days=1)).values_list(
        "at", "lat", "lon", "speed_kmh"
    )
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        rows = list(qs.all())
        timings.append((time.perf_counter() - started) * 1000)
    assert len(rows) >= 1440
    plan = qs.explain()
    scan = "index scan" if "Index" in plan and "Seq Scan" not in plan else "NOT an index scan"
    return statistics.median(timings), scan


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run(stdout) -> list[tuple]:
    seed_catalogue()
    partitions.maintain()
    company = _company(PRO_ID, "Aarhus")
    small = _company(SMALL_PRO_ID, "Odense")
    manager = User.objects.filter(email=MANAGER).first()
    if manager is None:
        manager = User.objects.create_user(
            email=MANAGER, password=None, first_name="Bench", last_name="Fleet"
        )
        Membership.objects.create(user=manager, company=company, role=Role.FLEET_MANAGER)
    _seed(company, FLEET_SIZE, "W1V9076331T")
    _seed(small, SMALL_FLEET, "W1V9076331S")
    _analyze()  # autovacuum would, a few minutes after a bulk load: the planner needs the figures
    reporting = Vehicle.objects.filter(module_status=ModuleStatus.ACTIVE).count()
    stdout.write(f"  {reporting} reporting vans; two rounds ...")
    rows = []
    _fresh_start()
    for label in ("a first reporting round", "the next round"):
        stdout.write(f"  load average before {label}: {os.getloadavg()[0]:.1f}")
        seconds, cpu, database, peak_mib, summary = _round_in_child()
        stdout.write(f"  {summary}")
        rows.append(("telematics", f"{label}, {reporting:,} vans: wall time", f"{seconds:.1f}", "s", "< 10"))
        rows.append(
            ("telematics", "  CPU time of that process (Python's share of the work)", f"{cpu:.1f}", "s", "")
        )
        rows.append(
            ("telematics", "  PostgreSQL's time executing its statements", f"{database:.1f}", "s", "")
        )
        rows.append(
            ("telematics", "  peak memory of that round's process", f"{peak_mib:.0f}", "MiB", "< 300")
        )
        _analyze()

    client = APIClient()
    client.force_authenticate(manager)
    big_ms, big_queries = _fleet_status(client)
    small_manager = Membership.objects.filter(company=small).select_related("user").first()
    if small_manager is None:
        user = User.objects.create_user(email="fleet@bench-s.mpro.example", password=None)
        small_manager = Membership.objects.create(user=user, company=small, role=Role.FLEET_MANAGER)
    client.force_authenticate(small_manager.user)
    small_ms, small_queries = _fleet_status(client)
    rows.append(
        ("telematics", f"GET /fleet/status first page, {FLEET_SIZE:,} vans", f"{big_ms:.0f}", "ms", "< 100")
    )
    rows.append(
        (
            "telematics",
            f"  queries for {SMALL_FLEET:,} / {FLEET_SIZE:,} vans ({small_ms:.0f} ms for {SMALL_FLEET:,})",
            f"{small_queries} / {big_queries}",
            "",
            "flat",
        )
    )
    van = Vehicle.objects.for_company(company).order_by("id").first()
    ms, scan = _positions_of_a_day(van)
    rows.append(
        ("telematics", f"one van's positions of one day (1,440 points), {scan}", f"{ms:.1f}", "ms", "< 50")
    )
    rows += fleetmap.run(manager, FLEET_SIZE)
    last = Subscription.objects.filter(company=company).aggregate(Max("id"))["id__max"]
    stdout.write(f"  (bench subscriptions up to id {last})")
    return rows
