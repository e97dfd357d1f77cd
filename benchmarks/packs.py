"""`make bench` figures of service packs, on PostgreSQL and Redis:

- mass activation: a company with 2,000 subscriptions waiting for verification; the dealer
  verifies the vans and `subscriptions_release` enqueues all activations in bulk; a real worker
  (started here, on a queue of its own) activates them. Measured as activations per second against
  the same worker running 2,000 no-op tasks (`benchmarks.tasks.noop`);
- an order of 2,000 vans through `order_place`;
- the dashboard and GET /api/v1/subscriptions on a fleet of 20,000 vans with a subscription each.

Seeds its own company (PRO-BENCHP) once and reuses its vans; orders, subscriptions and emulator
state of the company are removed and rebuilt on every run.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from companies.audit import Actor
from companies.models import Company, Membership, Role, TermsAcceptance
from companies.seeding import company_seed
from mpro.celery import app as celery_app
from packs import services
from packs.catalogue import seed_catalogue
from packs.models import Order, Pack, Subscription
from tests.integration.worker import WorkerProcess, database_url
from users.models import User
from vehicles.models import EmulatedModule, Vehicle

from .tasks import noop

FLEET_SIZE = 20_000
ACTIVATIONS = 2_000
BENCH_PRO_ID = "PRO-BENCHP"
ADMIN_EMAIL = "admin@bench-packs.mpro.example"
VIN_PREFIX = "W1V9076331Q"


def _vin(n: int) -> str:
    return f"{VIN_PREFIX}{n:06d}"


def _seed() -> tuple[Company, User]:
    seed_catalogue()
    company = company_seed(
        pro_id=BENCH_PRO_ID,
        name="Bench Packs ApS",
        manager_name="Bench",
        street="Benchvej 2",
        email="office@bench-packs.mpro.example",
        phone="+4500000001",
        verified=True,
    )
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_user(
            email=ADMIN_EMAIL,
            password=None,
            first_name="Bench",
            last_name="Admin",
            verification_status="verified",
        )
        Membership.objects.create(user=admin, company=company, role=Role.ADMIN, is_primary_admin=True)
        TermsAcceptance.objects.create(user=admin, document="pack_terms", version=settings.PACK_TERMS_VERSION)
    have = Vehicle.objects.for_company(company).count()
    if have < FLEET_SIZE:
        now = timezone.now()
        Vehicle.objects.bulk_create(
            [
                Vehicle(
                    company=company,
                    vin=_vin(n),
                    make="Mercedes-Benz",
                    model_family="Sprinter",
                    fuel="combustion",
                    licence_plate=f"BP {n:06d}",
                    nickname=f"Bench pack van {n}",
                    verification_status="verified",
                    created_at=now,
                )
                for n in range(have, FLEET_SIZE)
            ],
            batch_size=5000,
        )
    return company, admin


def _reset(company: Company) -> None:
    with transaction.atomic():
        Subscription.objects.for_company(company).delete()
        Order.objects.for_company(company).delete()
        EmulatedModule.objects.filter(vin__startswith=VIN_PREFIX).delete()
        Vehicle.objects.for_company(company).update(verification_status="verified", module_status="unknown")


def _fill_fleet(company: Company, bundle: Pack, skip: set[int]) -> None:
    """One subscription per van outside the activation set: mostly active, some failed, trials
    ending over the next months (so that the dashboard has something to count)."""
    price = bundle.prices.get(country=company.country)
    order = Order.objects.create(company=company, pack=bundle, currency=price.currency, total=0)
    today = timezone.localdate()
    vehicles = Vehicle.objects.for_company(company).exclude(pk__in=skip).values_list("pk", flat=True)
    rows = []
    for index, pk in enumerate(vehicles.iterator()):
        rows.append(
            Subscription(
                order=order,
                company=company,
                vehicle_id=pk,
                pack=bundle,
                status="activation_failed" if index % 50 == 0 else "active",
                amount=price.amount,
                currency=price.currency,
                trial_ends_at=today + datetime.timedelta(days=index % 365),
                paid_from=today + datetime.timedelta(days=index % 365 + 1),
            )
        )
    Subscription.objects.bulk_create(rows, batch_size=5000)
    # Fresh statistics after a bulk load: without them the planner takes the company's 20,000
    # subscriptions for none and plans the dashboard and the list for an empty table.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE packs_subscription")


def _worker() -> WorkerProcess:
    """The integration tests' worker harness, as many processes as cores, with the bench's tasks."""
    queue = f"bench-packs-{uuid.uuid4().hex[:6]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "TELEMATICS_LATENCY_MS": os.environ.get("TELEMATICS_LATENCY_MS", "0"),
        "TELEMATICS_FAILURE_RATE": "0",
        "LOG_LEVEL": "WARNING",
        # As production runs its workers: DEBUG off (no query log kept per statement).
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    pool = ("--concurrency", str(os.cpu_count() or 2))
    return WorkerProcess(queue, env, app="benchmarks.worker_app", pool=pool, log_level="warning")


def _processed(worker: WorkerProcess, task_name: str) -> int:
    stats = celery_app.control.inspect(destination=[worker.name], timeout=1).stats() or {}
    return stats.get(worker.name, {}).get("total", {}).get(task_name, 0)


def _stop(worker: WorkerProcess) -> None:
    worker.stop()
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(worker.queue)


def _wait(predicate, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError("bench step did not finish in time")


def _median_ms(fn, runs: int = 5) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(stdout) -> list[tuple]:
    if not settings.REDIS_URL:
        stdout.write("packs bench needs REDIS_URL (a real worker); skipped")
        return []
    company, admin = _seed()
    _reset(company)
    bundle = Pack.objects.prefetch_related("services").get(code="connect-complete")
    activation_vans = list(Vehicle.objects.for_company(company).order_by("vin")[:ACTIVATIONS])
    _fill_fleet(company, bundle, skip={v.pk for v in activation_vans})
    order, rows = _measure_order(company, admin, bundle, activation_vans)
    rows += _measure_activations(company, order, activation_vans)
    rows += _measure_reads(company, admin)
    return rows


def _measure_order(company, admin, bundle, activation_vans) -> tuple[Order, list[tuple]]:
    # The company's vans are not verified yet when the customer orders.
    Vehicle.objects.filter(pk__in=[v.pk for v in activation_vans]).update(verification_status="unverified")
    started = time.perf_counter()
    order = services.order_place(
        company=company,
        pack_code=bundle.code,
        vins=[v.vin for v in activation_vans],
        actor=Actor.customer(admin),
    )
    elapsed = time.perf_counter() - started
    return order, [("packs", f"order_place for {ACTIVATIONS:,} vans", f"{elapsed:.2f}", "s", "< 5")]


def _measure_activations(company, order, activation_vans) -> list[tuple]:
    """Activations on a real worker, against the same worker running no-op tasks."""
    worker = _worker()
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = worker.queue
    try:
        worker.start(timeout=60)
        # Baseline: the same worker running no-op tasks, published the same way.
        started = time.perf_counter()
        with celery_app.producer_or_acquire() as producer:
            for _ in range(ACTIVATIONS):
                noop.apply_async(producer=producer)
        _wait(lambda: _processed(worker, noop.name) >= ACTIVATIONS)
        noop_rate = ACTIVATIONS / (time.perf_counter() - started)

        # The dealer verifies the vans: one release enqueues every activation in bulk.
        Vehicle.objects.filter(pk__in=[v.pk for v in activation_vans]).update(verification_status="verified")
        started = time.perf_counter()
        released = services.subscriptions_release(company=company, actor=Actor.system())
        enqueue_s = time.perf_counter() - started
        subs = Subscription.objects.filter(order=order)
        _wait(lambda: subs.filter(status="active").count() >= released)
        activation_s = time.perf_counter() - started
    finally:
        _stop(worker)
        celery_app.conf.task_default_queue = previous_queue
    activation_rate = released / activation_s
    assert (
        released == ACTIVATIONS
        and EmulatedModule.objects.filter(vin__startswith=VIN_PREFIX).count() == released
    )
    return [
        ("packs", f"release + enqueue {released:,} activations", f"{enqueue_s:.2f}", "s", "< 3"),
        ("packs", "no-op tasks, same worker", f"{noop_rate:.0f}", "tasks/s", ""),
        ("packs", "activations (lock, backend, audit)", f"{activation_rate:.0f}", "activations/s", ""),
        ("packs", "activation cost vs no-op", f"{noop_rate / activation_rate:.1f}", "x", "<= 2"),
    ]


def _measure_reads(company, admin) -> list[tuple]:
    """Pages and API on the whole fleet: (label, request, runs, target in ms)."""
    client = Client()
    client.force_login(admin)
    api = APIClient()
    api.force_authenticate(admin)
    total = Subscription.objects.for_company(company).count()
    reads = [
        (
            f"dashboard, {FLEET_SIZE:,} vans / {total:,} subscriptions",
            lambda: client.get("/dashboard/"),
            5,
            "<= 50",  # issue 15 (the older bound was 300)
        ),
        ("GET /subscriptions (first page)", lambda: api.get("/api/v1/subscriptions"), 5, "<= 30"),
        (
            "GET /subscriptions?status=activation_failed",
            lambda: api.get("/api/v1/subscriptions?status=activation_failed"),
            5,
            "< 200",
        ),
        (
            "GET /subscriptions?vehicle=<vin>",
            lambda: api.get(f"/api/v1/subscriptions?vehicle={_vin(FLEET_SIZE - 1)}"),
            5,
            "< 100",
        ),
        ("subscriptions page", lambda: client.get("/products/subscriptions/"), 5, "< 300"),
        ("billing page (every live subscription)", lambda: client.get("/products/billing/"), 3, ""),
    ]
    return [
        ("packs", label, f"{_median_ms(get, runs=runs):.0f}", "ms", target)
        for label, get, runs, target in reads
    ]
