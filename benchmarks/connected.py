"""The connected fleet that `make bench-http` drives GET /api/v1/fleet/status and GET /api/v1/trips
on: `make bench`'s telematics company (PRO-BENCHT, 50,000 vans with fleet management live), each
van with a latest state and, for the trips endpoint, TRIPS_PER_VAN finished trips. Seeded in bulk
once (about a minute) and reused; the states are what a reporting round would have written."""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.utils import timezone

from companies.models import Company, Membership, Role
from packs.catalogue import seed_catalogue
from telematics import partitions
from telematics.models import VehicleState
from trips.models import Category, Trip
from users.models import User
from vehicles.models import Vehicle

from . import telematics

TRIPS_PER_VAN = 2
CHUNK = 5_000


def seed(stdout) -> User:
    """The connected company's fleet manager, with the fleet, its states and its trips in place."""
    seed_catalogue()
    partitions.maintain()
    company = telematics._company(telematics.PRO_ID, "Aarhus")
    manager = User.objects.filter(email=telematics.MANAGER).first()
    if manager is None:
        manager = User.objects.create_user(
            email=telematics.MANAGER, password=None, first_name="Bench", last_name="Fleet"
        )
        Membership.objects.create(user=manager, company=company, role=Role.FLEET_MANAGER)
    if Vehicle.objects.for_company(company).count() < telematics.FLEET_SIZE:
        stdout.write("  seeding the connected fleet ...")
        telematics._seed(company, telematics.FLEET_SIZE, "W1V9076331T")
    seeded = _seed_states(company, stdout) + _seed_trips(company, stdout)
    if seeded:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE telematics_vehiclestate")
            cursor.execute("VACUUM ANALYZE trips_trip")
    return manager


def _seed_states(company: Company, stdout) -> int:
    missing = list(
        Vehicle.objects.for_company(company)
        .filter(state__isnull=True)
        .values_list("pk", "fuel")
        .order_by("pk")
    )
    if missing:
        stdout.write(f"  seeding {len(missing):,} vans' latest states ...")
    now = timezone.now()
    rng = random.Random(15)
    for start in range(0, len(missing), CHUNK):
        VehicleState.objects.bulk_create(
            [
                VehicleState(
                    vehicle_id=pk,
                    company=company,
                    reported_at=now,
                    received_at=now,
                    odometer_km=rng.uniform(1_000, 200_000),
                    fuel_percent=None if fuel == "electric" else rng.uniform(5, 100),
                    battery_percent=rng.uniform(5, 100) if fuel == "electric" else None,
                    lat=56.15 + rng.uniform(-0.2, 0.2),
                    lon=10.2 + rng.uniform(-0.3, 0.3),
                    service_due_days=rng.randint(-10, 400),
                    service_due_km=rng.randint(-500, 30_000),
                )
                for pk, fuel in missing[start : start + CHUNK]
            ],
            ignore_conflicts=True,
        )
    return len(missing)


def _seed_trips(company: Company, stdout) -> int:
    if Trip.objects.for_company(company).exists():
        return 0
    vans = list(Vehicle.objects.for_company(company).values_list("pk", flat=True).order_by("pk"))
    stdout.write(f"  seeding {len(vans) * TRIPS_PER_VAN:,} trips ...")
    day = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0) - datetime.timedelta(days=1)
    rng = random.Random(15)
    for start in range(0, len(vans), CHUNK):
        trips = []
        for pk in vans[start : start + CHUNK]:
            odometer = rng.uniform(1_000, 200_000)
            for n in range(TRIPS_PER_VAN):
                began = day - datetime.timedelta(days=n, minutes=rng.randint(0, 600))
                trips.append(
                    Trip(
                        company=company,
                        vehicle_id=pk,
                        started_at=began,
                        ended_at=began + datetime.timedelta(minutes=rng.randint(5, 120)),
                        odometer_start_km=odometer,
                        odometer_end_km=odometer + rng.uniform(1, 80),
                        start_place="Aarhus C",
                        end_place="Risskov",
                        category=Category.BUSINESS if n % 2 else Category.UNCLASSIFIED,
                    )
                )
        Trip.objects.bulk_create(trips)
    return len(vans) * TRIPS_PER_VAN
