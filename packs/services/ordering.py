"""Ordering a pack: the check of an order (`order_quote`, also the review step) and the order
itself (`order_place`), all or nothing, with the pack terms it is placed under."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from companies.audit import Actor, record
from companies.models import Company, TermsDocument
from companies.selectors import admins_accepted_terms, terms_accepted, terms_version
from companies.services import terms_accept
from mpro import outbox
from mpro.errors import ConflictError, DomainError, FieldErrors
from mpro.statistics import analyze_after_load
from vehicles.models import Vehicle
from vehicles.vin import normalize_vin

from ..models import Order, Pack, Price, Subscription
from ..selectors import OrderLine, order_lines, pack_price
from .activation import subscriptions_release

MAX_ORDER_VEHICLES = 5000


class NotFoundError(DomainError):
    """404: something named in the request is not the caller's (or does not exist)."""

    status_code = 404
    default_code = "not_found"


def trial_end(price: Price, start: datetime.date) -> datetime.date | None:
    """The last free day of the welcome offer, or None when the price has none."""
    if not price.trial_months:
        return None
    return start + relativedelta(months=price.trial_months) - datetime.timedelta(days=1)


def _normalize_vins(vins) -> list[str]:
    if isinstance(vins, str) or not isinstance(vins, list | tuple):
        raise DomainError(gettext_lazy("Give a list of VINs."), field="vehicles")
    cleaned, seen, duplicates = [], set(), []
    for raw in vins:
        if not isinstance(raw, str) or not raw.strip():
            raise DomainError(gettext_lazy("Every vehicle must be given by its VIN."), field="vehicles")
        vin = normalize_vin(raw)
        if vin in seen:
            duplicates.append(vin)
        seen.add(vin)
        cleaned.append(vin)
    if not cleaned:
        raise DomainError(gettext_lazy("Select at least one vehicle."), field="vehicles")
    if len(cleaned) > MAX_ORDER_VEHICLES:
        raise DomainError(
            gettext("One order can cover at most %(max)s vehicles; split the list into several orders.")
            % {"max": MAX_ORDER_VEHICLES},
            field="vehicles",
            code="too_many_vehicles",
        )
    if duplicates:
        raise FieldErrors(
            {"vehicles": [gettext("%(vin)s is listed more than once.") % {"vin": vin} for vin in duplicates]}
        )
    return cleaned


def _ensure_pack_terms(*, company: Company, actor: Actor, accept_pack_terms: bool) -> None:
    user = actor.user
    if actor.is_staff or user is None:
        # Dealer staff cannot accept terms for the customer: an administrator must have done so.
        if not admins_accepted_terms(company, TermsDocument.PACK_TERMS):
            raise DomainError(
                gettext_lazy(
                    "The company's administrator has not accepted the service pack terms yet; they "
                    "can do so in the portal or when finishing the registration."
                ),
                field="accept_terms",
                code="pack_terms_required",
            )
        return
    if terms_accepted(user, TermsDocument.PACK_TERMS):
        return
    if not accept_pack_terms:
        raise DomainError(
            gettext_lazy("Accept the service pack terms to place the order."),
            field="accept_terms",
            code="pack_terms_required",
        )
    terms_accept(user=user, documents=[TermsDocument.PACK_TERMS], actor=actor, company=company)


@dataclass
class OrderQuote:
    """What an order would be: the review step shows it, `order_place` creates it."""

    pack: Pack
    price: Price
    lines: list[OrderLine]
    trial_ends_at: datetime.date | None
    charged_from: datetime.date

    @property
    def total(self) -> Decimal:
        return self.price.amount * len(self.lines)

    @property
    def currency(self) -> str:
        return self.price.currency


def _active_pack(pack_code: str) -> Pack:
    pack = (
        Pack.objects.prefetch_related("services")
        .filter(code=str(pack_code or "").strip(), is_active=True)
        .first()
    )
    if pack is None:
        raise DomainError(gettext_lazy("There is no such pack."), field="pack", code="unknown_pack")
    return pack


def _price_in(pack: Pack, company: Company) -> Price:
    price = pack_price(pack=pack, country=company.country)
    if price is None:
        raise DomainError(
            gettext_lazy("This pack is not sold in your company's country; please ask your dealer."),
            field="pack",
            code="price_missing",
        )
    return price


def _fleet_vehicles(company: Company, vins: list[str]) -> list[Vehicle]:
    """The company's vans in the order given; a VIN that is not the company's is a 404."""
    vehicles = {v.vin: v for v in Vehicle.objects.for_company(company).filter(vin__in=vins)}
    missing = [vin for vin in vins if vin not in vehicles]
    if missing:
        raise NotFoundError(
            gettext("Not in your fleet: %(vins)s.") % {"vins": ", ".join(missing)}, field="vehicles"
        )
    return [vehicles[vin] for vin in vins]


def _refuse_unfit_or_live(pack: Pack, lines: list[OrderLine]) -> None:
    incompatible = [
        gettext("%(vin)s: %(reasons)s") % {"vin": line.vehicle.vin, "reasons": " ".join(line.fit.reasons)}
        for line in lines
        if not line.fit.fits
    ]
    if incompatible:
        raise FieldErrors({"vehicles": incompatible})
    live = {line.vehicle.vin for line in lines if line.live}
    if live:
        raise _already_subscribed(pack, sorted(live))


def order_quote(
    *, company: Company, pack_code: str, vins: list[str], today: datetime.date | None = None
) -> OrderQuote:
    """Checks an order without writing anything: pack, price, vehicles, compatibility, duplicates.

    Raises DomainError (400) for bad input, NotFoundError (404) for a VIN that is not the
    company's, FieldErrors naming each incompatible vehicle, ConflictError `already_subscribed`."""
    pack = _active_pack(pack_code)
    vins = _normalize_vins(vins)
    price = _price_in(pack, company)
    lines = order_lines(pack=pack, vehicles=_fleet_vehicles(company, vins))
    _refuse_unfit_or_live(pack, lines)
    start = today or timezone.localdate()
    trial = trial_end(price, start)
    return OrderQuote(
        pack=pack,
        price=price,
        lines=lines,
        trial_ends_at=trial,
        charged_from=trial + datetime.timedelta(days=1) if trial else start,
    )


def _already_subscribed(pack: Pack, vins: list[str]) -> ConflictError:
    return ConflictError(
        ngettext(
            "%(vins)s already has %(pack)s.",
            "%(vins)s already have %(pack)s.",
            len(vins),
        )
        % {"vins": ", ".join(vins), "pack": pack.local_name},
        code="already_subscribed",
    )


def _create_order(*, company: Company, quote: OrderQuote, actor: Actor, generation: int) -> Order:
    placed_by_name = actor.name
    if actor.is_staff and actor.dealer is not None:
        placed_by_name = f"{actor.name} ({actor.dealer.name})"
    return Order.objects.create(
        company=company,
        pack=quote.pack,
        placed_by=actor.user,
        placed_by_name=placed_by_name,
        currency=quote.currency,
        total=quote.total,
        contract_generation=generation,
        pack_terms_version=terms_version(TermsDocument.PACK_TERMS),
    )


def _create_subscriptions(*, order: Order, quote: OrderQuote, generation: int) -> None:
    """One subscription per van, in one statement. The database's one-live-subscription-per-
    vehicle-and-pack constraint decides an order that raced past the check in order_quote."""
    try:
        with transaction.atomic():
            Subscription.objects.bulk_create(
                [
                    Subscription(
                        order=order,
                        company=order.company,
                        vehicle=line.vehicle,
                        pack=quote.pack,
                        amount=quote.price.amount,
                        currency=quote.currency,
                        trial_ends_at=quote.trial_ends_at,
                        paid_from=quote.charged_from,
                        contract_generation=generation,
                    )
                    for line in quote.lines
                ]
            )
    except IntegrityError:
        raise ConflictError(
            gettext("At least one of these vehicles already has %(pack)s.") % {"pack": quote.pack.local_name},
            code="already_subscribed",
        ) from None
    analyze_after_load(Subscription, len(quote.lines))


def order_terms_check(*, company: Company, actor: Actor) -> None:
    """The pack-terms rule of `order_place`, for a review step by dealer staff (who cannot accept
    the terms for the customer): raises the same refusal before the review is shown."""
    if actor.is_staff or actor.user is None:
        _ensure_pack_terms(company=company, actor=actor, accept_pack_terms=False)


def order_place(
    *, company: Company, pack_code: str, vins: list[str], actor: Actor, accept_pack_terms: bool = False
) -> Order:
    """Buys `pack_code` for the company's vehicles `vins`: one Order, one Subscription per vehicle,
    all or nothing. Subscriptions start `awaiting_verification`; those whose company,
    administrator and vehicle are verified move on to activation at once.

    A customer actor who has not accepted the current pack terms must pass `accept_pack_terms=True`;
    dealer staff can only order once an administrator of the company has accepted them."""
    with transaction.atomic():
        quote = order_quote(company=company, pack_code=pack_code, vins=vins)
        _ensure_pack_terms(company=company, actor=actor, accept_pack_terms=accept_pack_terms)
        generation = Company.objects.values_list("contract_generation", flat=True).get(pk=company.pk)
        order = _create_order(company=company, quote=quote, actor=actor, generation=generation)
        _create_subscriptions(order=order, quote=quote, generation=generation)
        record(
            actor=actor,
            company=company,
            action="order.placed",
            target=quote.pack.code,
            details={
                "order": order.pk,
                "vehicles": [line.vehicle.vin for line in quote.lines][:50],
                "count": len(quote.lines),
                "total": str(quote.total),
                "currency": quote.currency,
                "contract_generation": generation,
            },
        )
        outbox.emit(
            "order.placed",
            company_id=company.pk,
            payload={"order": order.pk, "pro_id": company.pro_id, "pack": quote.pack.code},
        )
        subscriptions_release(company=company, vehicles=[line.vehicle for line in quote.lines], actor=actor)
    return order
