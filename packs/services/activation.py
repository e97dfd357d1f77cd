"""Activation: releasing subscriptions once the dealer verified everything, switching a van's
services on through the telematics backend (called by the tasks), giving up, and retrying."""

from __future__ import annotations

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from companies.audit import Actor, record, record_together
from companies.models import Company
from companies.selectors import company_blockers
from mpro import outbox
from mpro.errors import ConflictError
from users.models import VerificationStatus
from vehicles.models import ModuleStatus, Vehicle
from vehicles.selectors import vehicle_blockers
from vehicles.telematics import PermanentTelematicsError, TransientTelematicsError, get_backend, has_module

from ..eligibility import pack_fit
from ..models import Pack, Subscription, SubscriptionStatus
from .queue import enqueue_activations

logger = logging.getLogger(__name__)


def subscriptions_release(*, company: Company, vehicles=None, actor: Actor) -> int:
    """Moves the company's `awaiting_verification` subscriptions whose company, primary administrator
    and vehicle are verified to `activation_pending`, and enqueues their activation after commit.
    Returns how many moved. Safe to call at any time (after each verification, after an order)."""
    company = Company.objects.get(pk=company.pk)
    if company_blockers(company):
        return 0
    with transaction.atomic():
        waiting = Subscription.objects.for_company(company).filter(
            status=SubscriptionStatus.AWAITING_VERIFICATION,
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
                .filter(pk__in=chunk, status=SubscriptionStatus.AWAITING_VERIFICATION)
                .values_list("pk", flat=True)
            )
            Subscription.objects.filter(
                pk__in=claimed, status=SubscriptionStatus.AWAITING_VERIFICATION
            ).update(
                status=SubscriptionStatus.ACTIVATION_PENDING,
                activation_requested_at=timezone.now(),
                updated_at=timezone.now(),
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
            enqueue_activations(moved_ids, company_id=company.pk)
    return len(moved_ids)


def _reason_text(message) -> str:
    """Failure reasons are stored as their English source text and translated when shown."""
    with translation.override("en"):
        return str(message)[:300]


def lock_subscription(subscription_id: int) -> Subscription | None:
    return (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("vehicle", "company", "pack")
        .filter(pk=subscription_id)
        .first()
    )


@functools.cache
def _lock_statement():
    """The SQL of "this subscription with its van, the subscription's row locked", compiled by
    the ORM once per process (compiling it cost four times its round trip), with the (model,
    attribute) each column fills and the ORM's converters of the columns. Compiled for the
    subscription id 0, which `_lock_with_vehicle` replaces."""
    queryset = Subscription.objects.select_for_update(of=("self",)).select_related("vehicle").filter(pk=0)
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    assert list(params) == [0], params
    columns = [col for col, _sql, _alias in compiler.select]
    converters = compiler.get_converters(columns)
    return sql, [(col.target.model, col.target.attname) for col in columns], converters


def _lock_with_vehicle(subscription_id: int) -> Subscription | None:
    """What `Subscription.objects.select_for_update(of=("self",)).select_related("vehicle")
    .filter(pk=subscription_id).first()` returns, without compiling the query each time."""
    sql, columns, converters = _lock_statement()
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(sql, [subscription_id])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for position, (functions, expression) in converters.items():
        for function in functions:
            row[position] = function(row[position], expression, connection)
    split = sum(1 for model, _name in columns if model is Subscription)
    names = [name for _model, name in columns]
    sub = Subscription.from_db(connection.alias, names[:split], row[:split])
    vehicle = Vehicle.from_db(connection.alias, names[split:], row[split:])
    Subscription.vehicle.field.set_cached_value(sub, vehicle)
    return sub


class ActivationContext:
    """What a batch of activations shares: each company's side of the verification and each
    pack's services, looked up once per batch instead of once per subscription."""

    def __init__(self):
        self._company_blockers: dict[int, list[str]] = {}
        self._companies: dict[int, Company] = {}
        self._packs: dict[int, Pack] = {}

    def lock(self, subscription_id: int) -> Subscription | None:
        """The subscription, its row locked, with its van; its company and pack are the batch's."""
        sub = _lock_with_vehicle(subscription_id)
        if sub is not None:
            if sub.company_id not in self._companies:
                self._companies[sub.company_id] = Company.objects.get(pk=sub.company_id)
            sub.company = self._companies[sub.company_id]
            sub.pack = self.pack(sub.pack_id)
        return sub

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
        # Alone: one query joins the company and the pack. In a batch: they are the batch's.
        sub = context.lock(subscription_id) if context else lock_subscription(subscription_id)
        if sub is None or sub.status != SubscriptionStatus.ACTIVATION_PENDING:
            return "skipped"
        vehicle = sub.vehicle
        context = context or ActivationContext()
        if context.company_blockers(sub.company) or vehicle_blockers(vehicle):
            sub.status = SubscriptionStatus.AWAITING_VERIFICATION
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
            _mark_failed(sub, vehicle, error.message, actor)
            return "failed"
        _mark_active(sub, vehicle, fit, actor)
    return "active"


def _mark_failed(sub: Subscription, vehicle: Vehicle, message, actor: Actor) -> None:
    """The backend refused for good: the subscription fails with the reason, and a van found to
    have no module says so."""
    sub.status = SubscriptionStatus.ACTIVATION_FAILED
    sub.failure_reason = _reason_text(message)
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
    _emit_subscription("subscription.activation_failed", sub, vehicle.vin)


def _mark_active(sub: Subscription, vehicle: Vehicle, fit, actor: Actor) -> None:
    """The backend switched the services on: the subscription is active, and the first activation
    switches the van's communication module on."""
    sub.status = SubscriptionStatus.ACTIVE
    sub.activated_at = timezone.now()
    sub.failure_reason = ""
    sub.save(update_fields=["status", "attempts", "activated_at", "failure_reason", "updated_at"])
    switched_on = (
        Vehicle.objects.filter(pk=vehicle.pk)
        .exclude(module_status=ModuleStatus.ACTIVE)
        .update(module_status=ModuleStatus.ACTIVE)
    )
    details = {"subscription": sub.pk, "pack": sub.pack.code, "services": [s.code for s in fit.services]}
    events = [(sub.company, "subscription.activated", vehicle.vin, details)]
    if switched_on:
        events.append((sub.company, "vehicle.module_activated", vehicle.vin, None))
    record_together(actor=actor, events=events)  # both audit events in one insert, in this order
    _emit_subscription("subscription.activated", sub, vehicle.vin)


def _emit_subscription(kind: str, sub: Subscription, vin: str) -> None:
    outbox.emit(
        kind,
        company_id=sub.company_id,
        payload={
            "subscription": sub.pk,
            "order": sub.order_id,
            "pro_id": sub.company.pro_id,
            "vin": vin,
            "pack": sub.pack.code,
        },
    )


def subscription_activation_give_up(*, subscription_id: int, actor: Actor) -> bool:
    """After the last retry: the subscription fails with the last transient reason."""
    with transaction.atomic():
        sub = lock_subscription(subscription_id)
        if sub is None or sub.status != SubscriptionStatus.ACTIVATION_PENDING:
            return False
        sub.status = SubscriptionStatus.ACTIVATION_FAILED
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
        _emit_subscription("subscription.activation_failed", sub, sub.vehicle.vin)
    return True


def subscription_retry(*, subscription: Subscription, actor: Actor) -> Subscription:
    """Tries a failed activation again (only from `activation_failed`)."""
    with transaction.atomic():
        sub = lock_subscription(subscription.pk)
        if sub is None or sub.status != SubscriptionStatus.ACTIVATION_FAILED:
            raise ConflictError(
                gettext_lazy("Only a failed activation can be tried again."), code="not_failed"
            )
        blocked = company_blockers(sub.company) or vehicle_blockers(sub.vehicle)
        sub.status = (
            SubscriptionStatus.AWAITING_VERIFICATION if blocked else SubscriptionStatus.ACTIVATION_PENDING
        )
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
            enqueue_activations([sub.pk], company_id=sub.company_id)
    return sub


# --- stranded activations (issue 17, item 7) ----------------------------------------------------
def stale_activations(now: datetime.datetime | None = None):
    """`activation_pending` subscriptions nobody touched for settings.ACTIVATION_SWEEP_AFTER
    seconds (an attempt, a retry and the sweeper itself touch `updated_at`): their task was lost
    (a killed worker, a flushed broker) or is stuck behind a long queue. Shown in the admin."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.ACTIVATION_SWEEP_AFTER)
    return Subscription.objects.filter(status=SubscriptionStatus.ACTIVATION_PENDING, updated_at__lt=cutoff)


def activations_requeue(*, ids: list[int] | None = None, now: datetime.datetime | None = None) -> int:
    """Enqueues the activation of stale pending subscriptions again (all of them, up to 1,000 a
    run, or those of `ids`). Harmless when the first task is still coming: the task locks the row
    and acts only on `activation_pending`, and the backend deduplicates by request id. Stale rows
    are touched, so the next sweep leaves them a full period."""
    now = now or timezone.now()
    if ids is None and outbox.stuck(now).exists():
        return 0  # the broker is down: the outbox already holds their tasks, do not pile up more
    with transaction.atomic():
        rows = Subscription.objects.filter(status=SubscriptionStatus.ACTIVATION_PENDING)
        rows = rows.filter(pk__in=ids) if ids is not None else stale_activations(now)
        claimed = list(
            rows.select_for_update(skip_locked=True)
            .order_by("updated_at")
            .values_list("pk", flat=True)[:1000]
        )
        Subscription.objects.filter(pk__in=claimed).update(updated_at=now)
        enqueue_activations(claimed)
    if claimed:
        logger.warning("re-enqueued %d stale activation(s)", len(claimed))
    return len(claimed)
