"""Reads of the vehicles app, scoped to a company, with the joins each page needs."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from companies.models import AuditEvent, Company, InvitationStatus, Membership, Role
from companies.permissions import allows
from companies.selectors import company_blockers, primary_admin
from users.models import VerificationStatus

from .models import DriverAssignment, Fuel, Vehicle, VehicleImport
from .vin import check_vin, normalize_vin


def _subscriptions_prefetch() -> Prefetch:
    """The van's subscriptions (packs), which point at the van: read through the reverse relation so
    that vehicles, below packs, never imports it."""
    subscription = Vehicle._meta.get_field("subscriptions").related_model
    return Prefetch(
        "subscriptions",
        # The current holder's only, since it got the van (issue 17, item 2).
        queryset=subscription.objects.held_by_current_holder()
        .select_related("pack")
        .order_by("-created_at", "-id"),
    )


def vehicles_for_list(company: Company) -> QuerySet[Vehicle]:
    """The company's vans with what the overview and GET /vehicles show, in a fixed number of queries."""
    return (
        Vehicle.objects.for_company(company)
        .select_related("driver__membership", "workshop", "company__default_workshop")
        .prefetch_related(_subscriptions_prefetch())
    )


# What GET /vehicles shows of a van, read as plain rows: building five model instances per van
# (company and its default workshop repeated on every row) cost more than the query itself.
LIST_COLUMNS = (
    "id",
    "vin",
    "make",
    "model_family",
    "model_year",
    "fuel",
    "licence_plate",
    "nickname",
    "verification_status",
    "module_status",
    "workshop_id",
    "driver_id",
    "driver__first_name",
    "driver__last_name",
    "driver__email",
    "driver__membership__id",
    "created_at",
)
DEALER_COLUMNS = ("code", "name", "street", "postal_code", "city", "country", "phone")
# The van's own workshop joined in as columns; the company's default comes with the tenancy.
LIST_COLUMNS += tuple(f"workshop__{column}" for column in DEALER_COLUMNS)


def vehicle_rows(company: Company) -> QuerySet:
    """The company's vans as dicts of LIST_COLUMNS (one query, no instances); filters and
    keyset/cursor pagination work on it as on the model queryset."""
    return Vehicle.objects.for_company(company).values(*LIST_COLUMNS)


def vehicle_rows_subscriptions(rows: list[dict]) -> dict[int, list]:
    """The subscriptions of one page of rows, in one query whatever the page size:
    {vehicle id: [(id, pack code, status)], newest first}."""
    subscriptions: dict[int, list] = {row["id"]: [] for row in rows}
    if rows:
        # packs sits above vehicles: reached through the reverse relation, never imported.
        subscription = Vehicle._meta.get_field("subscriptions").related_model
        for vehicle_id, pk, pack, status in (
            subscription.objects.held_by_current_holder()  # none of a previous holder's (issue 17, item 2)
            .filter(vehicle_id__in=list(subscriptions))
            .order_by("-created_at", "-id")
            .values_list("vehicle_id", "id", "pack__code", "status")
        ):
            subscriptions[vehicle_id].append((pk, pack, status))
    return subscriptions


def vehicles_for_overview(company: Company) -> QuerySet[Vehicle]:
    """The overview page's vans: as vehicles_for_list without the company joined into every row
    (the page sets the one company it has on each van of the page: `with_company`)."""
    return (
        Vehicle.objects.for_company(company)
        .select_related("driver", "workshop")
        .prefetch_related(_subscriptions_prefetch())
    )


def with_company(vehicles: list[Vehicle], company: Company) -> list[Vehicle]:
    for vehicle in vehicles:
        vehicle.company = company
    return vehicles


def annotate_page(vehicles: list[Vehicle], annotate) -> None:
    """Sets the annotations `annotate(queryset)` adds on the page's vans, in one query of their
    ids (a column of a higher app computed for 50 vans instead of the fleet)."""
    if not vehicles:
        return
    queryset = annotate(Vehicle.objects.filter(pk__in=[vehicle.pk for vehicle in vehicles]))
    names = list(queryset.query.annotations)
    rows = {row["pk"]: row for row in queryset.values("pk", *names)}
    for vehicle in vehicles:
        for name in names:
            setattr(vehicle, name, rows[vehicle.pk][name])


def vehicle_for_page(company: Company, vin: str) -> Vehicle | None:
    return vehicles_for_list(company).filter(vin=normalize_vin(vin)).first()


def live_subscriptions(vehicle: Vehicle) -> list:
    """The prefetched subscriptions that are live (packs' rule: not cancelled or expired)."""
    return [s for s in vehicle.subscriptions.all() if s.is_live]


def search_q(term: str) -> Q:
    """VIN (from its start, as people type it), licence plate or nickname (anywhere, any case)."""
    term = term.strip()
    q = Q(licence_plate__icontains=term) | Q(nickname__icontains=term)
    vin_term = normalize_vin(term)
    if vin_term:
        q |= Q(vin__startswith=vin_term)
    return q


def vin_check_body(company: Company, raw: str) -> dict:
    """The live VIN check as the portal's add page and Retail's "add a van" show it while the VIN is
    typed: state, message and decoded facts; `in_fleet` / `registered` when a fleet holds it."""
    from .services import vin_taken_error

    result = check_vin(raw)
    body = {"vin": result.vin, "state": result.state, "message": result.message, "decoded": None}
    if result.info is not None:
        body["decoded"] = {
            "make": result.info.make,
            "model": result.info.model_family,
            "model_year": result.info.model_year,
            "fuel": str(Fuel(result.info.fuel).label),
            "warnings": [str(w) for w in result.info.warnings],
        }
        taken = vin_taken_error(company=company, vin=result.vin)
        if taken is not None and taken.code == "vin_in_fleet":
            body.update(state="in_fleet", message=str(taken.message))
        elif taken is not None:
            body.update(state="registered", message=str(taken.message))
    return body


def free_vehicles(company: Company, limit: int = 100) -> list[Vehicle]:
    """Vans without a driver, which a driver may take (first `limit`, by nickname)."""
    return list(
        Vehicle.objects.for_company(company).filter(driver__isnull=True).order_by("nickname", "vin")[:limit]
    )


def drivers_of(company: Company) -> QuerySet[Membership]:
    return (
        Membership.objects.for_company(company)
        .filter(role=Role.DRIVER, invitation_status=InvitationStatus.ACCEPTED)
        .select_related("user", "user__driven_vehicle")
        .order_by("user__first_name", "user__last_name", "user__email")
    )


def assignments_of(vehicle: Vehicle) -> QuerySet[DriverAssignment]:
    """Who drove the van since its current holder got it (nothing of a previous holder's drivers)."""
    return (
        DriverAssignment.objects.filter(vehicle=vehicle, started_at__gte=vehicle.held_since)
        .select_related("driver")
        .order_by("-started_at")
    )


def driver_on(vehicle: Vehicle, at: datetime):
    """Who drove the van at that moment (None: nobody)."""
    assignment = (
        DriverAssignment.objects.filter(
            vehicle=vehicle, started_at__lte=at, started_at__gte=vehicle.held_since
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))
        .select_related("driver")
        .order_by("-started_at")
        .first()
    )
    return assignment.driver if assignment else None


def vehicle_history(company: Company, vin: str, limit: int = 50) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_company(company).filter(target=vin).select_related("dealer")[:limit])


def imports_of(company: Company, limit: int = 10) -> QuerySet[VehicleImport]:
    return VehicleImport.objects.for_company(company).defer("content")[:limit]


def import_progress(company: Company, pk: int) -> VehicleImport | None:
    """The company's import without its file (up to VEHICLE_IMPORT_MAX_BYTES): the progress bar
    polls this every second while the task runs."""
    return VehicleImport.objects.for_company(company).defer("content").filter(pk=pk).first()


@dataclass(frozen=True)
class Readiness:
    label: str
    done: bool


def vehicle_blockers(vehicle: Vehicle) -> list[str]:
    """What the dealer must still verify on the van itself (translated texts)."""
    if vehicle.verification_status == VerificationStatus.REJECTED:
        return [_("The dealer rejected the vehicle %(vin)s.") % {"vin": vehicle.vin}]
    if vehicle.verification_status != VerificationStatus.VERIFIED:
        return [_("The dealer has not verified the vehicle %(vin)s yet.") % {"vin": vehicle.vin}]
    return []


def activation_blockers(vehicle: Vehicle) -> list[str]:
    """What still stands between the van and its services' activation: the company, its first
    administrator and the van, each verified by a dealer. The one rule every page, endpoint and
    activation task asks."""
    return company_blockers(vehicle.company) + vehicle_blockers(vehicle)


def verification_checklist(vehicle: Vehicle) -> list[Readiness]:
    company = vehicle.company
    admin = primary_admin(company)
    admin_verified = bool(admin and admin.is_verified)
    company_verified = company.is_verified
    van_verified = vehicle.is_verified
    # Each line says what is true now: a missing step never reads as done.
    return [
        Readiness(
            _("The company is verified by a dealer")
            if company_verified
            else _("The company is not verified by a dealer yet"),
            company_verified,
        ),
        Readiness(
            _("The first administrator's identity is verified by a dealer")
            if admin_verified
            else _("The first administrator's identity is not verified by a dealer yet"),
            admin_verified,
        ),
        Readiness(
            _("The van is verified by a dealer (registration document checked)")
            if van_verified
            else _("The van is not verified by a dealer yet (registration document to be checked)"),
            van_verified,
        ),
    ]


# --- keyset pagination for the fleet overview ----------------------------------------------------
# Sort keys people can click; each is backed by an index (company, column, id).
SORTS = {
    "added": "created_at",
    "vin": "vin",
    "plate": "licence_plate",
    "nickname": "nickname",
    "model": "model_family",
}
DEFAULT_SORT = "-added"


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    previous_cursor: str | None
    sort: str


def _encode(value, pk: int, backwards: bool) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, pk, 1 if backwards else 0]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, column: str, numeric: bool = False):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk, backwards = json.loads(base64.urlsafe_b64decode(padded.encode()))
        pk = int(pk)
        if column == "created_at":
            value = parse_datetime(value)
            if value is None:
                return None
        elif numeric:
            if not isinstance(value, int) or isinstance(value, bool):
                return None
        elif not isinstance(value, str):
            return None
        return value, pk, bool(backwards)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None


def keyset_page(
    queryset: QuerySet,
    *,
    sort: str,
    cursor: str | None,
    size: int,
    numeric_sorts: dict[str, str] | None = None,
) -> KeysetPage:
    """One page of `queryset` ordered by (sort column, id), continuing after `cursor`.

    Keyset pagination reads only the page's rows through the matching index, however far the
    user pages; it needs no COUNT over the whole fleet. `numeric_sorts` adds sort keys on integer
    annotations of `queryset` (the columns of higher apps, vehicles.panels.OverviewColumn)."""
    sorts = {**SORTS, **(numeric_sorts or {})}
    if sort.lstrip("-") not in sorts:
        sort = DEFAULT_SORT
    descending = sort.startswith("-")
    column = sorts[sort.lstrip("-")]
    numeric = sort.lstrip("-") in (numeric_sorts or {})
    decoded = _decode(cursor, column, numeric) if cursor else None
    backwards = bool(decoded and decoded[2])
    # Walking backwards is walking forwards in the opposite order, then reversing the page.
    walk_descending = descending != backwards
    order = [f"-{column}", "-id"] if walk_descending else [column, "id"]
    qs = queryset.order_by(*order)
    if decoded:
        value, pk, _backwards = decoded
        if walk_descending:
            qs = qs.filter(Q(**{f"{column}__lt": value}) | Q(**{column: value, "id__lt": pk}))
        else:
            qs = qs.filter(Q(**{f"{column}__gt": value}) | Q(**{column: value, "id__gt": pk}))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    # Going forwards, a next page exists if we fetched one row too many; a previous one if we
    # came through a cursor. Going backwards, the other way round.
    has_next = backwards or more
    has_previous = more if backwards else bool(decoded)
    next_cursor = previous_cursor = None
    if rows:
        first, last = rows[0], rows[-1]
        if has_next:
            next_cursor = _encode(getattr(last, column), last.pk, False)
        if has_previous:
            previous_cursor = _encode(getattr(first, column), first.pk, True)
    return KeysetPage(rows, next_cursor, previous_cursor, sort)


# --- whose vans a member sees --------------------------------------------------------------------
# API.md / API-CONNECTED.md: administrators and fleet managers see every van of their company, a
# driver only the van assigned to them now. Every read of one van or of many asks here.
def sees_every_van(membership: Membership) -> bool:
    return allows(membership.role, "vehicles.view_all")


def van_in_reach(vehicle, membership: Membership) -> bool:
    """Whether this member may see this van of their company."""
    return sees_every_van(membership) or vehicle.driver_id == membership.user_id


def vans_in_reach(qs: QuerySet, membership: Membership, *, driver_field: str = "driver_id") -> QuerySet:
    """`qs` (vans, or rows of vans through `driver_field`) narrowed to what this member may see."""
    return qs if sees_every_van(membership) else qs.filter(**{driver_field: membership.user_id})
