"""The CSV import of vans: the file checked as a whole when uploaded, then a task checks every row
and creates the valid vans in one go (or only reports, for a dry run)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.audit import Actor, record, record_many
from companies.models import Company
from mpro import outbox
from mpro.errors import DomainError
from mpro.statistics import analyze_after_load

from . import telematics
from .models import ImportStatus, Vehicle, VehicleImport
from .services import (
    enqueue_module_check,
    normalize_nickname,
    normalize_plate,
    text_field_errors,
    vin_taken_by,
)
from .vin import decode_vin, normalize_vin

CSV_COLUMNS = ("vin", "licence_plate", "nickname")
IMPORT_PROGRESS_EVERY = 500
IMPORT_BATCH = 1000


@dataclass
class CsvRow:
    row: int  # the line number in the file (the header is line 1)
    vin: str
    licence_plate: str
    nickname: str


def _decode_upload(data: bytes) -> str:
    # Anywhere in the file, not only its start: PostgreSQL refuses a NUL in text (a 500 otherwise).
    if b"\x00" in data:
        raise DomainError(
            _(
                "This is not a CSV text file (a spreadsheet file perhaps?). Save it as “CSV UTF-8” and try again."
            ),
            field="file",
            code="import_not_text",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DomainError(
            _(
                "The file is not UTF-8 encoded (byte %(position)d cannot be read). Save it as “CSV UTF-8” "
                "and try again."
            )
            % {"position": err.start + 1},
            field="file",
            code="import_encoding",
        ) from None


def _sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_import_csv(text: str) -> list[CsvRow]:
    """Reads `vin,licence_plate,nickname` (comma or semicolon, header required).

    Raises DomainError(field="file") for what makes the whole file unusable."""
    if not text.strip():
        raise DomainError(_("The file is empty."), field="file", code="import_empty")
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader)
    except StopIteration:  # pragma: no cover - text.strip() is not empty
        raise DomainError(_("The file is empty."), field="file", code="import_empty") from None
    except csv.Error as err:
        raise DomainError(_("The file is not valid CSV: %(error)s") % {"error": err}, field="file") from None
    names = [cell.strip().lower().lstrip("\ufeff") for cell in header]
    if "vin" not in names:
        raise DomainError(
            _(
                "The first line must be the header “vin,licence_plate,nickname” (licence_plate and "
                "nickname are optional columns)."
            ),
            field="file",
            code="import_header",
        )
    unknown = [name for name in names if name and name not in CSV_COLUMNS]
    if unknown:
        raise DomainError(
            _("Unknown column(s) in the header: %(columns)s. Allowed: vin, licence_plate, nickname.")
            % {"columns": ", ".join(unknown)},
            field="file",
            code="import_header",
        )
    if len(set(n for n in names if n)) != len([n for n in names if n]):
        raise DomainError(_("A column appears twice in the header."), field="file", code="import_header")
    index = {name: position for position, name in enumerate(names) if name}
    rows: list[CsvRow] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue

            def cell(name: str, cells=cells) -> str:
                position = index.get(name)
                return cells[position] if position is not None and position < len(cells) else ""

            rows.append(CsvRow(reader.line_num, cell("vin"), cell("licence_plate"), cell("nickname")))
    except csv.Error as err:
        raise DomainError(
            _("Line %(line)d is not valid CSV: %(error)s") % {"line": reader.line_num, "error": err},
            field="file",
            code="import_csv",
        ) from None
    if not rows:
        raise DomainError(_("The file has a header but no vehicles."), field="file", code="import_empty")
    return rows


def vehicle_import_create(*, company: Company, uploaded_file, dry_run: bool, actor: Actor) -> VehicleImport:
    """Checks the uploaded CSV as a whole (size, encoding, header, at least one row), stores it and
    enqueues the import task. Row-level problems are the task's business."""
    limit = settings.VEHICLE_IMPORT_MAX_BYTES
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise DomainError(
            _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into smaller files.")
            % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024},
            field="file",
            code="import_too_large",
        )
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _("The file is larger than the limit of %(limit).1f MB. Split it into smaller files.")
            % {"limit": limit / 1024 / 1024},
            field="file",
            code="import_too_large",
        )
    text = _decode_upload(data)
    rows = parse_import_csv(text)
    file_name = str(getattr(uploaded_file, "name", "") or "")[:200]
    return _import_start(
        company=company, text=text, total=len(rows), file_name=file_name, dry_run=dry_run, actor=actor
    )


def vehicle_import_confirm(*, vehicle_import: VehicleImport, actor: Actor) -> VehicleImport:
    """Runs a finished dry run for real: a new import of the same file."""
    if not vehicle_import.dry_run or vehicle_import.status != ImportStatus.DONE:
        raise DomainError(_("Only a finished dry run can be imported."), code="import_not_dry_run")
    return _import_start(
        company=vehicle_import.company,
        text=vehicle_import.content,
        total=vehicle_import.total,
        file_name=vehicle_import.file_name,
        dry_run=False,
        actor=actor,
    )


@transaction.atomic
def _import_start(
    *, company, text: str, total: int, file_name: str, dry_run: bool, actor: Actor
) -> VehicleImport:
    vehicle_import = VehicleImport.objects.create(
        company=company,
        created_by=actor.user,
        file_name=file_name,
        content=text,
        dry_run=dry_run,
        total=total,
    )
    record(
        actor=actor,
        company=company,
        action="vehicle_import.started",
        target=f"import #{vehicle_import.pk}",
        details={"file": file_name, "rows": total, "dry_run": dry_run},
    )
    outbox.enqueue("vehicles.tasks.vehicle_import_run", args=[vehicle_import.pk], company_id=company.pk)
    return vehicle_import


def _check_row(row: CsvRow, first_row_of: dict[str, int]) -> tuple[dict | None, dict | None]:
    """One row on its own: (values ready to create, None) or (None, error). Remembers the first
    row of each VIN in `first_row_of` so that a repeat is refused."""
    vin = normalize_vin(row.vin)
    try:
        info = decode_vin(vin)
    except DomainError as err:
        return None, {"row": row.row, "vin": vin or row.vin, "message": str(err.message)}
    plate, nickname = normalize_plate(row.licence_plate), normalize_nickname(row.nickname)
    text_errors = text_field_errors(licence_plate=plate, nickname=nickname)
    if vin in first_row_of:
        message = _("The same VIN is already on line %(line)d of this file.") % {"line": first_row_of[vin]}
        return None, {"row": row.row, "vin": vin, "message": message}
    first_row_of[vin] = row.row
    if text_errors:
        message = " ".join(str(m) for messages in text_errors.values() for m in messages)
        return None, {"row": row.row, "vin": vin, "message": message}
    values = {
        "vin": vin,
        "make": info.make,
        "model_family": info.model_family,
        "model_year": info.model_year,
        "fuel": info.fuel,
        "licence_plate": plate,
        "nickname": nickname,
    }
    return values, None


def _holders(vins: list[str]) -> dict[str, int]:
    """Which of these VINs a company holds already: one query per thousand VINs."""
    holders: dict[str, int] = {}
    for start in range(0, len(vins), IMPORT_BATCH):
        holders.update(
            Vehicle.objects.filter(vin__in=vins[start : start + IMPORT_BATCH]).values_list(
                "vin", "company_id"
            )
        )
    return holders


def _check_rows(vehicle_import: VehicleImport, rows: list[CsvRow]) -> tuple[list[dict], list[dict]]:
    """Checks every row; returns (valid rows ready to create, errors). Updates the progress."""
    errors: list[dict] = []
    candidates: list[tuple[CsvRow, dict]] = []
    first_row_of: dict[str, int] = {}
    for position, row in enumerate(rows, start=1):
        values, error = _check_row(row, first_row_of)
        if error is not None:
            errors.append(error)
        else:
            candidates.append((row, values))
        if position % IMPORT_PROGRESS_EVERY == 0:
            VehicleImport.objects.filter(pk=vehicle_import.pk).update(processed=position)
    holders = _holders([values["vin"] for _row, values in candidates])
    valid = []
    for row, values in candidates:
        taken = vin_taken_by(holder_id=holders.get(values["vin"]), company_id=vehicle_import.company_id)
        if taken is None:
            valid.append(values)
        else:
            errors.append({"row": row.row, "vin": values["vin"], "message": str(taken.message)})
    errors.sort(key=lambda error: error["row"])
    return valid, errors


def _claim(vehicle_import_id: int) -> VehicleImport | None:
    """Pending → running; None when another delivery already finished it."""
    claimed = VehicleImport.objects.filter(pk=vehicle_import_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    vehicle_import = VehicleImport.objects.select_related("company").get(pk=vehicle_import_id)
    if not claimed and vehicle_import.status != ImportStatus.RUNNING:
        return None
    return vehicle_import


def _drop_taken_since_check(
    vehicle_import: VehicleImport, rows: list[CsvRow], valid: list[dict], errors: list[dict]
) -> list[dict]:
    """VINs added by someone else since the check are reported (on the first row that carries
    them; later ones were refused as repeats), not created. Returns what is still valid."""
    taken = dict(Vehicle.objects.filter(vin__in=[v["vin"] for v in valid]).values_list("vin", "company_id"))
    if not taken:
        return valid
    row_of: dict[str, int] = {}
    for r in rows:
        row_of.setdefault(normalize_vin(r.vin), r.row)
    for values in [v for v in valid if v["vin"] in taken]:
        error = vin_taken_by(holder_id=taken[values["vin"]], company_id=vehicle_import.company_id)
        errors.append(
            {"row": row_of.get(values["vin"], 0), "vin": values["vin"], "message": str(error.message)}
        )
    errors.sort(key=lambda error: error["row"])
    return [v for v in valid if v["vin"] not in taken]


def _create_vehicles(vehicle_import: VehicleImport, valid: list[dict], actor: Actor) -> list[int]:
    """Creates the valid rows in bulk, each with its own `vehicle.added` event; returns the ids."""
    created = Vehicle.objects.bulk_create(
        [Vehicle(company=vehicle_import.company, **values) for values in valid],
        batch_size=IMPORT_BATCH,
    )
    record_many(
        actor=actor,
        action="vehicle.added",
        events=[
            (
                vehicle_import.company,
                values["vin"],
                {
                    "model": values["model_family"],
                    "fuel": values["fuel"],
                    "licence_plate": values["licence_plate"],
                    "nickname": values["nickname"],
                    "import": vehicle_import.pk,
                },
            )
            for values in valid
        ],
        batch_size=IMPORT_BATCH,
    )
    created_ids = [vehicle.pk for vehicle in created if vehicle.pk]
    if not created_ids:  # backends that do not return primary keys from bulk inserts
        created_ids = list(
            Vehicle.objects.filter(vin__in=[v["vin"] for v in valid]).values_list("pk", flat=True)
        )
    analyze_after_load(Vehicle, len(created_ids))
    return created_ids


def _finish(vehicle_import: VehicleImport, *, valid: list[dict], errors: list[dict], actor: Actor) -> None:
    vehicle_import.status = ImportStatus.DONE
    vehicle_import.processed = vehicle_import.total
    vehicle_import.valid = len(valid)
    vehicle_import.created = 0 if vehicle_import.dry_run else len(valid)
    vehicle_import.errors = errors
    vehicle_import.finished_at = timezone.now()
    vehicle_import.save()
    record(
        actor=actor,
        company=vehicle_import.company,
        action="vehicle_import.dry_run_finished" if vehicle_import.dry_run else "vehicle_import.finished",
        target=f"import #{vehicle_import.pk}",
        details={"rows": vehicle_import.total, "created": vehicle_import.created, "errors": len(errors)},
    )


def vehicle_import_run(*, vehicle_import_id: int, actor: Actor) -> VehicleImport:
    """Checks and (unless a dry run) creates the import's vehicles. Idempotent: a finished import
    is left alone, and the vehicles are created in one transaction with the final status, so a
    worker that dies half-way leaves nothing behind and the redelivered task starts over."""
    vehicle_import = _claim(vehicle_import_id)
    if vehicle_import is None:
        return VehicleImport.objects.select_related("company").get(
            pk=vehicle_import_id
        )  # a duplicate delivery
    rows = parse_import_csv(vehicle_import.content)
    valid, errors = _check_rows(vehicle_import, rows)
    with transaction.atomic():
        vehicle_import = (
            VehicleImport.objects.select_for_update().select_related("company").get(pk=vehicle_import_id)
        )
        if vehicle_import.is_finished:
            return vehicle_import
        created_ids: list[int] = []
        if valid and not vehicle_import.dry_run:
            valid = _drop_taken_since_check(vehicle_import, rows, valid, errors)
            created_ids = _create_vehicles(vehicle_import, valid, actor)
        _finish(vehicle_import, valid=valid, errors=errors, actor=actor)
        if created_ids:
            enqueue_module_check(created_ids, company_id=vehicle_import.company_id)
    return vehicle_import


def vehicle_import_fail(*, vehicle_import_id: int, reason: str) -> None:
    """Marks an import as failed after the task gave up (nothing was created)."""
    VehicleImport.objects.filter(pk=vehicle_import_id).exclude(status=ImportStatus.DONE).update(
        status=ImportStatus.FAILED, failure_reason=reason[:1000], finished_at=timezone.now()
    )


def import_row_outcomes(vehicle_import: VehicleImport) -> list[dict]:
    """Every row of the file with its outcome (for the dry-run table and the CSV download)."""
    errors = {error["row"]: error["message"] for error in vehicle_import.errors}
    try:
        rows = parse_import_csv(vehicle_import.content)
    except DomainError:
        return []
    outcomes = []
    for row in rows:
        vin = normalize_vin(row.vin) or row.vin
        ok = row.row not in errors
        outcomes.append(
            {
                "row": row.row,
                "vin": vin,
                "licence_plate": row.licence_plate,
                "nickname": row.nickname,
                "ok": ok,
                "message": errors.get(row.row, ""),
                # Accepted, but the dry run says what the van page would say later: no module, no services.
                "warning": _("No communication module: connected services cannot run on this van.")
                if ok and len(vin) == 17 and not telematics.has_module(vin)
                else "",
            }
        )
    return outcomes
