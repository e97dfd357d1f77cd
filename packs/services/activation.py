"""Activation: releasing subscriptions once the dealer verified everything, switching a van's
services on through the telematics backend (called by the tasks), giving up, and retrying."""

from __future__ import annotations

import datetime
import logging
import time

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


# A chunk's rows stay locked for the backend calls, in one transaction; once its calls have taken
# this long it commits what is done and goes on in a new one, so that a slow backend (300 ms a
# call in production) never holds a chunk's rows for long.
ACTIVATION_HOLD_SECONDS = 1.0


def subscription_activate(*, subscription_id: int, actor: Actor) -> str:
    """One subscription through `subscriptions_activate`: its outcome."""
    return subscriptions_activate(subscription_ids=[subscription_id], actor=actor)[subscription_id]


def subscriptions_activate(*, subscription_ids: list[int], actor: Actor) -> dict[int, str]:
    """Activates these subscriptions through the telematics backend (the tasks call it). Returns
    each id's outcome: "active", "failed", "retry" (a transient error: the caller schedules another
    attempt), "waiting" (a verification was withdrawn) or "skipped" (not pending: done already).

    The pending rows are locked together, in id order, for the backend calls: a second delivery of
    the same task waits, then finds nothing to do. The backend deduplicates by each subscription's
    stable request id, so a call repeated after a crash activates once. What the calls gave is
    written together before the commit: the subscriptions in one statement, the vans' modules,
    every audit event in one insert and the outbox events in one insert per kind. A transaction
    runs calls for at most ACTIVATION_HOLD_SECONDS; the rest of the chunk goes on in the next."""
    outcomes: dict[int, str] = {}
    remaining = list(dict.fromkeys(subscription_ids))
    shared = _Shared()
    while remaining:
        with transaction.atomic():
            subs = list(
                Subscription.objects.select_for_update(of=("self",))
                .select_related("vehicle", "company")
                .filter(pk__in=remaining, status=SubscriptionStatus.ACTIVATION_PENDING)
                .order_by("pk")
            )
            found = {sub.pk for sub in subs}
            outcomes.update({pk: "skipped" for pk in remaining if pk not in found})
            writes = _Writes(actor)
            started = time.monotonic()
            for sub in subs:
                if writes.subs and time.monotonic() - started > ACTIVATION_HOLD_SECONDS:
                    break  # committed below; the rest are locked again by the next transaction
                outcomes[sub.pk] = _attempt(sub, shared, writes)
            writes.save()
        remaining = [pk for pk in remaining if pk not in outcomes]
    return outcomes


class _Shared:
    """What a chunk's subscriptions share: each company's side of the verification and each
    pack with its services, looked up once per chunk."""

    def __init__(self):
        self._blockers: dict[int, list[str]] = {}
        self._packs: dict[int, Pack] = {}

    def company_blockers(self, company: Company) -> list[str]:
        if company.pk not in self._blockers:
            self._blockers[company.pk] = company_blockers(company)
        return self._blockers[company.pk]

    def pack(self, pack_id: int) -> Pack:
        if pack_id not in self._packs:
            self._packs[pack_id] = Pack.objects.prefetch_related("services").get(pk=pack_id)
        return self._packs[pack_id]


def _attempt(sub: Subscription, shared: _Shared, writes: _Writes) -> str:
    """One locked, pending subscription: its backend call, and what follows noted in `writes`."""
    vehicle = sub.vehicle
    sub.pack = shared.pack(sub.pack_id)
    writes.subs.append(sub)
    if shared.company_blockers(sub.company) or vehicle_blockers(vehicle):
        sub.status = SubscriptionStatus.AWAITING_VERIFICATION
        return "waiting"
    with translation.override("en"):  # a failure reason is stored in English (see _reason_text)
        fit = pack_fit(pack=sub.pack, vehicle=vehicle)
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
        return "retry"
    except PermanentTelematicsError as error:
        sub.status = SubscriptionStatus.ACTIVATION_FAILED
        sub.failure_reason = _reason_text(error.message)
        writes.failed.append(sub)
        return "failed"
    sub.status = SubscriptionStatus.ACTIVE
    sub.failure_reason = ""
    writes.active.append((sub, [s.code for s in fit.services]))
    return "active"


_WRITTEN = ("status", "attempts", "activated_at", "failure_reason", "updated_at")


class _Writes:
    """What a transaction's backend calls gave, written together by `save()`."""

    def __init__(self, actor: Actor):
        self.actor = actor
        self.subs: list[Subscription] = []
        self.active: list[tuple[Subscription, list[str]]] = []
        self.failed: list[Subscription] = []

    def save(self) -> None:
        if not self.subs:
            return
        # The subscriptions in one update per set of values (one for a chunk that went well):
        # bulk_update's CASE per row and field cost more CPU than the rest of the chunk's writes.
        now = timezone.now()
        groups: dict[tuple, list[int]] = {}
        for sub, _services in self.active:
            sub.activated_at = now
        for sub in self.subs:
            sub.updated_at = now
            groups.setdefault(tuple(getattr(sub, name) for name in _WRITTEN), []).append(sub.pk)
        for values, ids in groups.items():
            Subscription.objects.filter(pk__in=ids).update(**dict(zip(_WRITTEN, values, strict=True)))
        switched_on = self._switch_modules_on()
        self._mark_modules_absent()
        events, reported = [], set()
        for sub, services in self.active:
            details = {"subscription": sub.pk, "pack": sub.pack.code, "services": services}
            events.append((sub.company, "subscription.activated", sub.vehicle.vin, details))
            if sub.vehicle_id in switched_on and sub.vehicle_id not in reported:
                reported.add(sub.vehicle_id)  # the first activation switched the module on
                events.append((sub.company, "vehicle.module_activated", sub.vehicle.vin, None))
        for sub in self.failed:
            details = {"subscription": sub.pk, "pack": sub.pack.code, "reason": sub.failure_reason}
            events.append((sub.company, "subscription.activation_failed", sub.vehicle.vin, details))
        if events:
            record_together(actor=self.actor, events=events)
        for kind, subs in (
            ("subscription.activated", [sub for sub, _services in self.active]),
            ("subscription.activation_failed", self.failed),
        ):
            if subs:
                outbox.emit_many(kind, [(sub.company_id, _event_payload(sub)) for sub in subs])

    def _switch_modules_on(self) -> set[int]:
        """The first activation switches a van's communication module on: the vans it did."""
        ids = {sub.vehicle_id for sub, _services in self.active}
        if not ids:
            return set()
        switched = list(
            Vehicle.objects.select_for_update()
            .filter(pk__in=ids)
            .exclude(module_status=ModuleStatus.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if switched:
            Vehicle.objects.filter(pk__in=switched).update(module_status=ModuleStatus.ACTIVE)
        return set(switched)

    def _mark_modules_absent(self) -> None:
        """A van the backend refused because it has no module says so."""
        absent = [
            sub.vehicle_id
            for sub in self.failed
            if not has_module(sub.vehicle.vin) and sub.vehicle.module_status != ModuleStatus.ABSENT
        ]
        if absent:
            Vehicle.objects.filter(pk__in=absent).update(module_status=ModuleStatus.ABSENT)


def _event_payload(sub: Subscription) -> dict:
    return {
        "subscription": sub.pk,
        "order": sub.order_id,
        "pro_id": sub.company.pro_id,
        "vin": sub.vehicle.vin,
        "pack": sub.pack.code,
    }


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
        outbox.emit("subscription.activation_failed", company_id=sub.company_id, payload=_event_payload(sub))
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
