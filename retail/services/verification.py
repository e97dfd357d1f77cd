"""Verification of a company, its people and its vans (and the transfer of a van), which releases
the subscriptions that only waited for the dealer."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from companies.audit import Actor, record, record_many
from companies.models import Company, Membership
from mpro import outbox
from mpro.errors import ConflictError, DomainError, ForbiddenError
from packs.services import subscriptions_cancel_for_vehicle
from users.models import IdentityMode, VerificationStatus
from vehicles.models import Vehicle
from vehicles.services import vehicle_transfer
from vehicles.vin import normalize_vin

from .. import selectors
from ..models import (
    DealerStaff,
)
from ._common import _clean_reason, _release


# --- verification -----------------------------------------------------------------------------
def _rejection_needed(subject: Company | Vehicle, reason: str, *, already_verified: str) -> bool:
    """The one rule of rejecting a company or a van: a verified one cannot be rejected any more
    (409 with `already_verified`); rejecting again with the same reason changes nothing."""
    if subject.verification_status == VerificationStatus.VERIFIED:
        raise ConflictError(already_verified, code="already_verified")
    return not (
        subject.verification_status == VerificationStatus.REJECTED and subject.rejection_reason == reason
    )


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
        if not _rejection_needed(
            company,
            reason,
            already_verified=_("This company is already verified; it cannot be rejected any more."),
        ):
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
        if not _rejection_needed(
            vehicle,
            reason,
            already_verified=_("This vehicle is already verified; it cannot be rejected any more."),
        ):
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
