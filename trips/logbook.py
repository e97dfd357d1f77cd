"""The monthly logbook of a van (CSV and PDF). Exporting it locks the month's trips and stamps the
file with the SHA-256 of its content, which is also kept (LogbookExport) so a file can be checked.

The checksum covers the CSV's content without its byte-order mark and without its last line (the
line that carries the checksum): `tail -c +4 logbook.csv | head -n -1 | sha256sum` recomputes it.
The PDF prints the same table and the checksum of the same content."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import audit
from companies.audit import Actor
from companies.models import Company
from mpro.csvfiles import SafeWriter
from mpro.errors import FieldErrors
from vehicles.models import Vehicle

from .models import Category, LogbookExport, Trip

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
FORMATS = ("csv", "pdf")
BOM = "\ufeff"


def month_of(at: datetime.datetime, company: Company) -> datetime.date:
    """The logbook month of an instant: in the company's time zone, as its people count days."""
    return at.astimezone(ZoneInfo(company.time_zone_name)).date().replace(day=1)


def parse_month(text: str) -> datetime.date:
    match = MONTH.match(str(text or "").strip())
    if not match:
        raise FieldErrors({"month": [_("Write the month as YYYY-MM.")]})
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def month_bounds(month: datetime.date, company: Company) -> tuple[datetime.datetime, datetime.datetime]:
    zone = ZoneInfo(company.time_zone_name)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    start = datetime.datetime.combine(month, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(following, datetime.time(), tzinfo=zone)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def _km(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def columns() -> list[str]:
    return [
        _("Date"),
        _("Start"),
        _("End"),
        _("Driver"),
        _("Odometer start (km)"),
        _("Odometer end (km)"),
        _("Distance (km)"),
        _("Route"),
        _("Category"),
        _("Purpose"),
        _("Business partner"),
    ]


def trip_row(trip: Trip, zone: ZoneInfo) -> list[str]:
    start = trip.started_at.astimezone(zone)
    end = trip.ended_at.astimezone(zone) if trip.ended_at else None
    driver = trip.driver.get_full_name() or trip.driver.email if trip.driver else ""
    # The logbook of a private trip holds its kilometres only (no route, for anyone).
    route = "" if trip.is_private else f"{trip.start_place or '?'} → {trip.end_place or '?'}"
    return [
        start.strftime("%Y-%m-%d"),
        start.strftime("%H:%M"),
        end.strftime("%H:%M") if end else "",
        driver,
        _km(trip.odometer_start_km),
        _km(trip.odometer_end_km),
        _km(trip.distance_km),
        route,
        str(Category(trip.category).label),
        trip.purpose,
        trip.business_partner,
    ]


@dataclass
class Logbook:
    vehicle: Vehicle
    month: datetime.date
    header: list[str]
    rows: list[list[str]]
    content: bytes  # the canonical CSV content the checksum covers
    sha256: str

    @property
    def filename_stem(self) -> str:
        return f"logbook-{self.vehicle.vin}-{self.month:%Y-%m}"


def _csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    SafeWriter(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def build(vehicle: Vehicle, month: datetime.date, trips: list[Trip]) -> Logbook:
    company = vehicle.company
    zone = ZoneInfo(company.time_zone_name)
    title = [_("Logbook"), vehicle.vin, vehicle.licence_plate, f"{month:%Y-%m}", company.name]
    header = columns()
    rows = [trip_row(trip, zone) for trip in trips]
    content = _csv_text([title, header, *rows]).encode("utf-8")
    return Logbook(vehicle, month, header, rows, content, hashlib.sha256(content).hexdigest())


def csv_bytes(logbook: Logbook) -> bytes:
    return (BOM + logbook.content.decode("utf-8") + _csv_text([["SHA-256", logbook.sha256]])).encode("utf-8")


def checksum_of_csv(data: bytes) -> tuple[str, str]:
    """(the checksum the file states, the checksum of its content) of an exported CSV."""
    text = data.decode("utf-8-sig", errors="replace")
    content, _sep, last = text.rstrip("\n").rpartition("\n")
    stated = last.split(",", 1)[1].strip() if last.startswith("SHA-256,") else ""
    return stated, hashlib.sha256((content + "\n").encode("utf-8")).hexdigest()


def _latin1(text: str) -> str:
    return text.replace("→", "->").replace("–", "-").encode("latin-1", "replace").decode("latin-1")


def pdf_bytes(logbook: Logbook) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    vehicle = logbook.vehicle
    title = (
        f"{_('Logbook')} {logbook.month:%Y-%m} · {vehicle.licence_plate or vehicle.nickname} · {vehicle.vin}"
    )
    pdf.cell(0, 8, _latin1(title.replace("·", "-")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 6, _latin1(vehicle.company.name), new_x="LMARGIN", new_y="NEXT")
    widths = (20, 12, 12, 34, 22, 22, 16, 62, 20, 32, 25)
    pdf.set_font("Helvetica", "", 7)
    with pdf.table(col_widths=widths, text_align="LEFT") as table:
        for row in [logbook.header, *logbook.rows]:
            cells = table.row()
            for value in row:
                cells.cell(_latin1(str(value)))
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        0,
        5,
        _latin1(
            _("SHA-256 of this logbook's content (the CSV export without its last line): %(sha)s")
            % {"sha": logbook.sha256}
        ),
    )
    return bytes(pdf.output())


def logbook_trips(vehicle: Vehicle, month: datetime.date):
    start, end = month_bounds(month, vehicle.company)
    return (
        Trip.objects.for_company(vehicle.company_id)
        .filter(vehicle=vehicle, started_at__gte=start, started_at__lt=end)
        .select_related("driver")
        .order_by("started_at", "id")
    )


def logbook_export(
    *, vehicle: Vehicle, month: datetime.date, fmt: str, actor: Actor, now: datetime.datetime | None = None
) -> tuple[Logbook, bytes]:
    """Exports a month of a van's logbook: locks its trips, records the export and its checksum."""
    now = now or timezone.now()
    if fmt not in FORMATS:
        raise FieldErrors({"format": [_("Choose csv or pdf.")]})
    if month > month_of(now, vehicle.company):
        raise FieldErrors({"month": [_("This month has not begun yet.")]})
    with transaction.atomic():
        trips = list(logbook_trips(vehicle, month).select_for_update(of=("self",)))
        Trip.objects.filter(pk__in=[t.pk for t in trips], locked_at__isnull=True).update(locked_at=now)
        logbook = build(vehicle, month, trips)
        LogbookExport.objects.create(
            company_id=vehicle.company_id,
            vehicle=vehicle,
            month=month,
            format=fmt,
            sha256=logbook.sha256,
            trips=len(trips),
            created_at=now,
            created_by=actor.user,
        )
        audit.record(
            actor=actor,
            company=vehicle.company,
            action="trips.logbook_exported",
            target=vehicle.vin,
            details={"month": f"{month:%Y-%m}", "format": fmt, "sha256": logbook.sha256},
        )
    return logbook, csv_bytes(logbook) if fmt == "csv" else pdf_bytes(logbook)
