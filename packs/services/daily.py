"""The daily run (Celery beat): welcome-offer reminders, paid periods and renewals, expiry."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from companies.audit import Actor, record, record_many
from companies.models import Company, Membership, Role
from users.models import VerificationStatus

from ..models import Subscription, SubscriptionStatus
from .activation import lock_subscription
from .ending import end_subscription
from .queue import enqueue_deactivations

TRIAL_REMINDER_DAYS = 30
# What a run-out verification grace pauses: the subscriptions that run or are about to.
PAUSED_BY_GRACE_END = [SubscriptionStatus.ACTIVE, SubscriptionStatus.ACTIVATION_PENDING]


def _send_trial_reminders(company_id: int, subscription_ids: list[int]) -> None:
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


def _remind_trials_ending(*, actor: Actor, today: datetime.date, now: datetime.datetime) -> int:
    """Reminds administrators 30 days before a welcome offer ends, once per subscription: grouped
    per company, each subscription claimed with a conditional update."""
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
    reminded = 0
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
            reminded += len(claimed)
    return reminded


def _start_paid_periods(*, actor: Actor, today: datetime.date, now: datetime.datetime) -> int:
    """The welcome offer is over: the first paid year starts. One UPDATE per 1,000 rows instead of
    one per row (a fleet activated in one go enters its paid period on one day); each still gets
    its own audit event, written in bulk too."""
    entering = list(
        Subscription.objects.filter(
            status=SubscriptionStatus.ACTIVE, paid_until__isnull=True, paid_from__lte=today
        )
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gte=today))
        .select_related("company", "vehicle", "pack")
    )
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
    return len(entering)


def _renew_paid_years(*, today: datetime.date, now: datetime.datetime) -> int:
    """A paid year is over and no notice was given: the next one starts."""
    renewing = list(
        Subscription.objects.filter(
            status=SubscriptionStatus.ACTIVE, paid_until__lt=today, ends_at__isnull=True
        ).only("pk", "paid_from", "paid_until")
    )
    for sub in renewing:
        while sub.paid_until < today:
            sub.paid_from = sub.paid_until + datetime.timedelta(days=1)
            sub.paid_until = sub.paid_from + relativedelta(years=1) - datetime.timedelta(days=1)
        sub.updated_at = now
    Subscription.objects.bulk_update(renewing, ["paid_from", "paid_until", "updated_at"], batch_size=1000)
    return len(renewing)


def _expire_ended(*, actor: Actor, today: datetime.date) -> int:
    """Notice given and the period is over: expire, and switch the services off after commit."""
    ending = list(Subscription.objects.live().filter(ends_at__lt=today).values_list("pk", flat=True))
    expired, to_deactivate = 0, []
    with transaction.atomic():
        for pk in ending:
            sub = lock_subscription(pk)
            if sub is None or not sub.is_live:
                continue
            expired += 1
            if end_subscription(
                sub, status=SubscriptionStatus.EXPIRED, actor=actor, action="subscription.expired", details={}
            ):
                to_deactivate.append(pk)
        enqueue_deactivations(to_deactivate)
    return expired


def _pause_after_verification_grace(*, actor: Actor, now: datetime.datetime) -> int:
    """FAQ 8: a primary administrator who changed name or date of birth is unverified again; once
    their grace period (settings.VERIFICATION_GRACE_DAYS) has run out without a new check, the
    company's running subscriptions go back to waiting for the dealer. Verifying the person again
    releases them (subscriptions_release), as after any verification. Idempotent: a paused
    subscription is no longer running, so a second run finds nothing."""
    overdue_admins = Membership.objects.filter(
        company=OuterRef("pk"),
        is_primary_admin=True,
        user__verification_status=VerificationStatus.UNVERIFIED,
        user__verification_grace_until__lte=now,
    )
    paused = 0
    for company in Company.objects.filter(Exists(overdue_admins)).order_by("pk"):
        with transaction.atomic():
            ids = list(
                Subscription.objects.for_company(company)
                .select_for_update(skip_locked=True)
                .filter(status__in=PAUSED_BY_GRACE_END)
                .values_list("pk", flat=True)
            )
            if not ids:
                continue
            count = Subscription.objects.filter(pk__in=ids, status__in=PAUSED_BY_GRACE_END).update(
                status=SubscriptionStatus.AWAITING_VERIFICATION, updated_at=now
            )
            record(
                actor=actor,
                company=company,
                action="subscriptions.paused_for_verification",
                target=company.pro_id,
                details={"count": count},
            )
            paused += count
    return paused


def subscriptions_daily(*, actor: Actor, today: datetime.date | None = None) -> dict[str, int]:
    """The daily run: reminds administrators before a welcome offer ends, moves subscriptions into
    their paid period, renews paid years, expires subscriptions whose notice period has ended, and
    pauses the services of companies whose administrator's re-verification grace has run out."""
    today = today or timezone.localdate()
    now = timezone.now()
    counts = {"reminded": _remind_trials_ending(actor=actor, today=today, now=now)}
    counts["paused"] = _pause_after_verification_grace(actor=actor, now=now)
    with transaction.atomic():
        counts["paid"] = _start_paid_periods(actor=actor, today=today, now=now)
        counts["renewed"] = _renew_paid_years(today=today, now=now)
    counts["expired"] = _expire_ended(actor=actor, today=today)
    return counts
