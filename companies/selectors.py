from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from users.models import VerificationStatus

from .audit import ACTION_GROUPS
from .models import AuditEvent, Company, ContractGeneration, Membership, Role, TermsAcceptance, TermsDocument

if TYPE_CHECKING:
    from users.models import User


def primary_admin(company: Company):
    membership = (
        Membership.objects.select_related("user").filter(company=company, is_primary_admin=True).first()
    )
    return membership.user if membership else None


def pending_invitation(company: Company, *, email: str) -> Membership | None:
    email = email.strip()
    return (
        Membership.with_invitees.for_company(company)
        .filter(Q(user__email__iexact=email) | Q(user=None, invitee_email__iexact=email))
        .filter(invitation_status="pending")
        .select_related("user")
        .first()
    )


def members(company: Company) -> QuerySet[Membership]:
    """The company's members and invitations (also those recorded without a user, see Membership)."""
    return Membership.with_invitees.for_company(company).select_related("user").order_by("created_at", "id")


def events(company: Company, *, who: str = "", what: str = "", vin: str = "") -> QuerySet[AuditEvent]:
    """The company's events, newest first, filtered by who acted (`u<user id>`, `dealer_staff`,
    `system`), what kind of action (a key of ACTION_GROUPS) and the van they concern."""
    queryset = AuditEvent.objects.for_company(company).select_related("dealer")
    if who in ("dealer_staff", "system"):
        queryset = queryset.filter(actor_kind=who)
    elif who.startswith("u") and who[1:].isdigit():
        queryset = queryset.filter(actor_id=int(who[1:]), actor_kind="user")
    if what in ACTION_GROUPS:
        condition = Q()
        for prefix in ACTION_GROUPS[what][1]:
            condition |= Q(action__startswith=prefix)
        queryset = queryset.filter(condition)
    if vin:
        queryset = queryset.filter(target=vin.strip().upper())
    return queryset.order_by("-at", "-id")


def generations(company: Company) -> QuerySet[ContractGeneration]:
    return ContractGeneration.objects.filter(company=company).order_by("-number")


def verification_steps(company: Company) -> list[dict]:
    """What the dealer has verified and what is still open, for the company's notices."""
    admin = primary_admin(company)
    return [
        {"label": "company", "done": company.is_verified, "status": company.verification_status},
        {
            "label": "admin",
            "done": bool(admin and admin.is_verified),
            "status": admin.verification_status if admin else "unverified",
            "user": admin,
        },
    ]


def company_blockers(company: Company, admin: User | None = None, *, admin_known: bool = False) -> list[str]:
    """What the dealer must still verify on the company's side before anything activates: the
    company and its primary administrator (translated texts; empty: nothing). Pass `admin` with
    `admin_known=True` when the caller already has it (None: the company has none)."""
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


# --- terms ------------------------------------------------------------------------------------
def terms_version(document: str) -> str:
    """The version of `document` users accept today (settings name them)."""
    if document == TermsDocument.TERMS_OF_USE:
        return settings.TERMS_OF_USE_VERSION
    return settings.PACK_TERMS_VERSION


def terms_accepted(user, document: str) -> bool:
    """Whether `user` accepted the current version of `document`."""
    return TermsAcceptance.objects.filter(
        user=user, document=document, version=terms_version(document)
    ).exists()


def admins_accepted_terms(company: Company, document: str) -> bool:
    """Whether an administrator of `company` accepted the current version of `document` (dealer
    staff ordering for the company rely on it: they cannot accept terms for the customer)."""
    return TermsAcceptance.objects.filter(
        user__membership__company=company,
        user__membership__role=Role.ADMIN,
        document=document,
        version=terms_version(document),
    ).exists()
