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
import operator
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
    try:  # None or text raise TypeError: not a number either
        if not (
            math.isfinite(report.lat)
            and math.isfinite(report.lon)
            and math.isfinite(report.odometer_km)
            and math.isfinite(report.speed_kmh)
        ):
            return "not_a_number"
    except TypeError:
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
    ids = [vans[a.vin][0] for a in answers if a.vin in vans]
    batch = _Batch(
        now=now,
        previous=_previous_states(ids),
        # Vans whose driver switched private mode on: no trail, and the state keeps its last position.
        withheld=privacy.unrecorded(ids, now),
        heartbeat=datetime.timedelta(minutes=settings.TELEMATICS_HEARTBEAT_MINUTES),
    )
    for answer in answers:
        if answer.vin in vans:
            batch.take(answer, *vans[answer.vin])
    batch.store()
    return batch.outcome


_report_values = operator.attrgetter(*REPORT_FIELDS)


@dataclass
class _Batch:
    """One batch on its way in: what to write, sorted out report by report (plain tuples, no model
    instances: building 2,000 of them cost more than the SQL)."""

    now: datetime.datetime
    previous: dict[int, dict]
    withheld: set[int]
    heartbeat: datetime.timedelta
    outcome: BatchOutcome = field(default_factory=BatchOutcome)
    states: list[tuple] = field(default_factory=list)  # STATE_COLUMNS order
    readings: list[tuple] = field(default_factory=list)  # READING_COLUMNS order
    ingested: list[IngestedReport] = field(default_factory=list)
    silent: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)

    def take(self, answer: Report | NoAnswer, vehicle_id: int, company_id: int) -> None:
        if isinstance(answer, NoAnswer):
            self.silent.append(vehicle_id)
            return
        before = self.previous.get(vehicle_id)
        code = problem(answer, before, self.now)
        if code == "duplicate":
            return
        if code:
            logger.warning("telematics: refused a report of %s: %s", answer.vin, code)
            self.outcome.rejected[code] = self.outcome.rejected.get(code, 0) + 1
            self.refused.append(vehicle_id)
            return
        self._accept(answer, before, vehicle_id, company_id)

    def _accept(self, answer: Report, before: dict | None, vehicle_id: int, company_id: int) -> None:
        last_reading_at = before["last_reading_at"] if before else None
        private = vehicle_id in self.withheld
        if private and before is not None:
            answer = dataclasses.replace(answer, lat=before["lat"], lon=before["lon"], heading=None)
        if not private and _wants_reading(answer, before, self.heartbeat):
            self.readings.append(_reading(answer, vehicle_id, company_id))
            last_reading_at = answer.at
        self.states.append(
            (vehicle_id, company_id, answer.at, self.now, None, *_report_values(answer), last_reading_at)
        )
        change = None
        if before is None:
            change = "on" if answer.ignition else None
        elif answer.ignition != before["ignition"]:
            change = "on" if answer.ignition else "off"
        self.ingested.append(
            IngestedReport(
                vehicle_id,
                company_id,
                answer,
                change,
                before["odometer_km"] if before else None,
                position_withheld=private,
            )
        )

    def store(self) -> None:
        """The batch's writes in one transaction; the consumers hear of it after the commit."""
        with transaction.atomic():
            if self.states:
                _upsert_states(self.states)
            if self.readings:
                _insert_readings(self.readings)
            if self.silent:
                self.outcome.unreachable = VehicleState.objects.filter(
                    vehicle_id__in=self.silent, unreachable_since__isnull=True
                ).update(unreachable_since=self.now)
            if self.refused:
                VehicleState.objects.filter(vehicle_id__in=self.refused).update(
                    rejected_reports=F("rejected_reports") + 1
                )
            if self.ingested:
                ingested = self.ingested
                transaction.on_commit(lambda: reports_ingested.send(sender=VehicleState, batch=ingested))
        self.outcome.stored, self.outcome.readings = len(self.states), len(self.readings)


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
    """COPY's text format, built with str() and one replace for the whole batch (a function call
    per value cost a second per round). It holds because every column is a number, a boolean
    (PostgreSQL reads True / False), a timestamp (str() gives ISO 8601 with its offset), a gear
    letter or None, and no value's text contains "None" except None itself."""
    text = "\n".join(["\t".join(map(str, row)) for row in rows])
    return io.StringIO(text.replace("None", "\\N") + "\n")


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
