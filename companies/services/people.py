"""People: the profile (a change of name or birth date asks the dealer to verify again) and the
support password."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpro.errors import DomainError, FieldErrors, ForbiddenError
from mpro.names import clean_name
from users.models import VerificationStatus

from .. import validators
from ..audit import Actor, record
from ..models import (
    Membership,
    Role,
)
from ._common import User

# --- people ----------------------------------------------------------------------------------
PERSON_FIELDS = ("first_name", "last_name", "birth_date", "phone", "mobile", "licence_category", "language")


def _apply_person(user, data: dict[str, Any], *, region: str, prefix: str = "") -> None:
    """Sets and checks a person's fields (shared by profile edits and dealer registrations)."""
    errors: dict[str, list] = {}
    for field in PERSON_FIELDS:
        if field not in data:
            continue
        value = data[field]
        try:
            if field in ("phone", "mobile"):
                value = validators.normalize_phone(value, region)
            elif field == "birth_date":
                if isinstance(value, str) and value:
                    value = datetime.date.fromisoformat(value)
                validators.validate_birth_date(value or None)
                value = value or None
            elif field in ("first_name", "last_name"):
                value = clean_name(value)
            elif isinstance(value, str):
                value = " ".join(value.split())
        except (ValidationError, ValueError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [_("Enter a valid date.")]
            errors[prefix + field] = messages
            continue
        setattr(user, field, value)
    try:
        user.full_clean(
            exclude=["password", "email", "support_password"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field in data:
                errors.setdefault(prefix + field, messages)
    if errors:
        raise FieldErrors(errors)


def person_region(user) -> str:
    membership = getattr(user, "membership", None) if user.pk else None
    return validators.region_for(
        country=membership.company.country if membership else None, language=user.language
    )


# What the dealer compared with the ID papers: a change of any of them needs a new check (FAQ 8).
IDENTITY_FIELDS = ("first_name", "last_name", "birth_date")


def reverification_message() -> str:
    return _(
        "You are changing your name or date of birth. Your dealer checked them against your ID, so "
        "your identity becomes unverified until the dealer checks it again. Your company's services "
        "keep running for %(days)d days in the meantime. Confirm to save."
    ) % {"days": settings.VERIFICATION_GRACE_DAYS}


def profile_update(*, user, actor: Actor, confirm_reverification: bool = False, **fields: Any):
    """A person edits their own data (all of it can change; the dealer compares it with the ID).

    User data must match the ID papers: when a verified person changes name or date of birth,
    they are told first (DomainError `reverification_required` on `confirm_reverification`,
    nothing saved) and, once they confirm, their verification is reset to unverified; the
    company's live services run on for settings.VERIFICATION_GRACE_DAYS (the daily task of
    packs pauses them afterwards, until the dealer has verified the person again)."""
    with transaction.atomic():
        # As stored, not as a bound model form may already have set them on `user`.
        stored = User.objects.select_for_update().values(*IDENTITY_FIELDS, "verification_status")
        stored = stored.get(pk=user.pk)
        _apply_person(user, fields, region=person_region(user))
        changed = [field for field in IDENTITY_FIELDS if getattr(user, field) != stored[field]]
        reset = bool(changed) and stored["verification_status"] == VerificationStatus.VERIFIED
        if reset and not confirm_reverification:
            user.refresh_from_db(fields=[*PERSON_FIELDS])
            raise DomainError(
                reverification_message(), field="confirm_reverification", code="reverification_required"
            )
        user.save()
        membership = Membership.objects.select_related("company").filter(user=user).first()
        company = membership.company if membership else None
        record(
            actor=actor,
            company=company,
            action="user.profile_updated",
            target=user.email,
            details={"fields": sorted(f for f in fields if f in PERSON_FIELDS)},
        )
        if reset:
            grace_until = timezone.now() + datetime.timedelta(days=settings.VERIFICATION_GRACE_DAYS)
            user.reset_verification_for_new_identity(grace_until=grace_until)
            record(
                actor=actor,
                company=company,
                action="user.verification_reset",
                target=user.email,
                details={"fields": changed, "grace_until": grace_until.isoformat()},
            )
    return user


def support_password_set(
    *,
    user,
    support_password: str,
    actor: Actor,
    current_password: str | None = None,
    reauthenticated: bool = False,
) -> None:
    """Sets or changes the support password. Only its owner may, and only re-authenticated: the
    API checks `current_password`, the account page passes `reauthenticated=True` behind allauth's
    re-authentication. The first registration's step sets it once without re-authentication
    (`support_password_set_at_registration`)."""
    if current_password is not None:
        if not user.check_password(current_password):
            raise DomainError(_("Your current password is not correct."), field="current_password")
    elif not reauthenticated:
        raise ForbiddenError(
            _("Confirm your password on your account page to change the support password."),
            code="reauthentication_required",
        )
    _support_password_store(user=user, support_password=support_password, actor=actor)


def registration_needs_support_password(user) -> bool:
    """True only in the first registration: the accepted primary administrator of a company who
    has no support password yet."""
    membership = Membership.objects.filter(user=user).first()
    return (
        membership is not None
        and membership.is_accepted
        and membership.is_primary_admin
        and membership.role == Role.ADMIN
        and not user.has_support_password
    )


def support_password_set_at_registration(*, user, support_password: str, actor: Actor) -> None:
    """The registration's last step: the company's first administrator chooses the support
    password once, without re-authenticating. Anyone else, or a second time: refused."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not registration_needs_support_password(user):
            raise ForbiddenError(
                _("Your support password is set already. Change it on your account page."),
                code="support_password_already_set",
            )
        _support_password_store(user=user, support_password=support_password, actor=actor)


def _support_password_store(*, user, support_password: str, actor: Actor) -> None:
    value = support_password or ""
    if len(value) < 6:
        raise DomainError(_("Choose a support password of at least 6 characters."), field="support_password")
    if len(value) > 128:
        raise DomainError(_("Choose a support password of at most 128 characters."), field="support_password")
    if user.has_usable_password() and user.check_password(value):
        raise DomainError(
            _("Choose a support password different from your login password."), field="support_password"
        )
    with transaction.atomic():
        user.set_support_password(value)
        user.save(update_fields=["support_password", "support_password_set_at"])
        membership = Membership.objects.select_related("company").filter(user=user).first()
        record(
            actor=actor,
            company=membership.company if membership else None,
            action="user.support_password_set",
            target=user.email,
        )
