"""Reads of the packs app, scoped to one company, with what each page needs joined in.
Query counts do not depend on the number of rows."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language

from companies.models import Company
from users.models import VerificationStatus
from vehicles.models import Vehicle

from .models import LIVE_STATUSES, Order, Pack, Price, Subscription, SubscriptionStatus

S = SubscriptionStatus


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


def catalogue(company: Company) -> list[Pack]:
    """The catalogue priced for the company's country."""
    return catalogue_for_country(company.country)


def pack_for_company(company: Company, code: str) -> Pack | None:
    for pack in catalogue(company):
        if pack.code == code:
            return pack
    return None


def subscriptions(
    company: Company, *, vehicle: str = "", pack: str = "", status: str = ""
) -> QuerySet[Subscription]:
    qs = Subscription.objects.for_company(company).select_related("vehicle", "pack", "order")
    if vehicle:
        qs = qs.filter(vehicle__vin="".join(vehicle.split()).upper())
    if pack:
        qs = qs.filter(pack__code=pack.strip())
    if status:
        qs = qs.filter(status=status.strip())
    return qs.order_by("-id")


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
            Q(vin__icontains="".join(term.split()).upper())
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


def dashboard(company: Company) -> dict:
    """The figures of the portal's home, in a handful of aggregate queries."""
    today = timezone.localdate()
    vehicles_by_state = dict(
        Vehicle.objects.for_company(company)
        .values_list("verification_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    live_per_pack = list(
        Subscription.objects.for_company(company)
        .filter(status__in=LIVE_STATUSES)
        .values("pack__code", "pack__name", "pack__translations", "pack__sort_order")
        .annotate(
            total=Count("id"),
            active=Count("id", filter=Q(status=S.ACTIVE)),
            waiting=Count("id", filter=Q(status=S.AWAITING_VERIFICATION)),
            pending=Count("id", filter=Q(status=S.ACTIVATION_PENDING)),
            failed=Count("id", filter=Q(status=S.ACTIVATION_FAILED)),
        )
        .order_by("pack__sort_order", "pack__code")
    )
    trials = Subscription.objects.for_company(company).filter(
        status__in=LIVE_STATUSES, trial_ends_at__gte=today
    )
    windows = trials.aggregate(
        **{
            f"d{days}": Count("id", filter=Q(trial_ends_at__lte=today + datetime.timedelta(days=days)))
            for days in (30, 60, 90)
        }
    )
    failed = list(
        Subscription.objects.for_company(company)
        .filter(status=S.ACTIVATION_FAILED)
        .select_related("vehicle", "pack")
        .order_by("-updated_at")[:5]
    )
    failed_count = sum(row["failed"] for row in live_per_pack)
    language = (get_language() or "en")[:2]
    for row in live_per_pack:
        row["name"] = (row["pack__translations"].get(language) or {}).get("name") or row["pack__name"]
    return {
        "vehicles_by_state": {
            state: vehicles_by_state.get(state, 0)
            for state in (
                VerificationStatus.VERIFIED,
                VerificationStatus.UNVERIFIED,
                VerificationStatus.REJECTED,
            )
        },
        "vehicle_states": [
            {"state": state, "label": state.label, "count": vehicles_by_state.get(state, 0)}
            for state in (
                VerificationStatus.VERIFIED,
                VerificationStatus.UNVERIFIED,
                VerificationStatus.REJECTED,
            )
        ],
        "vehicle_count": sum(vehicles_by_state.values()),
        "live_per_pack": live_per_pack,
        "trials": windows,
        "failed": failed,
        "failed_count": failed_count,
    }
