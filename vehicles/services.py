"""Every write of the vehicles app: adding, editing and removing vans, drivers, workshops, bulk
imports and transfers. Pages, the API, the import task and the Retail site all call these.

Each function runs in one transaction, records an AuditEvent (target: the VIN) and enqueues its
tasks on commit. Broken rules raise mpro.errors domain errors with translated messages."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.audit import Actor, record, record_many
from companies.models import Company, Dealer, InvitationStatus, Membership, Role
from mpro.errors import ConflictError, DomainError, FieldErrors

from .models import DriverAssignment, Fuel, ImportStatus, ModuleStatus, Vehicle, VehicleImport
from .vin import decode_vin, normalize_vin

PLATE_MAX = Vehicle._meta.get_field("licence_plate").max_length
NICKNAME_MAX = Vehicle._meta.get_field("nickname").max_length
CSV_COLUMNS = ("vin", "licence_plate", "nickname")
IMPORT_PROGRESS_EVERY = 500
IMPORT_BATCH = 1000


# --- small helpers -----------------------------------------------------------------------------
def normalize_plate(raw) -> str:
    """Upper case, single spaces, no surrounding spaces: "ab 12  345 " → "AB 12 345"."""
    return " ".join(str(raw or "").split()).upper()


def normalize_nickname(raw) -> str:
    return " ".join(str(raw or "").split())


def _text_errors(*, licence_plate: str, nickname: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if len(licence_plate) > PLATE_MAX:
        errors["licence_plate"] = [_("A licence plate has at most %(max)d characters.") % {"max": PLATE_MAX}]
    if len(nickname) > NICKNAME_MAX:
        errors["nickname"] = [_("A nickname has at most %(max)d characters.") % {"max": NICKNAME_MAX}]
    return errors


def _vin_registered_error() -> ConflictError:
    return ConflictError(
        _(
            "This VIN is registered to another company. A Mercedes-Benz dealer can transfer the van "
            "to your fleet once you show them its registration document."
        ),
        field="vin",
        code="vin_registered",
    )


def _vin_in_fleet_error() -> DomainError:
    return DomainError(_("This VIN is already in your fleet."), field="vin", code="vin_in_fleet")


def _vin_taken_error(*, holder_id: int | None, company_id: int) -> DomainError | None:
    """Why the company cannot add a VIN that `holder_id` holds (None: nobody holds it)."""
    if holder_id is None:
        return None
    return _vin_in_fleet_error() if holder_id == company_id else _vin_registered_error()


def vin_taken_error(*, company: Company, vin: str) -> DomainError | None:
    """Why `company` cannot add this normalised VIN: it is already in its fleet (DomainError,
    code "vin_in_fleet") or another company holds it (ConflictError, code "vin_registered",
    never naming that company). None when the VIN is free. The add form's live check and
    vehicle_add both ask this."""
    holder = Vehicle.objects.filter(vin=vin).values_list("company_id", flat=True).first()
    return _vin_taken_error(holder_id=holder, company_id=company.pk)


def has_live_subscription(vehicle: Vehicle) -> bool:
    # "Live" is the packs app's rule (packs.models.LIVE_STATUSES), reached through the relation.
    return vehicle.subscriptions.live().exists()


def _enqueue_module_check(vehicle_ids: list[int]) -> None:
    from .tasks import vehicle_module_refresh

    for start in range(0, len(vehicle_ids), 500):
        chunk = vehicle_ids[start : start + 500]
        transaction.on_commit(lambda chunk=chunk: vehicle_module_refresh.delay(chunk))


# --- vehicles ------------------------------------------------------------------------------------
def vehicle_add(
    *, company: Company, vin: str, licence_plate: str = "", nickname: str = "", actor: Actor
) -> Vehicle:
    """Adds a Mercedes-Benz van to the company's fleet.

    DomainError(field="vin") when the VIN is invalid, not an eligible van, or already in this
    fleet (code "vin_in_fleet"); ConflictError(code="vin_registered") when another company holds
    it (never naming that company)."""
    info = decode_vin(vin)
    licence_plate, nickname = normalize_plate(licence_plate), normalize_nickname(nickname)
    errors = _text_errors(licence_plate=licence_plate, nickname=nickname)
    if errors:
        raise FieldErrors(errors)
    taken = vin_taken_error(company=company, vin=info.vin)
    if taken is not None:
        raise taken
    try:
        with transaction.atomic():
            vehicle = Vehicle.objects.create(
                company=company,
                vin=info.vin,
                make=info.make,
                model_family=info.model_family,
                model_year=info.model_year,
                fuel=info.fuel,
                licence_plate=licence_plate,
                nickname=nickname,
            )
            record(
                actor=actor,
                company=company,
                action="vehicle.added",
                target=vehicle.vin,
                details={
                    "model": info.model_family,
                    "fuel": info.fuel,
                    "licence_plate": licence_plate,
                    "nickname": nickname,
                },
            )
            _enqueue_module_check([vehicle.pk])
    except IntegrityError:
        # Someone added the same VIN between our check and the insert.
        raise (vin_taken_error(company=company, vin=info.vin) or _vin_registered_error()) from None
    return vehicle


EDITABLE_FIELDS = ("licence_plate", "nickname", "fuel")


def vehicle_fuel_editable(vehicle: Vehicle) -> bool:
    """The drive may be set by hand only while the VIN left it unknown and no dealer has verified
    the van. The edit page asks this to show the field; vehicle_update enforces it."""
    return vehicle.fuel == Fuel.UNKNOWN and not vehicle.is_verified


@transaction.atomic
def vehicle_update(*, vehicle: Vehicle, actor: Actor, **fields) -> Vehicle:
    """Changes the licence plate and/or nickname (and the fuel, only while the VIN left it
    unknown). Unknown field names are a programming error (TypeError)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"vehicle_update() got unexpected fields: {sorted(unknown)}")
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    clean: dict[str, str] = {}
    if "licence_plate" in fields:
        clean["licence_plate"] = normalize_plate(fields["licence_plate"])
    if "nickname" in fields:
        clean["nickname"] = normalize_nickname(fields["nickname"])
    errors = _text_errors(licence_plate=clean.get("licence_plate", ""), nickname=clean.get("nickname", ""))
    if "fuel" in fields and fields["fuel"] != vehicle.fuel:
        if not vehicle_fuel_editable(vehicle):
            errors["fuel"] = [
                _("The drive is known from the VIN or checked by the dealer; it cannot be changed.")
            ]
        elif fields["fuel"] not in Fuel.values:
            errors["fuel"] = [_("Choose combustion or electric.")]
        else:
            clean["fuel"] = fields["fuel"]
    if errors:
        raise FieldErrors(errors)
    changes = {
        name: [getattr(vehicle, name), value]
        for name, value in clean.items()
        if getattr(vehicle, name) != value
    }
    if changes:
        for name, (_old, new) in changes.items():
            setattr(vehicle, name, new)
        vehicle.save(update_fields=list(changes))
        record(
            actor=actor,
            company=vehicle.company,
            action="vehicle.updated",
            target=vehicle.vin,
            details=changes,
        )
    return vehicle


@transaction.atomic
def vehicle_remove(*, vehicle: Vehicle, actor: Actor) -> None:
    """Removes the van from the fleet; refused while a subscription is live."""
    vehicle = Vehicle.objects.select_for_update().select_related("company").get(pk=vehicle.pk)
    live = list(vehicle.subscriptions.live().values_list("pack__name", flat=True))
    if live:
        raise ConflictError(
            _(
                "This van still has a live service (%(packs)s). Cancel it on the van's page first, "
                "then remove the van."
            )
            % {"packs": ", ".join(live)},
            code="live_subscription",
        )
    details = {
        "model": vehicle.model_family,
        "licence_plate": vehicle.licence_plate,
        "nickname": vehicle.nickname,
    }
    if vehicle.driver_id:
        details["driver"] = vehicle.driver.email
    record(
        actor=actor, company=vehicle.company, action="vehicle.removed", target=vehicle.vin, details=details
    )
    vehicle.delete()


@transaction.atomic
def vehicle_transfer(*, vehicle: Vehicle, to_company: Company, actor: Actor) -> Vehicle:
    """Moves a VIN to another company: verification starts again, the driver assignment ends and
    the workshop is cleared. The caller cancels the old company's subscriptions first."""
    vehicle = Vehicle.objects.select_for_update().select_related("company").get(pk=vehicle.pk)
    from_company = vehicle.company
    if from_company.pk == to_company.pk:
        raise DomainError(_("The van already belongs to this company."), code="same_company")
    if has_live_subscription(vehicle):
        raise ConflictError(
            _("Cancel the van's live services in its current company before transferring it."),
            code="live_subscription",
        )
    _end_assignment(vehicle)
    vehicle.company = to_company
    vehicle.workshop = None
    vehicle.verification_status = "unverified"
    vehicle.verified_at = None
    vehicle.verified_by = None
    vehicle.rejection_reason = ""
    vehicle.save()
    record(
        actor=actor,
        company=from_company,
        action="vehicle.transferred_out",
        target=vehicle.vin,
        details={},  # the new holder is never named to the old one
    )
    record(
        actor=actor,
        company=to_company,
        action="vehicle.transferred_in",
        target=vehicle.vin,
        details={"model": vehicle.model_family},
    )
    return vehicle


@transaction.atomic
def vehicle_module_refresh(*, vehicle: Vehicle, actor: Actor) -> Vehicle:
    """Asks the telematics backend for the communication module's state and stores it."""
    from .telematics import get_backend

    state = get_backend().module_state(vehicle.vin)
    if not state.present:
        status = ModuleStatus.ABSENT
    else:
        status = ModuleStatus.ACTIVE if state.active else ModuleStatus.INACTIVE
    updated = Vehicle.objects.filter(pk=vehicle.pk).exclude(module_status=status).update(module_status=status)
    if updated:
        vehicle.module_status = status
        record(
            actor=actor,
            company=vehicle.company,
            action="vehicle.module_checked",
            target=vehicle.vin,
            details={"module_status": status},
        )
    return vehicle


# --- drivers -------------------------------------------------------------------------------------
def _end_assignment(vehicle: Vehicle):
    """Ends the vehicle's open assignment, if any; returns the driver who was released."""
    driver = vehicle.driver
    if driver is None:
        return None
    DriverAssignment.objects.filter(vehicle=vehicle, ended_at__isnull=True).update(ended_at=timezone.now())
    vehicle.driver = None
    vehicle.save(update_fields=["driver"])
    return driver


def _driver_membership(*, company: Company, driver) -> Membership | None:
    return (
        Membership.objects.for_company(company)
        .filter(user=driver, role=Role.DRIVER, invitation_status=InvitationStatus.ACCEPTED)
        .first()
    )


def driver_assign(*, vehicle: Vehicle, driver, actor: Actor) -> Vehicle:
    """Makes `driver` (a user with the driver role in the van's company) the van's driver.

    The van's previous driver is released, and so is the driver's previous van: a van has one
    driver and a driver one van at a time (database constraints back this). A driver assigning
    themself may only take a van that has no driver."""
    try:
        with transaction.atomic():
            vehicle = (
                Vehicle.objects.select_for_update(of=("self",))
                .select_related("company", "driver")
                .get(pk=vehicle.pk)
            )
            if _driver_membership(company=vehicle.company, driver=driver) is None:
                raise DomainError(
                    _("Only a member of this company with the driver role can be assigned to a van."),
                    field="driver",
                    code="not_a_driver",
                )
            if vehicle.driver_id == driver.pk:
                return vehicle
            self_service = actor.user is not None and actor.user.pk == driver.pk and not actor.is_staff
            if self_service and vehicle.driver_id is not None:
                raise ConflictError(
                    _("Another driver is assigned to this van. Pick a van without a driver."),
                    code="vehicle_taken",
                )
            previous_vehicle = (
                Vehicle.objects.select_for_update().filter(driver=driver).exclude(pk=vehicle.pk).first()
            )
            released_from = None
            if previous_vehicle is not None:
                _end_assignment(previous_vehicle)
                released_from = previous_vehicle.vin
                record(
                    actor=actor,
                    company=previous_vehicle.company,
                    action="driver.released",
                    target=previous_vehicle.vin,
                    details={"driver": driver.email, "reason": "assigned to another van"},
                )
            previous_driver = _end_assignment(vehicle)
            now = timezone.now()
            vehicle.driver = driver
            vehicle.save(update_fields=["driver"])
            DriverAssignment.objects.create(vehicle=vehicle, driver=driver, started_at=now)
            details = {"driver": driver.email, "name": driver.get_full_name()}
            if previous_driver is not None:
                details["replaced"] = previous_driver.email
            if released_from:
                details["previous_vehicle"] = released_from
            record(
                actor=actor,
                company=vehicle.company,
                action="driver.assigned",
                target=vehicle.vin,
                details=details,
            )
    except IntegrityError:
        raise ConflictError(
            _("The van or the driver was assigned at the same moment by someone else. Please try again."),
            code="assignment_conflict",
        ) from None
    return vehicle


@transaction.atomic
def driver_release(*, vehicle: Vehicle, actor: Actor) -> Vehicle:
    """Ends the van's current driver assignment (the history keeps it)."""
    vehicle = (
        Vehicle.objects.select_for_update(of=("self",)).select_related("company", "driver").get(pk=vehicle.pk)
    )
    driver = _end_assignment(vehicle)
    if driver is None:
        raise DomainError(_("This van has no driver."), field="driver", code="no_driver")
    record(
        actor=actor,
        company=vehicle.company,
        action="driver.released",
        target=vehicle.vin,
        details={"driver": driver.email, "name": driver.get_full_name()},
    )
    return vehicle


@transaction.atomic
def drivers_release_for_user(*, user, actor: Actor) -> int:
    """Ends the open assignment of a user who leaves the company or stops being a driver."""
    vehicles = list(
        Vehicle.objects.select_for_update(of=("self",))
        .select_related("company", "driver")
        .filter(driver=user)
    )
    for vehicle in vehicles:
        _end_assignment(vehicle)
        record(
            actor=actor,
            company=vehicle.company,
            action="driver.released",
            target=vehicle.vin,
            details={"driver": user.email, "reason": "left the driver role"},
        )
    return len(vehicles)


# --- workshops -----------------------------------------------------------------------------------
def workshop_by_code(code: str | None) -> Dealer | None:
    """The outlet with this dealer code (any case, surrounding spaces ignored); None for an empty
    code (the company default applies). DomainError(field="dealer_code") for an unknown code."""
    code = (code or "").strip()
    if not code:
        return None
    dealer = Dealer.objects.filter(code__iexact=code).first()
    if dealer is None:
        raise DomainError(
            _("There is no workshop with this code."), field="dealer_code", code="unknown_workshop"
        )
    return dealer


def _dealer_details(dealer: Dealer | None) -> dict:
    return {"dealer": dealer.code, "name": dealer.name} if dealer else {"dealer": None}


@transaction.atomic
def workshop_choose(*, vehicle: Vehicle, dealer: Dealer | None, actor: Actor) -> Vehicle:
    """Picks the van's after-sales workshop; None falls back to the company's default."""
    vehicle = Vehicle.objects.select_for_update().select_related("company").get(pk=vehicle.pk)
    if vehicle.workshop_id == (dealer.pk if dealer else None):
        return vehicle
    vehicle.workshop = dealer
    vehicle.save(update_fields=["workshop"])
    record(
        actor=actor,
        company=vehicle.company,
        action="vehicle.workshop_chosen",
        target=vehicle.vin,
        details=_dealer_details(dealer),
    )
    return vehicle


@transaction.atomic
def default_workshop_set(*, company: Company, dealer: Dealer | None, actor: Actor) -> Company:
    """Sets the company's default after-sales workshop (used by vans without their own)."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.default_workshop_id == (dealer.pk if dealer else None):
        return company
    company.default_workshop = dealer
    company.save(update_fields=["default_workshop"])
    record(
        actor=actor,
        company=company,
        action="company.default_workshop_set",
        target=company.pro_id,
        details=_dealer_details(dealer),
    )
    return company


# --- bulk import ---------------------------------------------------------------------------------
@dataclass
class CsvRow:
    row: int  # the line number in the file (the header is line 1)
    vin: str
    licence_plate: str
    nickname: str


def _decode_upload(data: bytes) -> str:
    if b"\x00" in data[:4096]:
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
    from .tasks import vehicle_import_run

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
    transaction.on_commit(lambda: vehicle_import_run.delay(vehicle_import.pk))
    return vehicle_import


def _check_rows(vehicle_import: VehicleImport, rows: list[CsvRow]) -> tuple[list[dict], list[dict]]:
    """Checks every row; returns (valid rows ready to create, errors). Updates the progress."""
    company_id = vehicle_import.company_id
    errors: list[dict] = []
    candidates: list[tuple[CsvRow, dict]] = []
    first_row_of: dict[str, int] = {}
    for position, row in enumerate(rows, start=1):
        vin = normalize_vin(row.vin)
        try:
            info = decode_vin(vin)
        except DomainError as err:
            errors.append({"row": row.row, "vin": vin or row.vin, "message": str(err.message)})
        else:
            plate, nickname = normalize_plate(row.licence_plate), normalize_nickname(row.nickname)
            text_errors = _text_errors(licence_plate=plate, nickname=nickname)
            if vin in first_row_of:
                errors.append(
                    {
                        "row": row.row,
                        "vin": vin,
                        "message": _("The same VIN is already on line %(line)d of this file.")
                        % {"line": first_row_of[vin]},
                    }
                )
            elif text_errors:
                message = " ".join(str(m) for messages in text_errors.values() for m in messages)
                errors.append({"row": row.row, "vin": vin, "message": message})
                first_row_of[vin] = row.row
            else:
                first_row_of[vin] = row.row
                candidates.append(
                    (
                        row,
                        {
                            "vin": vin,
                            "make": info.make,
                            "model_family": info.model_family,
                            "model_year": info.model_year,
                            "fuel": info.fuel,
                            "licence_plate": plate,
                            "nickname": nickname,
                        },
                    )
                )
        if position % IMPORT_PROGRESS_EVERY == 0:
            VehicleImport.objects.filter(pk=vehicle_import.pk).update(processed=position)
    # One query per thousand VINs tells which are taken already, here or elsewhere.
    holders: dict[str, int] = {}
    vins = [values["vin"] for _row, values in candidates]
    for start in range(0, len(vins), IMPORT_BATCH):
        holders.update(
            Vehicle.objects.filter(vin__in=vins[start : start + IMPORT_BATCH]).values_list(
                "vin", "company_id"
            )
        )
    valid = []
    for row, values in candidates:
        taken = _vin_taken_error(holder_id=holders.get(values["vin"]), company_id=company_id)
        if taken is None:
            valid.append(values)
        else:
            errors.append({"row": row.row, "vin": values["vin"], "message": str(taken.message)})
    errors.sort(key=lambda error: error["row"])
    return valid, errors


def vehicle_import_run(*, vehicle_import_id: int, actor: Actor) -> VehicleImport:
    """Checks and (unless a dry run) creates the import's vehicles. Idempotent: a finished import
    is left alone, and the vehicles are created in one transaction with the final status, so a
    worker that dies half-way leaves nothing behind and the redelivered task starts over."""
    claimed = VehicleImport.objects.filter(pk=vehicle_import_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    vehicle_import = VehicleImport.objects.select_related("company").get(pk=vehicle_import_id)
    if not claimed and vehicle_import.status != ImportStatus.RUNNING:
        return vehicle_import  # already finished: a duplicate delivery
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
            # VINs added by someone else since the check above are reported, not created.
            taken = dict(
                Vehicle.objects.filter(vin__in=[v["vin"] for v in valid]).values_list("vin", "company_id")
            )
            if taken:
                # A valid VIN is the first row that carries it (later ones were refused as repeats).
                row_of: dict[str, int] = {}
                for r in rows:
                    row_of.setdefault(normalize_vin(r.vin), r.row)
                for values in [v for v in valid if v["vin"] in taken]:
                    error = _vin_taken_error(
                        holder_id=taken[values["vin"]], company_id=vehicle_import.company_id
                    )
                    errors.append(
                        {
                            "row": row_of.get(values["vin"], 0),
                            "vin": values["vin"],
                            "message": str(error.message),
                        }
                    )
                valid = [v for v in valid if v["vin"] not in taken]
                errors.sort(key=lambda error: error["row"])
            created = Vehicle.objects.bulk_create(
                [Vehicle(company=vehicle_import.company, **values) for values in valid],
                batch_size=IMPORT_BATCH,
            )
            created_ids = [vehicle.pk for vehicle in created if vehicle.pk]
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
            if not created_ids:  # backends that do not return primary keys from bulk inserts
                created_ids = list(
                    Vehicle.objects.filter(vin__in=[v["vin"] for v in valid]).values_list("pk", flat=True)
                )
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
        if created_ids:
            _enqueue_module_check(created_ids)
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
        outcomes.append(
            {
                "row": row.row,
                "vin": normalize_vin(row.vin) or row.vin,
                "licence_plate": row.licence_plate,
                "nickname": row.nickname,
                "ok": row.row not in errors,
                "message": errors.get(row.row, ""),
            }
        )
    return outcomes
