"""Reads of the packs app, scoped to one company, with what each page needs joined in.
Query counts do not depend on the number of rows."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language, ngettext

from companies.models import Company
from companies.selectors import company_blockers, generations, primary_admin
from mpro.arrays import among
from users.models import VerificationStatus
from vehicles.models import Vehicle
from vehicles.selectors import vehicle_blockers
from vehicles.vin import normalize_vin

from .eligibility import PackFit, pack_fit
from .models import LIVE_STATUSES, Order, Pack, Price, Subscription, SubscriptionStatus


def catalogue_for_country(country: str) -> list[Pack]:
    """Active packs with their services and `local_price` in `country` (None where not sold there)."""
    packs = list(
        Pack.objects.filter(is_active=True)
        .prefetch_related(
            "services",
            Prefetch("prices", queryset=Price.objects.filter(country=country), to_attr="local_prices"),
        )
        .order_by("sort_order", "code")
    )
    for pack in packs:
        pack.local_price = pack.local_prices[0] if pack.local_prices else None
    return packs


def catalogue_for_company(company: Company) -> list[Pack]:
    """The catalogue priced for the company's country."""
    return catalogue_for_country(company.country)


def pack_for_company(company: Company, code: str) -> Pack | None:
    """The pack as sold in the company's country; None (a 404) where it is not sold there."""
    for pack in catalogue_for_company(company):
        if pack.code == code and pack.local_price is not None:
            return pack
    return None


def subscriptions(
    company: Company, *, vehicle: str = "", pack: str = "", status: str = ""
) -> QuerySet[Subscription]:
    qs = Subscription.objects.for_company(company).select_related("vehicle", "pack", "order")
    if vehicle:
        qs = qs.filter(vehicle__vin=normalize_vin(vehicle))
    if pack:
        qs = qs.filter(pack__code=pack.strip())
    if status:
        qs = qs.filter(status=status.strip())
    return qs.order_by("-id")


# What GET /subscriptions shows of a subscription (packs.api.SubscriptionSerializer).
API_COLUMNS = (
    "id",
    "order_id",
    "status",
    "trial_ends_at",
    "paid_from",
    "paid_until",
    "ends_at",
    "activated_at",
    "cancelled_at",
    "failure_reason",
    "contract_generation",
    "amount",
    "currency",
    "vehicle__vin",
    "pack__code",
)


def subscriptions_for_api(company: Company, **filters) -> QuerySet[Subscription]:
    """`subscriptions` with only the columns the API shows: the van's VIN and the pack's code
    instead of the whole van, pack and order in every row."""
    return (
        subscriptions(company, **filters)
        .select_related(None)
        .select_related("vehicle", "pack")
        .only(*API_COLUMNS)
    )


def subscription(company: Company, subscription_id: int) -> Subscription | None:
    """One of the company's subscriptions (None for another company's: the caller answers 404)."""
    return (
        Subscription.objects.for_company(company)
        .select_related("vehicle", "pack")
        .filter(pk=subscription_id)
        .first()
    )


def orders(company: Company) -> QuerySet[Order]:
    return (
        Order.objects.for_company(company)
        .select_related("pack", "placed_by")
        .annotate(vehicle_count=Count("subscriptions"))
        .order_by("-placed_at", "-id")
    )


def order_detail(company: Company, order_id: int) -> Order | None:
    return Order.objects.for_company(company).select_related("pack", "placed_by").filter(pk=order_id).first()


def order_subscriptions(order: Order) -> QuerySet[Subscription]:
    return Subscription.objects.filter(order=order).select_related("vehicle", "pack").order_by("id")


def purchasable_vehicles(
    company: Company, *, search: str = "", verification: str = "", fuel: str = "", model: str = ""
):
    qs = Vehicle.objects.for_company(company)
    if search:
        term = search.strip()
        qs = qs.filter(
            Q(vin__icontains=normalize_vin(term))
            | Q(licence_plate__icontains=term)
            | Q(nickname__icontains=term)
        )
    if verification:
        qs = qs.filter(verification_status=verification)
    if fuel:
        qs = qs.filter(fuel=fuel)
    if model:
        qs = qs.filter(model_family__iexact=model)
    return qs.order_by("vin")


def billing(company: Company) -> QuerySet[Subscription]:
    """What will be charged, per vehicle and pack: live subscriptions by first charged day."""
    return (
        Subscription.objects.for_company(company)
        .filter(status__in=LIVE_STATUSES)
        .select_related("vehicle", "pack")
        .order_by("paid_from", "vehicle__vin", "pack__sort_order")
    )


def current_generation(company: Company):
    """The company's current contract generation (number, start, base data as it then stood), or
    None for a company registered before generations were kept."""
    return generations(company).filter(number=company.contract_generation).first()


def billing_totals(company: Company) -> list[dict]:
    """Yearly amount per currency, and how much of it is still free (welcome offer)."""
    today = timezone.localdate()
    return list(
        Subscription.objects.for_company(company)
        .filter(status__in=LIVE_STATUSES)
        .values("currency")
        .annotate(
            count=Count("id"),
            yearly=Sum("amount"),
            in_trial=Count("id", filter=Q(trial_ends_at__gte=today)),
        )
        .order_by("currency")
    )


def _live_per_pack(company: Company) -> list[dict]:
    """Live subscriptions per pack and status. Counted by (pack_id, status) alone, which the index
    (company, pack, status) answers without visiting the table; grouping by the pack's columns
    (its JSON translations among them) made PostgreSQL join and hash 20,000 wide rows."""
    counts = (
        Subscription.objects.for_company(company)
        .filter(status__in=LIVE_STATUSES)
        .values_list("pack_id", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    per_pack: dict[int, dict] = {}
    keys = {
        SubscriptionStatus.ACTIVE: "active",
        SubscriptionStatus.AWAITING_VERIFICATION: "waiting",
        SubscriptionStatus.ACTIVATION_PENDING: "pending",
        SubscriptionStatus.ACTIVATION_FAILED: "failed",
    }
    for pack_id, status, n in counts:
        row = per_pack.setdefault(pack_id, {"total": 0, "active": 0, "waiting": 0, "pending": 0, "failed": 0})
        row["total"] += n
        row[keys[status]] += n
    if not per_pack:
        return []
    language = (get_language() or "en")[:2]
    rows = []
    for pack in Pack.objects.filter(pk__in=per_pack).values(
        "id", "code", "name", "translations", "sort_order"
    ):
        rows.append(
            {
                "pack__code": pack["code"],
                "pack__name": pack["name"],
                "pack__translations": pack["translations"],
                "pack__sort_order": pack["sort_order"],
                **per_pack[pack["id"]],
                "name": (pack["translations"].get(language) or {}).get("name") or pack["name"],
            }
        )
    return sorted(rows, key=lambda row: (row["pack__sort_order"], row["pack__code"]))


DASHBOARD_VEHICLE_STATES = (
    VerificationStatus.VERIFIED,
    VerificationStatus.UNVERIFIED,
    VerificationStatus.REJECTED,
)
TRIAL_WINDOWS_DAYS = (30, 60, 90)


def dashboard(company: Company) -> dict:
    """The figures of the portal's home, in a handful of aggregate queries."""
    vehicles_by_state = dict(
        # COUNT(*), not COUNT(id): the index (company, verification_status) then answers alone
        # (an index-only scan) instead of visiting every van's row.
        Vehicle.objects.for_company(company)
        .values_list("verification_status")
        .annotate(n=Count("*"))
        .order_by()
    )
    live_per_pack = _live_per_pack(company)
    return {
        "vehicles_by_state": {state: vehicles_by_state.get(state, 0) for state in DASHBOARD_VEHICLE_STATES},
        "vehicle_states": [
            {"state": state, "label": state.label, "count": vehicles_by_state.get(state, 0)}
            for state in DASHBOARD_VEHICLE_STATES
        ],
        "vehicle_count": sum(vehicles_by_state.values()),
        "live_per_pack": live_per_pack,
        "trials": _trials_ending(company),
        "failed": _recent_failures(company),
        "failed_count": sum(row["failed"] for row in live_per_pack),
    }


def _trials_ending(company: Company) -> dict[str, int]:
    """How many live subscriptions end their welcome offer within 30, 60 and 90 days (one query).
    Only the trials ending within the longest window are read, through the index (company,
    trial_ends_at, status) alone, not every live subscription of the company."""
    today = timezone.localdate()
    trials = Subscription.objects.for_company(company).filter(
        status__in=LIVE_STATUSES,
        trial_ends_at__gte=today,
        trial_ends_at__lte=today + datetime.timedelta(days=max(TRIAL_WINDOWS_DAYS)),
    )
    return trials.aggregate(
        **{
            f"d{days}": Count("trial_ends_at", filter=Q(trial_ends_at__lte=today + datetime.timedelta(days)))
            for days in TRIAL_WINDOWS_DAYS
        }
    )


def _recent_failures(company: Company, limit: int = 5) -> list[Subscription]:
    """The latest failures, read in order from the index (company, status, updated_at)."""
    return list(
        Subscription.objects.for_company(company)
        .filter(status=SubscriptionStatus.ACTIVATION_FAILED)
        .select_related("vehicle", "pack")
        .order_by("-updated_at")[:limit]
    )


def pack_price(*, pack: Pack, country: str) -> Price | None:
    return Price.objects.filter(pack=pack, country=country).first()


@dataclass
class OrderLine:
    vehicle: Vehicle
    fit: PackFit
    live: bool = False


def live_packs_by_vehicle(vehicles: list[Vehicle]) -> dict[int, list[Subscription]]:
    """What each van already has: its live subscriptions (pack loaded) by vehicle id, for the
    review step of an order. One query whatever the number of vans."""
    held: dict[int, list[Subscription]] = {vehicle.pk: [] for vehicle in vehicles}
    for subscription in (
        Subscription.objects.filter(vehicle__in=vehicles, status__in=LIVE_STATUSES)
        .select_related("pack")
        .order_by("pack__sort_order", "pk")
    ):
        held[subscription.vehicle_id].append(subscription)
    return held


def review_lines(quote) -> list[dict]:
    """The review step's rows of an order quote (packs.services.OrderQuote): per van, the services
    the pack adds there and the live subscriptions it already has. Shared by the Retail page and
    the Retail API."""
    held = live_packs_by_vehicle([line.vehicle for line in quote.lines])
    return [
        {"vehicle": line.vehicle, "services": line.fit.services, "held": held.get(line.vehicle.pk, [])}
        for line in quote.lines
    ]


def order_lines(*, pack: Pack, vehicles: list[Vehicle]) -> list[OrderLine]:
    """For each van: how `pack` fits it and whether it already has the pack live. The purchase page
    shows these lines and `order_quote` refuses on them, so both judge a van the same way.
    Two queries whatever the number of vans (prefetch `pack.services`)."""
    live = set(
        Subscription.objects.filter(vehicle__in=vehicles, pack=pack, status__in=LIVE_STATUSES).values_list(
            "vehicle_id", flat=True
        )
    )
    return [
        OrderLine(vehicle=vehicle, fit=pack_fit(pack=pack, vehicle=vehicle), live=vehicle.pk in live)
        for vehicle in vehicles
    ]


def blockers_by_subscription(company: Company, subscriptions) -> dict[int, list[str]]:
    """Blockers for each waiting subscription, with the company's side looked up once (and no
    query at all when none is waiting)."""
    if not any(s.status == SubscriptionStatus.AWAITING_VERIFICATION for s in subscriptions):
        return {}
    company_side = company_blockers(company)
    return {
        s.pk: company_side + vehicle_blockers(s.vehicle)
        for s in subscriptions
        if s.status == SubscriptionStatus.AWAITING_VERIFICATION
    }


def dashboard_hints(company: Company, stats: dict) -> list[str]:
    """What the company still has to get done before its services run (dashboard notices)."""
    hints = company_blockers(company, primary_admin(company), admin_known=True)
    unverified = stats["vehicles_by_state"][VerificationStatus.UNVERIFIED]
    if unverified:
        hints.append(
            ngettext(
                "%(count)s vehicle still needs the dealer's check of its registration document.",
                "%(count)s vehicles still need the dealer's check of their registration documents.",
                unverified,
            )
            % {"count": unverified}
        )
    waiting = sum(row["waiting"] for row in stats["live_per_pack"])
    if hints and waiting:
        hints.append(
            ngettext(
                "%(count)s subscription waits for these checks: bring your ID and the vehicle "
                "registration documents to your dealer, who verifies them on the dealer site.",
                "%(count)s subscriptions wait for these checks: bring your ID and the vehicle "
                "registration documents to your dealer, who verifies them on the dealer site.",
                waiting,
            )
            % {"count": waiting}
        )
    return hints


def dashboard_scales(stats: dict) -> dict:
    """The maxima the dashboard's bars are drawn against (at least 1: no division by zero)."""
    return {
        "bar_top": max([stats["vehicle_count"], *[row["total"] for row in stats["live_per_pack"]], 1]),
        "trial_top": max([*stats["trials"].values(), 1]),
        "trial_windows": [(days, stats["trials"][f"d{days}"] or 0) for days in TRIAL_WINDOWS_DAYS],
    }


def driven_vehicle(company: Company, driver) -> tuple[Vehicle | None, list[Subscription]]:
    """The van `driver` drives in the company, and its active subscriptions (a driver's home)."""
    vehicle = Vehicle.objects.for_company(company).filter(driver=driver).first()
    if vehicle is None:
        return None, []
    subscriptions = (
        Subscription.objects.for_company(company)
        .filter(vehicle=vehicle, status=SubscriptionStatus.ACTIVE)
        .select_related("pack")
    )
    return vehicle, list(subscriptions)


# --- the one gate for connected services -------------------------------------------------------
# API-CONNECTED.md: a service is live on a van when the van has an `active` subscription whose pack
# contains it (the connect-complete bundle contains each of its services). A service the van cannot
# run (eCharging on a combustion van) is never live on it, bundle or not. Every page, endpoint and
# task of the connected-service apps asks here.
#
# Which packs carry a service and which fuels it runs on are read on every fleet page and
# endpoint: each process keeps the answer for CATALOGUE_CACHE_SECONDS and forgets it at once when a
# Service or Pack is saved or deleted, or a pack's services change, in it (packs.apps). The
# catalogue changes only through migrations and the admin; other processes follow within those
# seconds. The gate filters subscriptions by those pack ids: PostgreSQL then estimates how many
# subscriptions are live from the subscription table's own statistics and probes each van's row
# by index (GET /fleet/status, 50,000 vans: 0.3 ms in the database where the join through the
# pack's services misled it into aggregating every live subscription first, 57 ms).
_catalogue_cache: dict[str, tuple[float, tuple[list[str], list[int]]]] = {}


def _service_facts(code: str) -> tuple[list[str], list[int]]:
    """(the fuels service `code` runs on, the ids of the packs that contain it)."""
    from .models import Pack

    now = time.monotonic()
    cached = _catalogue_cache.get(code)
    if cached is not None and cached[0] > now:
        return cached[1]
    # One query: the packs that contain the service, each row with the service's fuels.
    rows = list(Pack.objects.filter(services__code=code).values_list("id", "services__fuels"))
    pack_ids = sorted({pack_id for pack_id, _fuels in rows})
    fuels = (rows[0][1] or []) if rows else []
    if settings.CATALOGUE_CACHE_SECONDS > 0:
        _catalogue_cache[code] = (now + settings.CATALOGUE_CACHE_SECONDS, (fuels, pack_ids))
    return fuels, pack_ids


def forget_catalogue(**kwargs) -> None:
    """Receiver of Service's and Pack's post_save / post_delete and of a pack's services changing:
    the next read asks the database."""
    _catalogue_cache.clear()


def live_service_subscriptions(code: str) -> QuerySet[Subscription]:
    """Active subscriptions that carry service `code` on a van able to run it."""
    fuels, pack_ids = _service_facts(code)
    qs = Subscription.objects.filter(status=SubscriptionStatus.ACTIVE, pack_id__in=pack_ids)
    if fuels:
        qs = qs.filter(vehicle__fuel__in=fuels)
    return qs


def service_live(vehicle: Vehicle, code: str) -> bool:
    """Is service `code` live on this van? (One query.)"""
    return live_service_subscriptions(code).filter(vehicle=vehicle).exists()


def vehicles_with_live_service(code: str, vehicle_ids=None) -> set[int]:
    """The ids among `vehicle_ids` (all vans when None) on which `code` is live, in one query."""
    qs = live_service_subscriptions(code)
    if vehicle_ids is not None:
        qs = qs.filter(vehicle_id__in=among(vehicle_ids))  # a reporting batch: 2,000 ids
    return set(qs.values_list("vehicle_id", flat=True).distinct())


def live_service_exists(code: str, vehicle_ref: str = "vehicle_id"):
    """An Exists() to filter or annotate another queryset (the fleet of 50,000 vans) by the gate,
    without loading ids into Python: `.filter(live_service_exists("fleet-management"))`."""
    from django.db.models import Exists, OuterRef

    return Exists(live_service_subscriptions(code).filter(vehicle_id=OuterRef(vehicle_ref)))


def packs_with_service(company: Company, code: str) -> list[Pack]:
    """What to book to get service `code`: the packs sold in the company's country that contain it."""
    return [
        pack
        for pack in catalogue_for_company(company)
        if pack.local_price is not None and any(s.code == code for s in pack.services.all())
    ]


def live_connected_service_exists(vehicle_ref: str = "vehicle_id"):
    """An Exists(): the van has at least one live service that runs on the communication module,
    so its module reports (the reporting round's gate)."""
    from django.db.models import Exists, OuterRef

    return Exists(
        Subscription.objects.filter(
            status=SubscriptionStatus.ACTIVE,
            pack__services__requires_module=True,
            vehicle_id=OuterRef(vehicle_ref),
        )
    )
