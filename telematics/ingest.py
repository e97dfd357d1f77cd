"""From reports to state and history, a batch at a time.

A batch of up to TELEMATICS_BATCH_SIZE vans costs a fixed number of statements: one read of the
previous states, one upsert of the new ones (INSERT ... ON CONFLICT DO UPDATE), one insert of the
readings (COPY on PostgreSQL), one update for the vans that did not answer and one for the refused
reports' counters. Each report is validated first; a bad one is logged and counted, never stored."""

from __future__ import annotations

import dataclasses
import datetime
import io
import logging
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from vehicles.telematics import NoAnswer, Report

from . import privacy
from .models import Reading, VehicleState
from .signals import IngestedReport, reports_ingested

logger = logging.getLogger(__name__)

CLOCK_SKEW = datetime.timedelta(minutes=2)
STATE_FIELDS = [
    "company",
    "reported_at",
    "received_at",
    "unreachable_since",
    "odometer_km",
    "fuel_percent",
    "battery_percent",
    "range_km",
    "lat",
    "lon",
    "heading",
    "speed_kmh",
    "ignition",
    "doors_locked",
    "doors_closed",
    "windows_closed",
    "bonnet_closed",
    "gear",
    "plug_inserted",
    "plug_locked",
    "plug_connected",
    "charging",
    "rfid_authorised",
    "outside_temp_c",
    "cabin_temp_c",
    "service_due_days",
    "service_due_km",
    "last_reading_at",
]
# What a report carries, in STATE_FIELDS order (between unreachable_since and last_reading_at).
REPORT_FIELDS = STATE_FIELDS[4:-1]
assert all(hasattr(Report, name) for name in REPORT_FIELDS)


@dataclass
class BatchOutcome:
    stored: int = 0
    readings: int = 0
    unreachable: int = 0
    rejected: dict[str, int] = field(default_factory=dict)

    def add(self, other: BatchOutcome) -> None:
        self.stored += other.stored
        self.readings += other.readings
        self.unreachable += other.unreachable
        for code, n in other.rejected.items():
            self.rejected[code] = self.rejected.get(code, 0) + n


def _finite(*values) -> bool:
    return all(v is None or (isinstance(v, int | float) and math.isfinite(v)) for v in values)


def problem(report: Report, previous: dict | None, now: datetime.datetime) -> str | None:
    """Why this report cannot be stored (a short code), or None when it is sound."""
    if not _finite(report.lat, report.lon, report.odometer_km, report.speed_kmh):
        return "not_a_number"
    if not (-90 <= report.lat <= 90 and -180 <= report.lon <= 180):
        return "position_out_of_range"
    if report.at is None or timezone.is_naive(report.at) or report.at > now + CLOCK_SKEW:
        return "time_in_future"
    if report.odometer_km < 0 or not 0 <= report.speed_kmh < 400:
        return "value_out_of_range"
    for percent in (report.fuel_percent, report.battery_percent):
        if percent is not None and not (_finite(percent) and 0 <= percent <= 100):
            return "value_out_of_range"
    if report.gear not in {"P", "R", "N", "D"}:
        return "value_out_of_range"
    if report.heading is not None and not 0 <= report.heading < 360:
        return "value_out_of_range"
    if previous is not None:
        if report.odometer_km < previous["odometer_km"]:
            return "odometer_went_back"
        if report.at < previous["reported_at"]:
            return "older_than_stored"
        if report.at == previous["reported_at"]:
            return "duplicate"  # the same report again (a batch delivered twice): not an error
    return None


def _wants_reading(report: Report, previous: dict | None, heartbeat: datetime.timedelta) -> bool:
    """Moving vans leave a trail; a parked one a point per heartbeat, or when something changed."""
    if previous is None or previous["last_reading_at"] is None:
        return True
    if report.ignition or report.speed_kmh > 0 or report.ignition != previous["ignition"]:
        return True
    if abs(report.lat - previous["lat"]) > 1e-4 or abs(report.lon - previous["lon"]) > 1e-4:
        return True
    return report.at - previous["last_reading_at"] >= heartbeat


def ingest_batch(
    answers: list[Report | NoAnswer],
    *,
    vans: dict[str, tuple[int, int]],
    now: datetime.datetime | None = None,
) -> BatchOutcome:
    """Stores one batch of backend answers. `vans` maps VIN → (vehicle id, company id)."""
    now = now or timezone.now()
    outcome = BatchOutcome()
    ids = [vans[a.vin][0] for a in answers if a.vin in vans]
    previous = _previous_states(ids)
    # Vans whose driver switched private mode on: no trail, and the state keeps its last position.
    withheld = privacy.unrecorded(ids, now)
    heartbeat = datetime.timedelta(minutes=settings.TELEMATICS_HEARTBEAT_MINUTES)
    states, readings, ingested, silent, refused = [], [], [], [], []
    for answer in answers:
        if answer.vin not in vans:
            continue
        vehicle_id, company_id = vans[answer.vin]
        if isinstance(answer, NoAnswer):
            silent.append(vehicle_id)
            continue
        before = previous.get(vehicle_id)
        code = problem(answer, before, now)
        if code == "duplicate":
            continue
        if code:
            logger.warning("telematics: refused a report of %s: %s", answer.vin, code)
            outcome.rejected[code] = outcome.rejected.get(code, 0) + 1
            refused.append(vehicle_id)
            continue
        last_reading_at = before["last_reading_at"] if before else None
        private = vehicle_id in withheld
        if private and before is not None:
            answer = dataclasses.replace(answer, lat=before["lat"], lon=before["lon"], heading=None)
        if not private and _wants_reading(answer, before, heartbeat):
            readings.append(_reading(answer, vehicle_id, company_id))
            last_reading_at = answer.at
        # A plain tuple in STATE_COLUMNS order: building 2,000 model instances cost more than the SQL.
        states.append(
            (
                vehicle_id,
                company_id,
                answer.at,
                now,
                None,
                *[getattr(answer, n) for n in REPORT_FIELDS],
                last_reading_at,
            )
        )
        change = None
        if before is None:
            change = "on" if answer.ignition else None
        elif answer.ignition != before["ignition"]:
            change = "on" if answer.ignition else "off"
        ingested.append(
            IngestedReport(
                vehicle_id,
                company_id,
                answer,
                change,
                before["odometer_km"] if before else None,
                position_withheld=private,
            )
        )
    with transaction.atomic():
        if states:
            _upsert_states(states)
        if readings:
            _insert_readings(readings)
        if silent:
            outcome.unreachable = VehicleState.objects.filter(
                vehicle_id__in=silent, unreachable_since__isnull=True
            ).update(unreachable_since=now)
        if refused:
            VehicleState.objects.filter(vehicle_id__in=refused).update(
                rejected_reports=F("rejected_reports") + 1
            )
        if ingested:
            transaction.on_commit(lambda: reports_ingested.send(sender=VehicleState, batch=ingested))
    outcome.stored, outcome.readings = len(states), len(readings)
    return outcome


PREVIOUS_COLUMNS = ["vehicle_id", "odometer_km", "reported_at", "ignition", "last_reading_at", "lat", "lon"]


def _previous_states(ids: list[int]) -> dict[int, dict]:
    if connection.vendor != "postgresql":
        rows = VehicleState.objects.filter(vehicle_id__in=ids).values_list(*PREVIOUS_COLUMNS)
    else:  # one array parameter instead of 2,000 (see telematics.services.vans_of)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(PREVIOUS_COLUMNS)} FROM {VehicleState._meta.db_table} WHERE vehicle_id = ANY(%s)",
                [ids],
            )
            rows = cursor.fetchall()
    return {row[0]: dict(zip(PREVIOUS_COLUMNS, row, strict=True)) for row in rows}


# The order of a state row: STATE_FIELDS with the vehicle first (company → company_id).
STATE_COLUMNS = ["vehicle_id", *(f"{name}_id" if name == "company" else name for name in STATE_FIELDS)]


def _upsert_states(rows: list[tuple]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE, one statement. On PostgreSQL the rows are COPied into a
    temporary table first (Django's bulk_create compiles 2,000 × 30 parameters in Python for
    seconds; psycopg2's execute_values spends a quarter of a second quoting them)."""
    if connection.vendor != "postgresql":
        states = [VehicleState(**dict(zip(STATE_COLUMNS, row, strict=True))) for row in rows]
        VehicleState.objects.bulk_create(
            states, update_conflicts=True, unique_fields=["vehicle"], update_fields=STATE_FIELDS
        )
        return
    table = VehicleState._meta.db_table
    columns = ", ".join(STATE_COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in STATE_COLUMNS[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS incoming_state ON COMMIT DELETE ROWS "
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        # Empty it anyway: inside an enclosing transaction (a caller's, a test's) no commit has
        # cleared the previous batch's rows yet.
        cursor.execute("TRUNCATE incoming_state")
        cursor.cursor.copy_from(_copy_buffer(rows), "incoming_state", columns=STATE_COLUMNS)
        cursor.execute(
            f"INSERT INTO {table} ({columns}, rejected_reports) SELECT {columns}, 0 FROM incoming_state "
            f"ON CONFLICT (vehicle_id) DO UPDATE SET {updates}"
        )


def _copy_buffer(rows: list[tuple]) -> io.StringIO:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    return buffer


def _reading(report: Report, vehicle_id: int, company_id: int) -> tuple:
    return (
        vehicle_id,
        company_id,
        report.at,
        report.lat,
        report.lon,
        report.speed_kmh,
        report.heading,
        report.odometer_km,
        report.fuel_percent,
        report.battery_percent,
        report.ignition,
    )


READING_COLUMNS = [
    "vehicle_id",
    "company_id",
    "at",
    "lat",
    "lon",
    "speed_kmh",
    "heading",
    "odometer_km",
    "fuel_percent",
    "battery_percent",
    "ignition",
]


def _insert_readings(rows: list[tuple]) -> None:
    """COPY on PostgreSQL (several times faster than INSERT for thousands of rows), bulk_create
    elsewhere. Either way one statement per batch."""
    if connection.vendor != "postgresql":
        Reading.objects.bulk_create(
            [Reading(**dict(zip(READING_COLUMNS, row, strict=True))) for row in rows], batch_size=500
        )
        return
    with connection.cursor() as cursor:
        cursor.cursor.copy_from(_copy_buffer(rows), Reading._meta.db_table, columns=READING_COLUMNS)


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)
