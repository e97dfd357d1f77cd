"""Service packs: every write and business rule of buying, activating and ending subscriptions.

The portal pages, the REST API, the Retail site (dealer staff acting for a customer) and the
Celery tasks all call these functions. Each write runs in one transaction, records its AuditEvent
and enqueues its tasks on commit.

Life of a subscription:
    awaiting_verification ──(company, primary administrator and vehicle verified)──▶ activation_pending
    activation_pending ──(task: backend says yes)──▶ active
                       ──(task: permanent error, or transient errors past the retry cap)──▶ activation_failed
    activation_failed ──(retry)──▶ activation_pending
    any live status ──(cancel)──▶ cancelled          (deactivation runs as a task)
    a live subscription with notice given ──(daily task, after its end date)──▶ expired
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, ngettext

from companies.audit import Actor, record, record_many
from companies.models import Company, Membership, Role, TermsAcceptance, TermsDocument
from companies.selectors import primary_admin
from mpro.errors import ConflictError, DomainError, FieldErrors
from users.models import VerificationStatus
from vehicles.models import Fuel, ModuleStatus, Vehicle
from vehicles.telematics import PermanentTelematicsError, TransientTelematicsError, get_backend, has_module

from .models import LIVE_STATUSES, Order, Pack, Price, Service, Subscription, SubscriptionStatus

if TYPE_CHECKING:
    from users.models import User

logger = logging.getLogger(__name__)

S = SubscriptionStatus
TRIAL_REMINDER_DAYS = 30
MAX_ORDER_VEHICLES = 5000


class NotFoundError(DomainError):
    """404: something named in the request is not the caller's (or does not exist)."""

    status_code = 404
    default_code = "not_found"


# --- compatibility ----------------------------------------------------------------------------
def vehicle_has_module(vehicle: Vehicle) -> bool:
    """What we know of the van's communication module: the backend's last answer, else the VIN rule."""
    if vehicle.module_status == ModuleStatus.ABSENT:
        return False
    if vehicle.module_status in (ModuleStatus.ACTIVE, ModuleStatus.INACTIVE):
        return True
    return has_module(vehicle.vin)


def service_compatibility(*, service: Service, vehicle: Vehicle) -> list[str]:
    """Why `service` cannot run on `vehicle` (empty: it can)."""
    reasons = []
    if service.requires_module and not vehicle_has_module(vehicle):
        reasons.append(gettext("The van has no communication module."))
    if service.fuels and vehicle.fuel not in service.fuels:
        if vehicle.fuel == Fuel.UNKNOWN:
            reasons.append(
                gettext("%(service)s: the van's drive type is not known.") % {"service": service.local_name}
            )
        elif service.fuels == [Fuel.ELECTRIC]:
            reasons.append(
                gettext("%(service)s is for electric vans only.") % {"service": service.local_name}
            )
        else:
            reasons.append(
                gettext("%(service)s does not work with this drive type.") % {"service": service.local_name}
            )
    families = {f.lower() for f in service.model_families}
    if families and (vehicle.model_family or "").lower() not in families:
        if not vehicle.model_family:
            reasons.append(
                gettext("%(service)s: the van's model is not known.") % {"service": service.local_name}
            )
        else:
            reasons.append(
                gettext("%(service)s is not available for the %(model)s.")
                % {"service": service.local_name, "model": vehicle.model_family}
            )
    return reasons


@dataclass
class PackFit:
    """How a pack fits one van: the services it would run there and what is left out, and why."""

    services: list[Service] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not self.reasons


def pack_fit(*, pack: Pack, vehicle: Vehicle) -> PackFit:
    """A single-service pack needs its service to fit. A bundle fits when at least one of its services
    does; the others are left out for that van (eCharging on a diesel van, for example). A van
    without a communication module fits nothing. Uses `pack.services.all()` (prefetch it for lists)."""
    fit = PackFit()
    services = list(pack.services.all())
    if any(s.requires_module for s in services) and not vehicle_has_module(vehicle):
        fit.reasons = [
            gettext("The van has no communication module, so connected services cannot run on it.")
        ]
        return fit
    per_service = [(s, service_compatibility(service=s, vehicle=vehicle)) for s in services]
    fit.services = [s for s, reasons in per_service if not reasons]
    problems = [reason for _s, reasons in per_service for reason in reasons]
    if pack.is_bundle and fit.services:
        fit.left_out = problems
    elif problems or not services:
        fit.services = []
        fit.reasons = problems or [gettext("This pack contains no service.")]
    return fit


def pack_compatibility(*, pack: Pack, vehicle: Vehicle) -> list[str]:
    """Why `pack` cannot be bought for `vehicle` (empty list: compatible)."""
    return pack_fit(pack=pack, vehicle=vehicle).reasons


# --- verification -----------------------------------------------------------------------------
def company_blockers(company: Company, admin: User | None = None, *, admin_known: bool = False) -> list[str]:
    """What the dealer must still verify on the company's side (company and primary administrator)."""
    blockers = []
    if company.verification_status != VerificationStatus.VERIFIED:
        if company.verification_status == VerificationStatus.REJECTED:
            blockers.append(gettext("The dealer rejected the company's details."))
        else:
            blockers.append(gettext("The dealer has not verified the company yet."))
    if not admin_known:
        admin = primary_admin(company)
    if admin is None or admin.verification_status != VerificationStatus.VERIFIED:
        blockers.append(gettext("The dealer has not verified the company administrator's identity yet."))
    return blockers


def vehicle_blockers(vehicle: Vehicle) -> list[str]:
    if vehicle.verification_status == VerificationStatus.REJECTED:
        return [gettext("The dealer rejected the vehicle %(vin)s.") % {"vin": vehicle.vin}]
    if vehicle.verification_status != VerificationStatus.VERIFIED:
        return [gettext("The dealer has not verified the vehicle %(vin)s yet.") % {"vin": vehicle.vin}]
    return []


def activation_blockers(*, vehicle: Vehicle) -> list[str]:
    """What is still missing before `vehicle`'s subscriptions can activate (translated texts)."""
    return company_blockers(vehicle.company) + vehicle_blockers(vehicle)


# --- enqueueing -------------------------------------------------------------------------------
def _enqueue(task, ids: list) -> None:
    """Publishes one message per subscription over a single broker connection (mass activation
    of thousands of subscriptions must not open a connection per message)."""
    if not ids:
        return
    from mpro.celery import app

    if app.conf.task_always_eager:
        for pk in ids:
            task.apply_async((pk,))
        return
    with app.producer_or_acquire() as producer:
        for pk in ids:
            task.apply_async((pk,), producer=producer)


ACTIVATION_CHUNK = 25


def _enqueue_activations(ids: list[int]) -> None:
    """One subscription: one task. Many (a dealer verifying a whole fleet): chunks of 25 per
    message, which cuts the broker traffic of a mass activation by that factor; each subscription
    still activates in its own transaction and retries on its own (see tasks.py)."""
    from .tasks import subscription_activate, subscriptions_activate

    if len(ids) == 1:
        _enqueue(subscription_activate, ids)
    else:
        _enqueue(
            subscriptions_activate,
            [ids[i : i + ACTIVATION_CHUNK] for i in range(0, len(ids), ACTIVATION_CHUNK)],
        )


def _enqueue_deactivations(ids: list[int]) -> None:
    from .tasks import subscription_deactivate as task

    _enqueue(task, ids)


# --- ordering ---------------------------------------------------------------------------------
def pack_price(*, pack: Pack, country: str) -> Price | None:
    return Price.objects.filter(pack=pack, country=country).first()


def trial_end(price: Price, start: datetime.date) -> datetime.date | None:
    """The last free day of the welcome offer, or None when the price has none."""
    if not price.trial_months:
        return None
    return start + relativedelta(months=price.trial_months) - datetime.timedelta(days=1)


def has_accepted_pack_terms(user) -> bool:
    return TermsAcceptance.objects.filter(
        user=user, document=TermsDocument.PACK_TERMS, version=settings.PACK_TERMS_VERSION
    ).exists()


def _company_accepted_pack_terms(company: Company) -> bool:
    return TermsAcceptance.objects.filter(
        user__membership__company=company,
        user__membership__role=Role.ADMIN,
        document=TermsDocument.PACK_TERMS,
        version=settings.PACK_TERMS_VERSION,
    ).exists()


def _normalize_vins(vins) -> list[str]:
    if isinstance(vins, str) or not isinstance(vins, list | tuple):
        raise DomainError(gettext_lazy("Give a list of VINs."), field="vehicles")
    cleaned, seen, duplicates = [], set(), []
    for raw in vins:
        if not isinstance(raw, str) or not raw.strip():
            raise DomainError(gettext_lazy("Every vehicle must be given by its VIN."), field="vehicles")
        vin = "".join(raw.split()).upper()
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
        if not _company_accepted_pack_terms(company):
            raise DomainError(
                gettext_lazy(
                    "The company's administrator has not accepted the service pack terms yet; they "
                    "can do so in the portal or when finishing the registration."
                ),
                field="accept_terms",
                code="pack_terms_required",
            )
        return
    if has_accepted_pack_terms(user):
        return
    if not accept_pack_terms:
        raise DomainError(
            gettext_lazy("Accept the service pack terms to place the order."),
            field="accept_terms",
            code="pack_terms_required",
        )
    TermsAcceptance.objects.get_or_create(
        user=user, document=TermsDocument.PACK_TERMS, version=settings.PACK_TERMS_VERSION
    )
    record(
        actor=actor,
        company=company,
        action="terms.accepted",
        target=user.email,
        details={"document": TermsDocument.PACK_TERMS, "version": settings.PACK_TERMS_VERSION},
    )


@dataclass
class OrderLine:
    vehicle: Vehicle
    fit: PackFit
    live: bool = False


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


def order_quote(
    *, company: Company, pack_code: str, vins: list[str], today: datetime.date | None = None
) -> OrderQuote:
    """Checks an order without writing anything: pack, price, vehicles, compatibility, duplicates.

    Raises DomainError (400) for bad input, NotFoundError (404) for a VIN that is not the
    company's, FieldErrors naming each incompatible vehicle, ConflictError `already_subscribed`."""
    pack = (
        Pack.objects.prefetch_related("services")
        .filter(code=str(pack_code or "").strip(), is_active=True)
        .first()
    )
    if pack is None:
        raise DomainError(gettext_lazy("There is no such pack."), field="pack", code="unknown_pack")
    vins = _normalize_vins(vins)
    price = pack_price(pack=pack, country=company.country)
    if price is None:
        raise DomainError(
            gettext_lazy("This pack is not sold in your company's country; please ask your dealer."),
            field="pack",
            code="price_missing",
        )
    vehicles = {v.vin: v for v in Vehicle.objects.for_company(company).filter(vin__in=vins)}
    missing = [vin for vin in vins if vin not in vehicles]
    if missing:
        raise NotFoundError(
            gettext("Not in your fleet: %(vins)s.") % {"vins": ", ".join(missing)}, field="vehicles"
        )
    lines = order_lines(pack=pack, vehicles=[vehicles[vin] for vin in vins])
    live = {line.vehicle.vin for line in lines if line.live}
    incompatible = [
        gettext("%(vin)s: %(reasons)s") % {"vin": line.vehicle.vin, "reasons": " ".join(line.fit.reasons)}
        for line in lines
        if not line.fit.fits
    ]
    if incompatible:
        raise FieldErrors({"vehicles": incompatible})
    if live:
        raise _already_subscribed(pack, sorted(live))
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
        placed_by_name = actor.name
        if actor.is_staff and actor.dealer is not None:
            placed_by_name = f"{actor.name} ({actor.dealer.name})"
        order = Order.objects.create(
            company=company,
            pack=quote.pack,
            placed_by=actor.user,
            placed_by_name=placed_by_name,
            currency=quote.currency,
            total=quote.total,
            contract_generation=generation,
            pack_terms_version=settings.PACK_TERMS_VERSION,
        )
        try:
            with transaction.atomic():
                Subscription.objects.bulk_create(
                    [
                        Subscription(
                            order=order,
                            company=company,
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
            # Another order raced past the check in order_quote: the database's
            # one-live-subscription-per-vehicle-and-pack constraint decides, and nothing is bought.
            raise ConflictError(
                gettext("At least one of these vehicles already has %(pack)s.")
                % {"pack": quote.pack.local_name},
                code="already_subscribed",
            ) from None
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
        subscriptions_release(company=company, vehicles=[line.vehicle for line in quote.lines], actor=actor)
    return order


# --- activation -------------------------------------------------------------------------------
def subscriptions_release(*, company: Company, vehicles=None, actor: Actor) -> int:
    """Moves the company's `awaiting_verification` subscriptions whose company, primary administrator
    and vehicle are verified to `activation_pending`, and enqueues their activation after commit.
    Returns how many moved. Safe to call at any time (after each verification, after an order)."""
    company = Company.objects.get(pk=company.pk)
    if company_blockers(company):
        return 0
    with transaction.atomic():
        waiting = Subscription.objects.for_company(company).filter(
            status=S.AWAITING_VERIFICATION,
            vehicle__verification_status=VerificationStatus.VERIFIED,
        )
        if vehicles is not None:
            waiting = waiting.filter(vehicle__in=[v.pk if isinstance(v, Vehicle) else v for v in vehicles])
        ids = list(waiting.values_list("pk", flat=True))
        if not ids:
            return 0
        # Conditional update: a concurrent release of the same rows moves (and enqueues) them once.
        moved_ids = []
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            claimed = list(
                Subscription.objects.select_for_update(skip_locked=True)
                .filter(pk__in=chunk, status=S.AWAITING_VERIFICATION)
                .values_list("pk", flat=True)
            )
            Subscription.objects.filter(pk__in=claimed, status=S.AWAITING_VERIFICATION).update(
                status=S.ACTIVATION_PENDING, activation_requested_at=timezone.now(), updated_at=timezone.now()
            )
            moved_ids += claimed
        if moved_ids:
            record(
                actor=actor,
                company=company,
                action="subscriptions.released",
                target=company.pro_id,
                details={"count": len(moved_ids)},
            )
            transaction.on_commit(lambda: _enqueue_activations(moved_ids))
    return len(moved_ids)


def _reason_text(message) -> str:
    """Failure reasons are stored as their English source text and translated when shown."""
    with translation.override("en"):
        return str(message)[:300]


def _lock(subscription_id: int) -> Subscription | None:
    return (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("vehicle", "company", "pack")
        .filter(pk=subscription_id)
        .first()
    )


class ActivationContext:
    """What a batch of activations shares: each company's side of the verification and each
    pack's services, looked up once per batch instead of once per subscription."""

    def __init__(self):
        self._company_blockers: dict[int, list[str]] = {}
        self._packs: dict[int, Pack] = {}

    def company_blockers(self, company: Company) -> list[str]:
        if company.pk not in self._company_blockers:
            self._company_blockers[company.pk] = company_blockers(company)
        return self._company_blockers[company.pk]

    def pack(self, pack_id: int) -> Pack:
        if pack_id not in self._packs:
            self._packs[pack_id] = Pack.objects.prefetch_related("services").get(pk=pack_id)
        return self._packs[pack_id]


def subscription_activate(
    *, subscription_id: int, actor: Actor, context: ActivationContext | None = None
) -> str:
    """Activates one subscription through the telematics backend. Called by the tasks.

    The row stays locked for the backend call, so a second delivery of the same task waits and
    then finds nothing to do; the backend deduplicates by the subscription's stable request id, so a
    call repeated after a crash activates once. Returns "active", "failed", "retry" (a transient
    error: the caller schedules another attempt), "waiting" (verification withdrawn) or "skipped"."""
    with transaction.atomic():
        sub = _lock(subscription_id)
        if sub is None or sub.status != S.ACTIVATION_PENDING:
            return "skipped"
        vehicle = sub.vehicle
        context = context or ActivationContext()
        if context.company_blockers(sub.company) or vehicle_blockers(vehicle):
            sub.status = S.AWAITING_VERIFICATION
            sub.save(update_fields=["status", "updated_at"])
            return "waiting"
        with translation.override("en"):  # a failure reason is stored in English (see _reason_text)
            fit = pack_fit(pack=context.pack(sub.pack_id), vehicle=vehicle)
        sub.attempts += 1
        try:
            if not fit.fits:
                raise PermanentTelematicsError(fit.reasons[0])
            get_backend().activate(
                vehicle.vin,
                [s.code for s in fit.services],
                request_id=sub.activation_request_id,
                attempt=sub.attempts,
            )
        except TransientTelematicsError as error:
            sub.failure_reason = _reason_text(error.message)
            sub.save(update_fields=["attempts", "failure_reason", "updated_at"])
            return "retry"
        except PermanentTelematicsError as error:
            sub.status = S.ACTIVATION_FAILED
            sub.failure_reason = _reason_text(error.message)
            sub.save(update_fields=["status", "attempts", "failure_reason", "updated_at"])
            if not has_module(vehicle.vin) and vehicle.module_status != ModuleStatus.ABSENT:
                Vehicle.objects.filter(pk=vehicle.pk).update(module_status=ModuleStatus.ABSENT)
            record(
                actor=actor,
                company=sub.company,
                action="subscription.activation_failed",
                target=vehicle.vin,
                details={"subscription": sub.pk, "pack": sub.pack.code, "reason": sub.failure_reason},
            )
            return "failed"
        sub.status = S.ACTIVE
        sub.activated_at = timezone.now()
        sub.failure_reason = ""
        sub.save(update_fields=["status", "attempts", "activated_at", "failure_reason", "updated_at"])
        record(
            actor=actor,
            company=sub.company,
            action="subscription.activated",
            target=vehicle.vin,
            details={
                "subscription": sub.pk,
                "pack": sub.pack.code,
                "services": [s.code for s in fit.services],
            },
        )
        # The first activation switches the van's communication module on.
        if (
            Vehicle.objects.filter(pk=vehicle.pk)
            .exclude(module_status=ModuleStatus.ACTIVE)
            .update(module_status=ModuleStatus.ACTIVE)
        ):
            record(actor=actor, company=sub.company, action="vehicle.module_activated", target=vehicle.vin)
    return "active"


def subscription_activation_give_up(*, subscription_id: int, actor: Actor) -> bool:
    """After the last retry: the subscription fails with the last transient reason."""
    with transaction.atomic():
        sub = _lock(subscription_id)
        if sub is None or sub.status != S.ACTIVATION_PENDING:
            return False
        sub.status = S.ACTIVATION_FAILED
        sub.failure_reason = _reason_text(
            gettext_lazy(
                "The vehicle did not answer after several attempts. Make sure it is in mobile coverage and try again."
            )
        )
        sub.save(update_fields=["status", "failure_reason", "updated_at"])
        record(
            actor=actor,
            company=sub.company,
            action="subscription.activation_failed",
            target=sub.vehicle.vin,
            details={"subscription": sub.pk, "pack": sub.pack.code, "reason": sub.failure_reason},
        )
    return True


def subscription_retry(*, subscription: Subscription, actor: Actor) -> Subscription:
    """Tries a failed activation again (only from `activation_failed`)."""
    with transaction.atomic():
        sub = _lock(subscription.pk)
        if sub is None or sub.status != S.ACTIVATION_FAILED:
            raise ConflictError(
                gettext_lazy("Only a failed activation can be tried again."), code="not_failed"
            )
        blocked = company_blockers(sub.company) or vehicle_blockers(sub.vehicle)
        sub.status = S.AWAITING_VERIFICATION if blocked else S.ACTIVATION_PENDING
        sub.failure_reason = ""
        sub.activation_requested_at = timezone.now()
        sub.save(update_fields=["status", "failure_reason", "activation_requested_at", "updated_at"])
        record(
            actor=actor,
            company=sub.company,
            action="subscription.retried",
            target=sub.vehicle.vin,
            details={"subscription": sub.pk, "pack": sub.pack.code},
        )
        if not blocked:
            pk = sub.pk
            transaction.on_commit(lambda: _enqueue_activations([pk]))
    return sub


# --- ending -----------------------------------------------------------------------------------
def current_period_end(sub: Subscription, today: datetime.date | None = None) -> datetime.date:
    """The last day of what is already granted: the welcome offer, else the current paid year."""
    today = today or timezone.localdate()
    if sub.trial_ends_at and sub.trial_ends_at >= today:
        return sub.trial_ends_at
    if sub.paid_until and sub.paid_until >= today:
        return sub.paid_until
    start = sub.paid_from or today
    end = start + relativedelta(years=1) - datetime.timedelta(days=1)
    while end < today:
        end += relativedelta(years=1)
    return end


def _end(sub: Subscription, *, status: str, actor: Actor, action: str, details: dict) -> bool:
    """Ends a locked live subscription; returns whether a deactivation must follow."""
    was = sub.status
    sub.status = status
    sub.cancelled_at = timezone.now() if status == S.CANCELLED else sub.cancelled_at
    sub.save(update_fields=["status", "cancelled_at", "updated_at"])
    record(
        actor=actor,
        company=sub.company,
        action=action,
        target=sub.vehicle.vin,
        details={"subscription": sub.pk, "pack": sub.pack.code, "was": was, **details},
    )
    return was in (S.ACTIVE, S.ACTIVATION_PENDING) or sub.activated_at is not None


def subscription_cancel(
    *, subscription: Subscription, actor: Actor, at_period_end: bool = False
) -> Subscription:
    """Cancels a live subscription: at once (services switch off through a task), or, with
    `at_period_end`, at the end of the welcome offer or paid year (the daily task expires it then)."""
    with transaction.atomic():
        sub = _lock(subscription.pk)
        if sub is None or not sub.is_live:
            raise ConflictError(gettext_lazy("This subscription has already ended."), code="not_live")
        if at_period_end:
            sub.ends_at = current_period_end(sub)
            sub.save(update_fields=["ends_at", "updated_at"])
            record(
                actor=actor,
                company=sub.company,
                action="subscription.ending_scheduled",
                target=sub.vehicle.vin,
                details={"subscription": sub.pk, "pack": sub.pack.code, "ends_at": sub.ends_at.isoformat()},
            )
            return sub
        if _end(sub, status=S.CANCELLED, actor=actor, action="subscription.cancelled", details={}):
            pk = sub.pk
            transaction.on_commit(lambda: _enqueue_deactivations([pk]))
    return sub


def subscriptions_cancel_for_vehicle(*, vehicle: Vehicle, actor: Actor, reason: str) -> int:
    """Cancels every live subscription of `vehicle` (e.g. before the dealer transfers it)."""
    to_deactivate = []
    with transaction.atomic():
        ids = list(
            Subscription.objects.filter(vehicle=vehicle, status__in=LIVE_STATUSES).values_list(
                "pk", flat=True
            )
        )
        count = 0
        for pk in ids:
            sub = _lock(pk)
            if sub is None or not sub.is_live:
                continue
            count += 1
            if _end(
                sub,
                status=S.CANCELLED,
                actor=actor,
                action="subscription.cancelled",
                details={"reason": reason},
            ):
                to_deactivate.append(pk)
        if to_deactivate:
            transaction.on_commit(lambda: _enqueue_deactivations(to_deactivate))
    return count


def subscription_deactivate(*, subscription_id: int, actor: Actor) -> str:
    """Switches an ended subscription's services off on the van (task). Services that another live
    subscription of the van still needs stay on; the module turns off when nothing is left.
    Returns "done", "retry" or "skipped"."""
    with transaction.atomic():
        sub = _lock(subscription_id)
        if sub is None or sub.is_live or sub.deactivated_at is not None:
            return "skipped"
        vehicle = sub.vehicle
        if sub.activated_at is None:
            sub.deactivated_at = timezone.now()
            sub.save(update_fields=["deactivated_at", "updated_at"])
            return "done"
        still_needed = set(
            Service.objects.filter(
                packs__subscriptions__vehicle=vehicle, packs__subscriptions__status=S.ACTIVE
            ).values_list("code", flat=True)
        )
        codes = [s.code for s in sub.pack.services.all() if s.code not in still_needed]
        try:
            state = get_backend().deactivate(vehicle.vin, codes, request_id=sub.deactivation_request_id)
        except TransientTelematicsError:
            return "retry"
        except PermanentTelematicsError:
            state = None
        sub.deactivated_at = timezone.now()
        sub.save(update_fields=["deactivated_at", "updated_at"])
        if state is not None and not state.active:
            Vehicle.objects.filter(pk=vehicle.pk).update(module_status=ModuleStatus.INACTIVE)
        record(
            actor=actor,
            company=sub.company,
            action="subscription.deactivated",
            target=vehicle.vin,
            details={"subscription": sub.pk, "pack": sub.pack.code, "services": codes},
        )
    return "done"


# --- the daily run ----------------------------------------------------------------------------
def _send_trial_reminders(company_id: int, subscription_ids: list[int]) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    company = Company.objects.get(pk=company_id)
    subs = list(
        Subscription.objects.filter(pk__in=subscription_ids)
        .select_related("vehicle", "pack")
        .order_by("trial_ends_at")
    )
    admins = Membership.objects.for_company(company).filter(role=Role.ADMIN).select_related("user")
    for membership in admins:
        user = membership.user
        with translation.override(user.language or "en"):
            context = {"company": company, "user": user, "subscriptions": subs, "site_url": settings.SITE_URL}
            subject = gettext("[mpro] Welcome offers ending in %(days)s days") % {"days": TRIAL_REMINDER_DAYS}
            body = render_to_string("packs/email/trial_ending.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def subscriptions_daily(*, actor: Actor, today: datetime.date | None = None) -> dict[str, int]:
    """The daily run (Celery beat): reminds administrators 30 days before a welcome offer ends
    (once per subscription), moves subscriptions into their paid period, renews paid years, and
    expires subscriptions whose notice period has ended."""
    today = today or timezone.localdate()
    counts = {"reminded": 0, "paid": 0, "renewed": 0, "expired": 0}
    now = timezone.now()

    # 1. reminders, grouped per company; each subscription claimed with a conditional update.
    due = (
        Subscription.objects.live()
        .filter(
            trial_ends_at__gte=today, trial_ends_at__lte=today + datetime.timedelta(days=TRIAL_REMINDER_DAYS)
        )
        .filter(trial_reminder_sent_at__isnull=True, ends_at__isnull=True)
        .values_list("company_id", "pk")
    )
    per_company: dict[int, list[int]] = {}
    for company_id, pk in due:
        per_company.setdefault(company_id, []).append(pk)
    for company_id, ids in per_company.items():
        with transaction.atomic():
            claimed = list(
                Subscription.objects.select_for_update(skip_locked=True)
                .filter(pk__in=ids, trial_reminder_sent_at__isnull=True)
                .values_list("pk", flat=True)
            )
            if not claimed:
                continue
            Subscription.objects.filter(pk__in=claimed).update(trial_reminder_sent_at=now)
            record(
                actor=actor,
                company=Company(pk=company_id),
                action="subscriptions.trial_reminder_sent",
                details={"count": len(claimed)},
            )
            transaction.on_commit(lambda c=company_id, i=claimed: _send_trial_reminders(c, i))
            counts["reminded"] += len(claimed)

    with transaction.atomic():
        # 2. the welcome offer is over: the first paid year starts.
        entering = Subscription.objects.filter(
            status=S.ACTIVE, paid_until__isnull=True, paid_from__lte=today
        ).filter(Q(ends_at__isnull=True) | Q(ends_at__gte=today))
        # One UPDATE per 1,000 rows instead of one per row: a fleet activated in one go enters its
        # paid period on one day. Each still gets its own audit event, written in bulk too.
        entering = list(entering.select_related("company", "vehicle", "pack"))
        for sub in entering:
            sub.paid_until = sub.paid_from + relativedelta(years=1) - datetime.timedelta(days=1)
            sub.updated_at = now
        Subscription.objects.bulk_update(entering, ["paid_until", "updated_at"], batch_size=1000)
        record_many(
            actor=actor,
            action="subscription.paid_period_started",
            events=[
                (
                    sub.company,
                    sub.vehicle.vin,
                    {"subscription": sub.pk, "pack": sub.pack.code, "paid_until": sub.paid_until.isoformat()},
                )
                for sub in entering
            ],
        )
        counts["paid"] += len(entering)
        # 3. a paid year is over and no notice was given: the next one starts.
        renewing = list(
            Subscription.objects.filter(status=S.ACTIVE, paid_until__lt=today, ends_at__isnull=True).only(
                "pk", "paid_from", "paid_until"
            )
        )
        for sub in renewing:
            while sub.paid_until < today:
                sub.paid_from = sub.paid_until + datetime.timedelta(days=1)
                sub.paid_until = sub.paid_from + relativedelta(years=1) - datetime.timedelta(days=1)
            sub.updated_at = now
        Subscription.objects.bulk_update(renewing, ["paid_from", "paid_until", "updated_at"], batch_size=1000)
        counts["renewed"] += len(renewing)

    # 4. notice given and the period is over: expire and switch the services off.
    ending = list(Subscription.objects.live().filter(ends_at__lt=today).values_list("pk", flat=True))
    to_deactivate = []
    with transaction.atomic():
        for pk in ending:
            sub = _lock(pk)
            if sub is None or not sub.is_live:
                continue
            counts["expired"] += 1
            if _end(sub, status=S.EXPIRED, actor=actor, action="subscription.expired", details={}):
                to_deactivate.append(pk)
        if to_deactivate:
            transaction.on_commit(lambda: _enqueue_deactivations(to_deactivate))
    return counts
