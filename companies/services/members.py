"""Members and invitations: invite, resend, revoke, decline, accept, change roles, remove."""

from __future__ import annotations

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mpro.errors import DomainError, FieldErrors, ForbiddenError
from mpro.names import clean_name

from .. import emails
from ..audit import Actor, record
from ..models import (
    ActorKind,
    Company,
    Invitation,
    InvitationStatus,
    Membership,
    Role,
)
from ..permissions import manages_role
from ..signals import member_removed, member_role_changed
from ._common import User, _hash, _validate_instance


# --- members and invitations -----------------------------------------------------------------
def _check_manages(*, actor: Actor, company: Company, roles: tuple[str, ...]) -> None:
    """The one rule of who manages whom: an administrator every member, a fleet manager drivers
    only (permissions.MANAGED_ROLES). Dealer staff and the system act under rules of their own."""
    if actor.kind != ActorKind.USER or actor.user is None:
        return
    own = Membership.objects.filter(user=actor.user, company=company).only("role").first()
    role = own.role if own is not None else None
    if not all(manages_role(role, r) for r in roles):
        raise ForbiddenError(
            _("Fleet managers invite and remove drivers only. Ask an administrator for other roles."),
            field="role",
            code="role_not_managed",
        )


def invitee_account(membership: Membership):
    """The account an invitation is for: the membership's user, or for an invitation recorded
    without one, the account with the invited address (None if it no longer exists)."""
    if membership.user_id:
        return membership.user
    return User.objects.filter(email__iexact=membership.invitee_email).first()


def _send_invitation(*, membership: Membership, actor: Actor) -> Invitation:
    now = timezone.now()
    Invitation.objects.filter(membership=membership, used_at=None, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        membership=membership,
        token_hash=_hash(token),
        sent_by=actor.user,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitee = invitee_account(membership)
    transaction.on_commit(
        lambda: emails.send_invitation(
            membership=membership, user=invitee, token=token, actor_name=actor.name
        )
    )
    return invitation


def member_invite(
    *, company: Company, email: str, first_name: str, last_name: str, role: str, actor: Actor
) -> Membership:
    email, first_name, last_name = _clean_invitation(email, first_name, last_name, role)
    _check_manages(actor=actor, company=company, roles=(role,))
    if actor.user is not None and email == actor.user.email and role == Role.DRIVER:
        raise DomainError(
            _(
                "You cannot add yourself as a driver with your own e-mail address. A sole owner who also drives "
                "needs a second e-mail address for the driver account."
            ),
            field="email",
        )
    _check_not_invited_yet(company, email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        # Another company's lapsed invitation no longer holds the person.
        membership_release_lapsed(user=existing, keep_company=company)
    try:
        with transaction.atomic():
            return _invite(
                company=company,
                email=email,
                first_name=first_name,
                last_name=last_name,
                role=role,
                existing=existing,
                actor=actor,
            )
    except IntegrityError:
        raise DomainError(
            _("This e-mail address cannot be invited. Ask the person for another address."), field="email"
        ) from None


def _clean_invitation(email: str, first_name: str, last_name: str, role: str) -> tuple[str, str, str]:
    """The invitation's e-mail (lower case) and names (cleaned), or FieldErrors for each bad one."""
    email = (email or "").strip().lower()
    errors: dict[str, list] = {}
    names = {"first_name": first_name, "last_name": last_name}
    for field, value in names.items():
        try:
            names[field] = clean_name(value)
        except ValidationError as error:
            errors[field] = error.messages
    if role not in Role.values:
        errors["role"] = [_("Choose one of the roles: administrator, fleet manager, driver.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if errors:
        raise FieldErrors(errors)
    return email, names["first_name"], names["last_name"]


def _check_not_invited_yet(company: Company, email: str) -> None:
    """This company's own members and invitations are its own business: it is told about them."""
    own = (
        Membership.with_invitees.for_company(company)
        .filter(Q(user__email__iexact=email) | Q(user=None, invitee_email=email))
        .first()
    )
    if own is not None and own.invitation_status == InvitationStatus.PENDING:
        raise DomainError(
            _("This person has been invited already and has not accepted yet."),
            field="email",
            code="invitation_pending",
        )
    if own is not None:
        raise DomainError(_("This person is already a member of your company."), field="email")


def _joining_refusal(user, *, membership: Membership | None = None) -> DomainError | None:
    """Why this account cannot join a company now, or None. Told to the person at acceptance,
    never to the company that invites them (issue 17, item 15)."""
    if hasattr(user, "dealer_staff"):
        # Dealer staff have no customer pages; their account cannot join a company.
        return DomainError(
            _(
                "A dealer staff account cannot join a company. Ask the company to invite another "
                "e-mail address of yours."
            ),
            code="staff_account",
        )
    others = Membership.objects.filter(user=user)
    if membership is not None:
        others = others.exclude(pk=membership.pk)
    if others.exists():
        return DomainError(
            _(
                "You already belong to a company, or have an open invitation from one. Leave that "
                "company or decline that invitation first, then open this link again."
            ),
            code="already_in_a_company",
        )
    return None


def _invite(
    *, company: Company, email: str, first_name: str, last_name: str, role: str, existing, actor: Actor
) -> Membership:
    if existing is not None and _joining_refusal(existing) is not None:
        # Recorded and e-mailed like any other invitation, so the answer tells the inviting
        # company nothing about the address; the person learns why at acceptance.
        membership = Membership.with_invitees.create(
            user=None,
            invitee_email=email,
            invitee_first_name=first_name,
            invitee_last_name=last_name,
            company=company,
            role=role,
            invitation_status=InvitationStatus.PENDING,
        )
        record(actor=actor, company=company, action="member.invited", target=email, details={"role": role})
        _send_invitation(membership=membership, actor=actor)
        return membership
    if existing is None:
        user = User(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            language=(actor.user.language if actor.user else "en"),
        )
        _validate_instance(user, exclude=["password", "support_password"])
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    else:
        user = existing
    membership = Membership.objects.create(
        user=user, company=company, role=role, invitation_status=InvitationStatus.PENDING
    )
    record(actor=actor, company=company, action="member.invited", target=email, details={"role": role})
    _send_invitation(membership=membership, actor=actor)
    return membership


def invitation_resend(*, membership: Membership, actor: Actor) -> None:
    _check_manages(actor=actor, company=membership.company, roles=(membership.role,))
    if membership.invitation_status != InvitationStatus.PENDING:
        raise DomainError(_("This person has already joined; there is no invitation to send."))
    with transaction.atomic():
        _send_invitation(membership=membership, actor=actor)
        record(
            actor=actor,
            company=membership.company,
            action="member.invitation_resent",
            target=membership.person_email,
        )


def invitation_revoke(*, membership: Membership, actor: Actor) -> None:
    _check_manages(actor=actor, company=membership.company, roles=(membership.role,))
    if membership.invitation_status != InvitationStatus.PENDING:
        raise DomainError(_("This person has already joined. Remove the member instead."))
    with transaction.atomic():
        user = membership.user
        Invitation.objects.filter(membership=membership, used_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        record(
            actor=actor,
            company=membership.company,
            action="member.invitation_revoked",
            target=membership.person_email,
        )
        membership.delete()
        if user is not None and not user.has_usable_password() and user.last_login is None:
            user.delete()


def membership_release_lapsed(*, user, keep_company: Company | None = None) -> bool:
    """A pending membership whose invitations have all expired or been revoked no longer holds
    the person: it is removed (audited), so they can register a company of their own or be
    invited elsewhere. Returns whether one was removed."""
    now = timezone.now()
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("company")
            .filter(user=user, invitation_status=InvitationStatus.PENDING)
            .first()
        )
        if membership is None or (keep_company is not None and membership.company_id == keep_company.pk):
            return False
        still_open = Invitation.objects.filter(
            membership=membership, used_at=None, revoked_at=None, expires_at__gt=now
        ).exists()
        if still_open:
            return False
        record(
            actor=Actor.system(),
            company=membership.company,
            action="member.invitation_lapsed",
            target=user.email,
        )
        membership.delete()
    return True


def _admins(company: Company):
    return Membership.objects.filter(
        company=company, role=Role.ADMIN, invitation_status=InvitationStatus.ACCEPTED
    )


def member_change_role(*, membership: Membership, role: str, actor: Actor) -> Membership:
    if role not in Role.values:
        raise DomainError(_("Choose one of the roles: administrator, fleet manager, driver."), field="role")
    _check_manages(actor=actor, company=membership.company, roles=(membership.role, role))
    if role == membership.role:
        return membership
    with transaction.atomic():
        membership = (
            # The user is an outer join (an invitation may have none): PostgreSQL locks only inner rows.
            Membership.with_invitees.select_for_update(of=("self", "company"))
            .select_related("company", "user")
            .get(pk=membership.pk)
        )
        if membership.role == Role.ADMIN and role != Role.ADMIN:
            others = _admins(membership.company).select_for_update().exclude(pk=membership.pk)
            if not others.exists():
                raise DomainError(
                    _(
                        "A company needs at least one administrator. Make someone else an "
                        "administrator first."
                    ),
                    field="role",
                )
            if membership.is_primary_admin:
                raise DomainError(
                    _(
                        "The first administrator is the person the dealer verifies and cannot be "
                        "given another role."
                    ),
                    field="role",
                )
        if role == Role.DRIVER and actor.user is not None and membership.user_id == actor.user.pk:
            raise DomainError(
                _(
                    "You cannot make yourself a driver. A sole owner who also drives needs a second "
                    "e-mail address for the driver account."
                ),
                field="role",
            )
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        if membership.user_id:
            member_role_changed.send(
                sender=Membership, company=membership.company, user=membership.user, role=role, actor=actor
            )
        record(
            actor=actor,
            company=membership.company,
            action="member.role_changed",
            target=membership.person_email,
            details={"from": before, "to": role},
        )
    return membership


def member_remove(*, membership: Membership, actor: Actor) -> None:
    with transaction.atomic():
        membership = (
            # The user is an outer join (an invitation may have none): PostgreSQL locks only inner rows.
            Membership.with_invitees.select_for_update(of=("self", "company"))
            .select_related("company", "user")
            .get(pk=membership.pk)
        )
        if actor.user is None or actor.user.pk != membership.user_id:  # leaving (erasure) is one's own
            _check_manages(actor=actor, company=membership.company, roles=(membership.role,))
        if (
            membership.role == Role.ADMIN
            and not _admins(membership.company).exclude(pk=membership.pk).exists()
        ):
            raise DomainError(_("The last administrator cannot be removed."))
        if membership.is_primary_admin:
            raise DomainError(
                _("The first administrator is the person the dealer verifies and cannot be removed.")
            )
        company, user = membership.company, membership.user
        Invitation.objects.filter(membership=membership, used_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        if user is not None:
            member_removed.send(sender=Membership, company=company, user=user, actor=actor)
        membership.delete()
        record(actor=actor, company=company, action="member.removed", target=membership.person_email)
