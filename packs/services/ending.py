"""Ending subscriptions: cancelling (at once or at the end of the period) and switching the
services off on the van (called by the tasks)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from companies.audit import Actor, record
from mpro.errors import ConflictError
from vehicles.models import ModuleStatus, Vehicle
from vehicles.telematics import PermanentTelematicsError, TransientTelematicsError, get_backend

from ..models import LIVE_STATUSES, Service, Subscription, SubscriptionStatus
from .activation import lock_subscription
from .queue import enqueue_deactivations


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


def end_subscription(sub: Subscription, *, status: str, actor: Actor, action: str, details: dict) -> bool:
    """Ends a locked live subscription; returns whether a deactivation must follow."""
    was = sub.status
    sub.status = status
    sub.cancelled_at = timezone.now() if status == SubscriptionStatus.CANCELLED else sub.cancelled_at
    sub.save(update_fields=["status", "cancelled_at", "updated_at"])
    record(
        actor=actor,
        company=sub.company,
        action=action,
        target=sub.vehicle.vin,
        details={"subscription": sub.pk, "pack": sub.pack.code, "was": was, **details},
    )
    return (
        was in (SubscriptionStatus.ACTIVE, SubscriptionStatus.ACTIVATION_PENDING)
        or sub.activated_at is not None
    )


def subscription_cancel(
    *, subscription: Subscription, actor: Actor, at_period_end: bool = False
) -> Subscription:
    """Cancels a live subscription: at once (services switch off through a task), or, with
    `at_period_end`, at the end of the welcome offer or paid year (the daily task expires it then)."""
    with transaction.atomic():
        sub = lock_subscription(subscription.pk)
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
        if end_subscription(
            sub, status=SubscriptionStatus.CANCELLED, actor=actor, action="subscription.cancelled", details={}
        ):
            enqueue_deactivations([sub.pk], company_id=sub.company_id)
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
            sub = lock_subscription(pk)
            if sub is None or not sub.is_live:
                continue
            count += 1
            if end_subscription(
                sub,
                status=SubscriptionStatus.CANCELLED,
                actor=actor,
                action="subscription.cancelled",
                details={"reason": reason},
            ):
                to_deactivate.append(pk)
        enqueue_deactivations(to_deactivate, company_id=vehicle.company_id)
    return count


def subscription_deactivate(*, subscription_id: int, actor: Actor) -> str:
    """Switches an ended subscription's services off on the van (task). Services that another live
    subscription of the van still needs stay on; the module turns off when nothing is left.
    Returns "done", "retry" or "skipped"."""
    with transaction.atomic():
        sub = lock_subscription(subscription_id)
        if sub is None or sub.is_live or sub.deactivated_at is not None:
            return "skipped"
        vehicle = sub.vehicle
        if sub.activated_at is None:
            sub.deactivated_at = timezone.now()
            sub.save(update_fields=["deactivated_at", "updated_at"])
            return "done"
        still_needed = set(
            Service.objects.filter(
                packs__subscriptions__vehicle=vehicle, packs__subscriptions__status=SubscriptionStatus.ACTIVE
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
