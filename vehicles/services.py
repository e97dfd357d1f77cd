"""Every write of the vehicles app: adding, editing and removing vans, drivers, workshops, bulk
imports and transfers. Pages, the API, the import task and the Retail site all call these.

Each function runs in one transaction, records an AuditEvent (target: the VIN) and enqueues its
tasks on commit. Broken rules raise mpro.errors domain errors with translated messages."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.audit import Actor, record
from companies.models import Company, Dealer, InvitationStatus, Membership, Role
from mpro import outbox
from mpro.errors import ConflictError, DomainError, FieldErrors
from mpro.names import clean_name

from .models import DriverAssignment, Fuel, ModuleStatus, Vehicle
from .signals import workshop_changed
from .vin import decode_vin

PLATE_MAX = Vehicle._meta.get_field("licence_plate").max_length
NICKNAME_MAX = Vehicle._meta.get_field("nickname").max_length


# --- small helpers -----------------------------------------------------------------------------
def normalize_plate(raw) -> str:
    """Upper case, single spaces, no surrounding spaces: "ab 12  345 " → "AB 12 345"."""
    return " ".join(str(raw or "").split()).upper()


def normalize_nickname(raw) -> str:
    """NFC, single spaces; forbidden characters are kept here and refused by text_field_errors."""
    return unicodedata.normalize("NFC", " ".join(str(raw or "").split()))


def text_field_errors(*, licence_plate: str, nickname: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, value in (("licence_plate", licence_plate), ("nickname", nickname)):
        try:
            clean_name(value)
        except ValidationError as error:
            errors[field] = error.messages
    if len(licence_plate) > PLATE_MAX and "licence_plate" not in errors:
        errors["licence_plate"] = [_("A licence plate has at most %(max)d characters.") % {"max": PLATE_MAX}]
    if len(nickname) > NICKNAME_MAX and "nickname" not in errors:
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


def vin_taken_by(*, holder_id: int | None, company_id: int) -> DomainError | None:
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
    return vin_taken_by(holder_id=holder, company_id=company.pk)


def has_live_subscription(vehicle: Vehicle) -> bool:
    # "Live" is the packs app's rule (packs.models.LIVE_STATUSES), reached through the relation.
    return vehicle.subscriptions.live().exists()


def enqueue_module_check(vehicle_ids: list[int], *, company_id: int | None = None) -> None:
    """The module state of these vans is read from the backend (500 per task), through the outbox
    in the caller's transaction: a van added while the broker is down still gets its check once
    the broker is back (issue 17, item 6)."""
    chunks = [[vehicle_ids[start : start + 500]] for start in range(0, len(vehicle_ids), 500)]
    outbox.enqueue_many("vehicles.tasks.vehicle_module_refresh", chunks, company_id=company_id)


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
    errors = text_field_errors(licence_plate=licence_plate, nickname=nickname)
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
            enqueue_module_check([vehicle.pk], company_id=company.pk)
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
    errors = text_field_errors(
        licence_plate=clean.get("licence_plate", ""), nickname=clean.get("nickname", "")
    )
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
    # A clean record for the new holder (issue 17, item 2): the previous holder's nickname and plate
    # go, and every read of the van's history (drivers, subscriptions) starts at held_since.
    vehicle.held_since = timezone.now()
    vehicle.nickname = ""
    vehicle.licence_plate = ""
    vehicle.workshop = None
    vehicle.reset_verification(save=False)
    vehicle.save()
    workshop_changed.send(sender=Vehicle, company=to_company, vehicle_ids=[vehicle.pk], actor=actor)
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
    # To the company that lost it: its administrators are e-mailed (vehicles.notices).
    outbox.emit(
        "vehicle.transferred",
        company_id=from_company.pk,
        payload={"pro_id": from_company.pro_id, "vin": vehicle.vin},
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


def _check_assignable(*, vehicle: Vehicle, driver, actor: Actor) -> None:
    """`driver` must be a driver of the van's company; a driver taking a van themself may only take
    a free one (re-taking their own van is fine: the caller returns early)."""
    if _driver_membership(company=vehicle.company, driver=driver) is None:
        raise DomainError(
            _("Only a member of this company with the driver role can be assigned to a van."),
            field="driver",
            code="not_a_driver",
        )
    self_service = actor.user is not None and actor.user.pk == driver.pk and not actor.is_staff
    if self_service and vehicle.driver_id not in (None, driver.pk):
        raise ConflictError(
            _("Another driver is assigned to this van. Pick a van without a driver."),
            code="vehicle_taken",
        )


def _release_previous_van(*, vehicle: Vehicle, driver, actor: Actor) -> str | None:
    """Ends `driver`'s assignment to another van, if any (a driver drives one van); its VIN."""
    previous_vehicle = (
        Vehicle.objects.select_for_update().filter(driver=driver).exclude(pk=vehicle.pk).first()
    )
    if previous_vehicle is None:
        return None
    _end_assignment(previous_vehicle)
    record(
        actor=actor,
        company=previous_vehicle.company,
        action="driver.released",
        target=previous_vehicle.vin,
        details={"driver": driver.email, "reason": "assigned to another van"},
    )
    return previous_vehicle.vin


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
            _check_assignable(vehicle=vehicle, driver=driver, actor=actor)
            if vehicle.driver_id == driver.pk:
                return vehicle
            released_from = _release_previous_van(vehicle=vehicle, driver=driver, actor=actor)
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
    workshop_changed.send(sender=Vehicle, company=vehicle.company, vehicle_ids=[vehicle.pk], actor=actor)
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
    # The vans without a workshop of their own follow the company's default.
    workshop_changed.send(
        sender=Company,
        company=company,
        vehicle_ids=list(
            Vehicle.objects.for_company(company).filter(workshop__isnull=True).values_list("id", flat=True)
        ),
        actor=actor,
    )
    record(
        actor=actor,
        company=company,
        action="company.default_workshop_set",
        target=company.pro_id,
        details=_dealer_details(dealer),
    )
    return company
