"""Retail: what dealer staff do on a customer's account.

Every function here is a write: it runs in one transaction and records an AuditEvent whose actor
is the staff member, their outlet, and the attestation or support session they act under, so the
customer's Activity page shows who did what, from where, and under which window.

Verifying a company, its first administrator or a vehicle hands over to
`packs.services.subscriptions_release`, which starts the activation of the subscriptions that were
only waiting for the dealer.

Retail sits at the end of the dependency chain (users ← companies ← vehicles ← packs ← retail):
it calls the other apps' services, and nothing imports it back.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.audit import Actor, record, record_many
from companies.models import Company, Dealer, Membership
from companies.services import company_register_for_customer
from mpro import outbox
from mpro.errors import ConflictError, DomainError, ForbiddenError, RateLimitedError
from packs.services import subscriptions_cancel_for_vehicle, subscriptions_release
from users.models import IdentityMode, VerificationStatus
from vehicles.models import Vehicle
from vehicles.services import vehicle_transfer
from vehicles.vin import normalize_vin

from . import selectors
from .models import (
    Attestation,
    DealerStaff,
    RetailRegistration,
    SupportPasswordAttempt,
    SupportSession,
    normalize_d5_id,
)
from .throttling import LOGIN_WINDOW_SECONDS, login_failed, login_locked, login_succeeded

REASON_MAX_LENGTH = 1000
SUPPORT_PASSWORD_MAX_LENGTH = 128
REGISTRATION_WINDOW = "company registration"


def staff_actor(*, staff: DealerStaff, window: Attestation | SupportSession | None) -> Actor:
    """The actor of a staff member acting under an attestation or a support session."""
    acting_under = window.label if window is not None else ""
    return Actor.dealer_staff(user=staff.user, dealer=staff.dealer, acting_under=acting_under)


# How audit events name what staff do from the outlet's service-due queue (maintenance): no
# attestation or support session, the customer chose the workshop. Stored data, not translated.
SERVICE_QUEUE_WINDOW = "service-due queue"


def queue_actor(staff: DealerStaff) -> Actor:
    return Actor.dealer_staff(user=staff.user, dealer=staff.dealer, acting_under=SERVICE_QUEUE_WINDOW)


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason, so that the customer knows what to correct."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            _("Keep the reason to %(max)d characters or fewer.") % {"max": REASON_MAX_LENGTH}, field="reason"
        )
    return reason


def _release(*, company: Company, actor: Actor, vehicles: list[Vehicle] | None = None) -> int:
    return subscriptions_release(company=company, vehicles=vehicles, actor=actor)


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
    if session is None:
        raise ForbiddenError(
            _("That is not the support password of this company's administrator. Ask the customer again."),
            field="support_password",
            code="wrong_support_password",
        )
    return session


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


# --- verification -----------------------------------------------------------------------------
def company_verify(*, company: Company, actor: Actor) -> Company:
    """Marks the company verified (idempotent: verifying twice records one event)."""
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        if company.verification_status == VerificationStatus.VERIFIED:
            return company
        previous = company.verification_status
        company.mark_verified(by=actor.user)
        record(
            actor=actor,
            company=company,
            action="retail.company_verified",
            target=company.pro_id,
            details={"previous_status": previous},
        )
        outbox.emit("company.verified", company_id=company.pk, payload={"pro_id": company.pro_id})
        _release(company=company, actor=actor)
    return company


def company_reject(*, company: Company, reason: str, actor: Actor) -> Company:
    """Refuses the company's data, with the reason the customer will read."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        if company.verification_status == VerificationStatus.VERIFIED:
            raise ConflictError(
                _("This company is already verified; it cannot be rejected any more."),
                code="already_verified",
            )
        if company.verification_status == VerificationStatus.REJECTED and company.rejection_reason == reason:
            return company
        company.mark_rejected(reason=reason)
        record(
            actor=actor,
            company=company,
            action="retail.company_rejected",
            target=company.pro_id,
            details={"reason": reason},
        )
        outbox.emit("company.rejected", company_id=company.pk, payload={"pro_id": company.pro_id})
    return company


def member_verify(*, membership: Membership, mode: str, actor: Actor) -> Membership:
    """Records that the dealer checked this person's identity, and how (IdentityMode).
    Idempotent: a person already verified stays as they are, without a second event."""
    if mode not in IdentityMode.values:
        raise DomainError(
            _("Choose how you checked the identity: ID card, passport or personally known."), field="mode"
        )
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=membership.user_id)
        membership.user = user
        if user.verification_status == VerificationStatus.VERIFIED:
            return membership
        user.mark_verified(by=actor.user, mode=mode)
        record(
            actor=actor,
            company=membership.company,
            action="retail.member_verified",
            target=user.get_full_name() or user.email,
            details={
                "member_id": membership.pk,
                "mode": mode,
                "primary_admin": membership.is_primary_admin,
            },
        )
        outbox.emit(
            "member.verified",
            company_id=membership.company_id,
            payload={"pro_id": membership.company.pro_id, "member": membership.pk},
        )
        if membership.is_primary_admin:
            _release(company=membership.company, actor=actor)
    return membership


def _emit_vehicle(kind: str, vehicle: Vehicle) -> None:
    outbox.emit(
        kind, company_id=vehicle.company_id, payload={"pro_id": vehicle.company.pro_id, "vin": vehicle.vin}
    )


def vehicle_verify(*, vehicle: Vehicle, actor: Actor) -> Vehicle:
    """The dealer checked the vehicle's registration document (idempotent)."""
    with transaction.atomic():
        vehicle = Vehicle.objects.select_for_update(of=("self",)).select_related("company").get(pk=vehicle.pk)
        if vehicle.verification_status == VerificationStatus.VERIFIED:
            return vehicle
        previous = vehicle.verification_status
        vehicle.mark_verified(by=actor.user)
        record(
            actor=actor,
            company=vehicle.company,
            action="retail.vehicle_verified",
            target=vehicle.vin,
            details={"document": "registration", "previous_status": previous},
        )
        _emit_vehicle("vehicle.verified", vehicle)
        _release(company=vehicle.company, vehicles=[vehicle], actor=actor)
    return vehicle


def vehicles_verify(*, company: Company, vins: list[str], actor: Actor) -> int:
    """The dealer checked several registration documents at once: each unverified VIN of the
    company among `vins` is verified and recorded (one event per van), waiting packs released once.
    VINs of other companies or already verified are left alone. Returns how many were verified."""
    with transaction.atomic():
        vehicles = list(
            Vehicle.objects.for_company(company)
            .select_for_update(of=("self",))
            .filter(vin__in=vins)
            .exclude(verification_status=VerificationStatus.VERIFIED)
            .order_by("pk")
        )
        if not vehicles:
            return 0
        for vehicle in vehicles:
            vehicle.previous_status = vehicle.verification_status
            vehicle.mark_verified(by=actor.user, save=False)
        Vehicle.objects.bulk_update(vehicles, list(Vehicle.VERIFICATION_FIELDS))
        record_many(
            actor=actor,
            action="retail.vehicle_verified",
            events=[
                (company, v.vin, {"document": "registration", "previous_status": v.previous_status})
                for v in vehicles
            ],
        )
        for vehicle in vehicles:
            vehicle.company = company
            _emit_vehicle("vehicle.verified", vehicle)
        _release(company=company, vehicles=vehicles, actor=actor)
    return len(vehicles)


def vehicle_reject(*, vehicle: Vehicle, reason: str, actor: Actor) -> Vehicle:
    reason = _clean_reason(reason)
    with transaction.atomic():
        vehicle = Vehicle.objects.select_for_update(of=("self",)).select_related("company").get(pk=vehicle.pk)
        if vehicle.verification_status == VerificationStatus.VERIFIED:
            raise ConflictError(
                _("This vehicle is already verified; it cannot be rejected any more."),
                code="already_verified",
            )
        if vehicle.verification_status == VerificationStatus.REJECTED and vehicle.rejection_reason == reason:
            return vehicle
        vehicle.mark_rejected(reason=reason)
        record(
            actor=actor,
            company=vehicle.company,
            action="retail.vehicle_rejected",
            target=vehicle.vin,
            details={"reason": reason},
        )
        _emit_vehicle("vehicle.rejected", vehicle)
    return vehicle


def vehicle_transfer_to(*, company: Company, vin: str, registration_checked: bool, actor: Actor) -> Vehicle:
    """Moves a VIN that another company holds into `company`. The one rule for the Retail page and
    the Retail API (issue 17, item 3): only a staff member in an open **support session** with the
    receiving company (its administrator gave the support password), who checked that the
    registration document names that company, may take a van from its holder. The holder's live
    subscriptions on it are cancelled (packs records each cancellation); vehicles.services.
    vehicle_transfer records the move in both companies' histories and tells the holder's
    administrators by e-mail (event `vehicle.transferred`), without naming the new holder."""
    staff = DealerStaff.objects.filter(user_id=actor.user.pk if actor.user else None).first()
    if staff is None or selectors.open_support_session(staff=staff, company=company) is None:
        raise ForbiddenError(
            _(
                "Open a support session with this company first: a van moves into a fleet only when the "
                "company's administrator has given you the support password."
            ),
            code="support_session_required",
        )
    if registration_checked is not True:
        raise DomainError(
            _("Confirm that the registration document names this customer."), field="registration_checked"
        )
    vin = normalize_vin(vin or "")
    if not vin:
        raise DomainError(_("Enter the VIN."), field="vin")
    if len(vin) != 17:
        raise DomainError(_("A VIN has 17 characters."), field="vin")
    with transaction.atomic():
        vehicle = Vehicle.objects.select_for_update().filter(vin=vin).first()
        if vehicle is None:
            raise DomainError(
                _("No company holds this VIN. Add it to the fleet in a support session instead."),
                field="vin",
                code="vin_unknown",
            )
        if vehicle.company_id == company.pk:
            raise DomainError(
                _("This vehicle is already in this company's fleet."), field="vin", code="vin_in_fleet"
            )
        subscriptions_cancel_for_vehicle(
            vehicle=vehicle, actor=actor, reason="vehicle transferred to another company"
        )
        vehicle = vehicle_transfer(vehicle=vehicle, to_company=company, actor=actor)
    return vehicle


# --- staff accounts (operators: admin site, create_dealer_staff, demo data) ----------------------
D5_ID_RE = re.compile(r"^[A-Z0-9]{3,20}$")


def dealer_staff_create(
    *, d5_id: str, password: str, dealer_code: str, email: str, first_name: str, last_name: str
) -> DealerStaff:
    """A dealer staff account at an existing outlet: a user (e-mail confirmed, so that the account
    is complete) and its dealer ID. Staff accounts never belong to a company."""
    d5_id = normalize_d5_id(d5_id)
    email = (email or "").strip().lower()
    if not D5_ID_RE.match(d5_id):
        raise DomainError(_("A dealer ID has 3 to 20 letters and digits."), field="d5_id")
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from error
    dealer = Dealer.objects.filter(code=(dealer_code or "").strip().upper()).first()
    if dealer is None:
        raise DomainError(_("No outlet has the code %(code)s.") % {"code": dealer_code}, field="dealer")
    User = get_user_model()
    if DealerStaff.objects.filter(d5_id=d5_id).exists():
        raise ConflictError(_("The dealer ID %(d5_id)s is taken.") % {"d5_id": d5_id}, code="d5_id_taken")
    if User.objects.filter(email__iexact=email).exists():
        raise ConflictError(_("An account with this e-mail address exists already."), code="email_taken")
    try:
        validate_password(password, User(email=email, first_name=first_name, last_name=last_name))
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name.strip(), last_name=last_name.strip()
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        staff = DealerStaff.objects.create(user=user, dealer=dealer, d5_id=d5_id)
    return staff


# --- registration on the customer's behalf ---------------------------------------------------
def registration_create(*, staff: DealerStaff, admin: dict[str, Any], company: dict[str, Any]) -> Company:
    """Registers a company for a customer at the outlet (main user, then company). The new PRO ID
    is for the seller to note; the administrator gets the e-mails to finish (password, terms,
    support password). The outlet is remembered for its verification queue."""
    actor = Actor.dealer_staff(user=staff.user, dealer=staff.dealer, acting_under=REGISTRATION_WINDOW)
    with transaction.atomic():
        new_company = company_register_for_customer(admin=admin, company=company, actor=actor)
        RetailRegistration.objects.create(company=new_company, staff=staff, dealer=staff.dealer)
    return new_company
