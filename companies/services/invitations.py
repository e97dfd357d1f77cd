"""Joining by invitation: the link looked up, declined or accepted by the invited person.
(Sending, resending and revoking invitations are the company's side: members.py.)"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpro.errors import DomainError, FieldErrors

from ..audit import Actor, record
from ..models import Company, Invitation, InvitationStatus, Role, TermsDocument
from ._common import _hash, terms_accept
from .members import _joining_refusal, invitee_account
from .people import _support_password_store


def invitation_lookup(token: str) -> Invitation:
    """The open invitation for a token, or a DomainError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("membership__company", "membership__user")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise DomainError(
            _("This invitation link is not valid. Ask your company administrator for a new one.")
        )
    if invitation.used_at is not None:
        raise DomainError(
            _("This invitation link has already been used. Log in with your e-mail and password.")
        )
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _("This invitation link has expired. Ask your company administrator to send it again.")
        )
    invitation.invitee = invitee_account(invitation.membership)
    if invitation.invitee is None:  # recorded without a user, whose account has since been erased
        raise DomainError(
            _("This invitation link is not valid. Ask your company administrator for a new one.")
        )
    return invitation


def invitation_decline(*, token: str) -> Company:
    """The invited person says no: the invitation is used up, the pending membership removed (and
    an account that was made only for it and never used), so the person is free to register their
    own company or join another. The inviting company sees it in its activity."""
    invitation = invitation_lookup(token)
    membership = invitation.membership
    user, company = invitation.invitee, membership.company
    made_for_it = membership.user_id is not None
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        if not claimed:
            raise DomainError(
                _("This invitation link is not valid. Ask your company administrator for a new one.")
            )
        record(
            actor=Actor.customer(user),
            company=company,
            action="member.invitation_declined",
            target=user.email,
        )
        membership.delete()
        if made_for_it and not user.has_usable_password() and user.last_login is None:
            user.delete()
    return company


def invitation_needs(invitation: Invitation) -> dict[str, bool]:
    """What the person must still provide to join."""
    membership = invitation.membership
    user = invitation.invitee
    is_admin = membership.role == Role.ADMIN
    return {
        "password": not user.has_usable_password(),
        "pack_terms": is_admin,
        "support_password": membership.is_primary_admin and not user.has_support_password,
    }


def invitation_accept(
    *,
    token: str,
    password: str | None = None,
    accept_terms: bool = False,
    accept_pack_terms: bool = False,
    support_password: str | None = None,
) -> Any:
    """The invited person joins: sets a password (if new), accepts the terms and lands in the
    company with the role they were invited with. Single use."""
    invitation = invitation_lookup(token)
    needs = invitation_needs(invitation)
    membership = invitation.membership
    user = invitation.invitee
    refusal = _joining_refusal(user, membership=membership)
    if refusal is not None:
        raise refusal
    _check_acceptance(
        needs,
        user,
        password=password,
        accept_terms=accept_terms,
        accept_pack_terms=accept_pack_terms,
        support_password=support_password,
    )
    actor = Actor.customer(user)
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at=None, revoked_at=None).update(
            used_at=timezone.now()
        )
        if not claimed:
            raise DomainError(
                _("This invitation link has already been used. Log in with your e-mail and password.")
            )
        if needs["password"]:
            user.set_password(password)
            user.save(update_fields=["password"])
        if needs["support_password"]:
            # Joining by invitation as the primary administrator is that person's first time.
            _support_password_store(user=user, support_password=support_password, actor=actor)
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
        _join(membership, user)
        documents = [TermsDocument.TERMS_OF_USE] + ([TermsDocument.PACK_TERMS] if needs["pack_terms"] else [])
        terms_accept(user=user, documents=documents, actor=actor, company=membership.company)
        record(
            actor=actor,
            company=membership.company,
            action="member.joined",
            target=user.email,
            details={"role": membership.role},
        )
    return user


def _join(membership, user) -> None:
    """The membership becomes the person's (an invitation recorded without a user gets it now)."""
    membership.user = user
    membership.invitation_status = InvitationStatus.ACCEPTED
    membership.invitee_email = membership.invitee_first_name = membership.invitee_last_name = ""
    try:
        with transaction.atomic():
            membership.save(
                update_fields=[
                    "user",
                    "invitation_status",
                    "invitee_email",
                    "invitee_first_name",
                    "invitee_last_name",
                ]
            )
    except IntegrityError:  # the person joined another company a moment ago
        raise _joining_refusal(user, membership=membership) or DomainError(
            _("This invitation link is not valid. Ask your company administrator for a new one.")
        ) from None


def _check_acceptance(
    needs: dict[str, bool],
    user,
    *,
    password: str | None,
    accept_terms: bool,
    accept_pack_terms: bool,
    support_password: str | None,
) -> None:
    """FieldErrors for each thing the person must still give to join and did not."""
    errors: dict[str, list] = {}
    if needs["password"]:
        try:
            password_validation.validate_password(password or "", user)
        except ValidationError as error:
            errors["password"] = error.messages
    if not accept_terms:
        errors["accept_terms"] = [_("Accept the terms of use to continue.")]
    if needs["pack_terms"] and not accept_pack_terms:
        errors["accept_pack_terms"] = [_("Accept the service pack terms to continue.")]
    if needs["support_password"] and not support_password:
        errors["support_password"] = [_("Choose your support password to continue.")]
    if errors:
        raise FieldErrors(errors)
