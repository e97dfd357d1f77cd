"""Staff login, and the windows staff act under: the attestation (identity checked in person) and
the support session (the customer's support password), with their lock-outs; leaving a company."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.audit import Actor, record
from companies.models import Company
from mpro import outbox
from mpro.errors import DomainError, ForbiddenError, RateLimitedError

from .. import selectors
from ..models import (
    Attestation,
    DealerStaff,
    SupportPasswordAttempt,
    SupportSession,
)
from ..throttling import LOGIN_WINDOW_SECONDS, login_failed, login_locked, login_succeeded
from ._common import SUPPORT_PASSWORD_MAX_LENGTH, staff_actor


# --- staff login ---------------------------------------------------------------------------------
def staff_authenticate(*, d5_id: str, password: str, address: str) -> DealerStaff:
    """The active staff member with this dealer ID and password: the one check behind the login
    page and the token endpoint, so both count failures towards the same lock (per dealer ID and
    client address, and per dealer ID from anywhere; see retail.throttling)."""
    if login_locked(d5_id=d5_id, address=address):
        raise RateLimitedError(
            _("Too many failed logins. Wait a quarter of an hour and try again."),
            retry_after=LOGIN_WINDOW_SECONDS,
            code="login_locked",
        )
    staff = selectors.staff_by_d5_id(d5_id)
    if staff is None or not staff.user.is_active or not staff.user.check_password(password):
        login_failed(d5_id=d5_id, address=address)
        raise DomainError(_("This dealer ID and password do not match."), code="wrong_credentials")
    login_succeeded(d5_id=d5_id, address=address)
    return staff


# --- windows: attestation and support session ------------------------------------------------
def attestation_open(*, staff: DealerStaff, company: Company, identity_checked: bool) -> Attestation:
    """The staff member confirms they checked the customer employee's identity (or know them);
    this opens the company to them for settings.ATTESTATION_HOURS."""
    if identity_checked is not True:
        raise DomainError(
            _("Confirm that you checked the person's identity before opening the company."),
            field="identity_checked",
        )
    with transaction.atomic():
        attestation = Attestation.objects.create(
            staff=staff,
            company=company,
            expires_at=timezone.now() + datetime.timedelta(hours=settings.ATTESTATION_HOURS),
        )
        record(
            actor=staff_actor(staff=staff, window=attestation),
            company=company,
            action="retail.attestation_opened",
            target=company.pro_id,
            details={"expires_at": attestation.expires_at.isoformat()},
        )
    return attestation


def support_session_open(
    *, staff: DealerStaff, company: Company, support_password: str, actor: Actor
) -> SupportSession:
    """Opens a support session with the support password the customer told the staff member.

    The password is checked against the company's administrators and never stored or logged.
    After SUPPORT_PASSWORD_MAX_FAILURES wrong tries on one company within
    SUPPORT_PASSWORD_WINDOW_MINUTES, further tries are refused (RateLimitedError) without checking
    the password. Every try is recorded (SupportPasswordAttempt) and audited."""
    _check_support_password_shape(support_password)
    session = None
    with transaction.atomic():
        # Serialises the tries on one company, so parallel guesses cannot slip past the limit.
        Company.objects.select_for_update().filter(pk=company.pk).first()
        # ...and the tries of one staff member, so they cannot slip past their own limit either.
        DealerStaff.objects.select_for_update().filter(pk=staff.pk).first()
        now = timezone.now()
        staff_retry_after = _staff_support_password_retry_after(staff=staff, now=now)
        recent_failures = _recent_support_password_failures(company=company, now=now)
        retry_after = staff_retry_after or _support_password_retry_after(recent_failures, now=now)
        if retry_after:
            _record_blocked_try(staff=staff, company=company, actor=actor, retry_after=retry_after)
        else:
            session = _try_support_password(
                staff=staff,
                company=company,
                support_password=support_password,
                actor=actor,
                now=now,
                failures_before=len(recent_failures),
            )
    _raise_if_locked(staff_retry_after=staff_retry_after, retry_after=retry_after)
    if session is None:
        raise ForbiddenError(
            _("That is not the support password of this company's administrator. Ask the customer again."),
            field="support_password",
            code="wrong_support_password",
        )
    return session


def _raise_if_locked(*, staff_retry_after: int, retry_after: int) -> None:
    """The refusal of a try that was not checked: the staff member's own lock first, then the
    company's."""
    if staff_retry_after:
        hours = math.ceil(staff_retry_after / 3600)
        raise RateLimitedError(
            ngettext(
                "You have entered too many wrong support passwords. Try again in %(hours)d hour.",
                "You have entered too many wrong support passwords. Try again in %(hours)d hours.",
                hours,
            )
            % {"hours": hours},
            retry_after=staff_retry_after,
            code="support_password_staff_locked",
        )
    if retry_after:
        minutes = math.ceil(retry_after / 60)
        raise RateLimitedError(
            ngettext(
                "Too many wrong support passwords for this company. Try again in %(minutes)d minute.",
                "Too many wrong support passwords for this company. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            retry_after=retry_after,
            code="support_password_locked",
        )


def _check_support_password_shape(support_password: str) -> None:
    if not support_password:
        raise DomainError(_("Enter the support password the customer gives you."), field="support_password")
    if len(support_password) > SUPPORT_PASSWORD_MAX_LENGTH:
        raise DomainError(_("That is longer than any support password."), field="support_password")


def _support_password_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SUPPORT_PASSWORD_WINDOW_MINUTES)


def _recent_support_password_failures(*, company: Company, now: datetime.datetime) -> list[datetime.datetime]:
    """When the last (at most SUPPORT_PASSWORD_MAX_FAILURES) wrong tries within the window were
    made, newest first. Blocked tries do not count: they never checked a password."""
    return list(
        SupportPasswordAttempt.objects.filter(
            company=company, succeeded=False, blocked=False, at__gt=now - _support_password_window()
        )
        .order_by("-at")
        .values_list("at", flat=True)[: settings.SUPPORT_PASSWORD_MAX_FAILURES]
    )


def _staff_support_password_retry_after(*, staff: DealerStaff, now: datetime.datetime) -> int:
    """Seconds until the staff member may try support passwords again (on any company); 0 when
    they may now. Without this limit one staff member could keep a company locked for ever, five
    wrong tries every window; with it, at most SUPPORT_PASSWORD_STAFF_MAX_FAILURES wrong tries per
    SUPPORT_PASSWORD_STAFF_WINDOW_HOURS, whatever the company."""
    window = datetime.timedelta(hours=settings.SUPPORT_PASSWORD_STAFF_WINDOW_HOURS)
    failures = list(
        SupportPasswordAttempt.objects.filter(
            staff=staff, succeeded=False, blocked=False, at__gt=now - window
        )
        .order_by("-at")
        .values_list("at", flat=True)[: settings.SUPPORT_PASSWORD_STAFF_MAX_FAILURES]
    )
    if len(failures) < settings.SUPPORT_PASSWORD_STAFF_MAX_FAILURES:
        return 0
    return max(1, math.ceil((failures[-1] + window - now).total_seconds()))


def _support_password_retry_after(recent_failures: list[datetime.datetime], *, now: datetime.datetime) -> int:
    """Seconds until the company takes tries again; 0 when it does now. The lock lifts when the
    oldest of the last `max_failures` failures leaves the window."""
    if len(recent_failures) < settings.SUPPORT_PASSWORD_MAX_FAILURES:
        return 0
    return max(1, math.ceil((recent_failures[-1] + _support_password_window() - now).total_seconds()))


def _record_blocked_try(*, staff: DealerStaff, company: Company, actor: Actor, retry_after: int) -> None:
    attempt = SupportPasswordAttempt.objects.create(
        staff=staff, company=company, succeeded=False, blocked=True
    )
    record(
        actor=actor,
        company=company,
        action="retail.support_password_blocked",
        target=company.pro_id,
        details={"attempt": attempt.pk, "retry_after_seconds": retry_after},
    )


def _try_support_password(
    *,
    staff: DealerStaff,
    company: Company,
    support_password: str,
    actor: Actor,
    now: datetime.datetime,
    failures_before: int,
) -> SupportSession | None:
    """Checks the password against the administrators': the new session when one matches, else
    None. Records the try either way."""
    matched = any(
        admin.user.check_support_password(support_password)
        for admin in selectors.company_administrators(company)
    )
    attempt = SupportPasswordAttempt.objects.create(staff=staff, company=company, succeeded=matched)
    if not matched:
        if failures_before + 1 == settings.SUPPORT_PASSWORD_MAX_FAILURES:
            # This try locks the company: its administrators are told (retail.notices).
            outbox.emit(
                "support_password.locked",
                company_id=company.pk,
                payload={"pro_id": company.pro_id, "staff": staff.pk, "attempt": attempt.pk},
            )
        record(
            actor=actor,
            company=company,
            action="retail.support_password_failed",
            target=company.pro_id,
            details={"attempt": attempt.pk, "failures_in_window": failures_before + 1},
        )
        return None
    session = SupportSession.objects.create(
        staff=staff,
        company=company,
        expires_at=now + datetime.timedelta(minutes=settings.SUPPORT_SESSION_MINUTES),
    )
    record(
        actor=staff_actor(staff=staff, window=session),
        company=company,
        action="retail.support_session_opened",
        target=company.pro_id,
        details={"attempt": attempt.pk, "expires_at": session.expires_at.isoformat()},
    )
    return session


def support_session_end(*, session: SupportSession) -> SupportSession:
    """Ends a support session before it runs out (the staff member is done)."""
    with transaction.atomic():
        session = (
            SupportSession.objects.select_for_update(of=("self",))
            .select_related("staff__user", "staff__dealer", "company")
            .get(pk=session.pk)
        )
        now = timezone.now()
        if session.expires_at <= now:
            return session
        session.expires_at = now
        session.save(update_fields=["expires_at"])
        record(
            actor=staff_actor(staff=session.staff, window=session),
            company=session.company,
            action="retail.support_session_ended",
            target=session.company.pro_id,
        )
    return session


def company_leave(*, staff: DealerStaff, company: Company) -> int:
    """ "Leave this company": ends at once every attestation and support session this staff member
    holds on the company, so nothing of it stays open on their screen (or to their API token)
    after the customer has gone. Returns how many windows it closed; recorded when it closed any.
    Leaving a company one holds nothing on changes nothing."""
    with transaction.atomic():
        now = timezone.now()
        attestations = list(
            Attestation.objects.select_for_update().filter(staff=staff, company=company, expires_at__gt=now)
        )
        sessions = list(
            SupportSession.objects.select_for_update().filter(
                staff=staff, company=company, expires_at__gt=now
            )
        )
        if not attestations and not sessions:
            return 0
        Attestation.objects.filter(pk__in=[a.pk for a in attestations]).update(expires_at=now)
        SupportSession.objects.filter(pk__in=[s.pk for s in sessions]).update(expires_at=now)
        windows = [*attestations, *sessions]
        record(
            actor=staff_actor(staff=staff, window=windows[0]),
            company=company,
            action="retail.company_left",
            target=company.pro_id,
            details={"ended": [window.label for window in windows]},
        )
    return len(windows)
