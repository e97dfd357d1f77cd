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
from companies.selectors import primary_admin
from users.models import VerificationStatus

from .models import DriverAssignment, Vehicle, VehicleImport
from .vin import normalize_vin


def _subscriptions_prefetch() -> list:
    try:
        from packs.models import Subscription
    except ImportError:  # pragma: no cover - packs is always installed in mpro
        return []
    return [
        Prefetch(
            "subscriptions",
            queryset=Subscription.objects.select_related("pack").order_by("-created_at", "-id"),
        )
    ]


def vehicles_for_list(company: Company) -> QuerySet[Vehicle]:
    """The company's vans with what the overview and GET /vehicles show, in a fixed number of queries."""
    return (
        Vehicle.objects.for_company(company)
        .select_related("driver__membership", "workshop", "company__default_workshop")
        .prefetch_related(*_subscriptions_prefetch())
    )


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


def drivers_of(company: Company) -> QuerySet[Membership]:
    return (
        Membership.objects.for_company(company)
        .filter(role=Role.DRIVER, invitation_status=InvitationStatus.ACCEPTED)
        .select_related("user", "user__driven_vehicle")
        .order_by("user__first_name", "user__last_name", "user__email")
    )


def assignments_of(vehicle: Vehicle) -> QuerySet[DriverAssignment]:
    return DriverAssignment.objects.filter(vehicle=vehicle).select_related("driver").order_by("-started_at")


def driver_on(vehicle: Vehicle, at: datetime):
    """Who drove the van at that moment (None: nobody)."""
    assignment = (
        DriverAssignment.objects.filter(vehicle=vehicle, started_at__lte=at)
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


def activation_blockers(vehicle: Vehicle) -> list[str]:
    """What still stands between the van and its services' activation.

    Uses packs.services.activation_blockers when the packs app provides it, otherwise lists the
    three dealer verifications (company, first administrator, van) that are not done."""
    try:
        from packs.services import activation_blockers as packs_blockers
    except ImportError:
        packs_blockers = None
    if packs_blockers is not None:
        return list(packs_blockers(vehicle=vehicle))
    return [item.label for item in verification_checklist(vehicle) if not item.done]


def verification_checklist(vehicle: Vehicle) -> list[Readiness]:
    company = vehicle.company
    admin = primary_admin(company)
    admin_verified = bool(admin and admin.verification_status == VerificationStatus.VERIFIED)
    return [
        Readiness(
            _("The company is verified by a dealer"),
            company.verification_status == VerificationStatus.VERIFIED,
        ),
        Readiness(_("The first administrator's identity is verified by a dealer"), admin_verified),
        Readiness(
            _("The van is verified by a dealer (registration document checked)"),
            vehicle.verification_status == VerificationStatus.VERIFIED,
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


def _decode(cursor: str, column: str):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk, backwards = json.loads(base64.urlsafe_b64decode(padded.encode()))
        pk = int(pk)
        if column == "created_at":
            value = parse_datetime(value)
            if value is None:
                return None
        elif not isinstance(value, str):
            return None
        return value, pk, bool(backwards)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None


def keyset_page(queryset: QuerySet, *, sort: str, cursor: str | None, size: int) -> KeysetPage:
    """One page of `queryset` ordered by (sort column, id), continuing after `cursor`.

    Keyset pagination reads only the page's rows through the matching index, however far the
    user pages; it needs no COUNT over the whole fleet."""
    if sort.lstrip("-") not in SORTS:
        sort = DEFAULT_SORT
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    decoded = _decode(cursor, column) if cursor else None
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
