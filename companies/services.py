"""Every write on companies, members, invitations and terms. Pages, the API and the Retail site
call these; none of them checks a rule of its own."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mpro.errors import ConflictError, DomainError, FieldErrors, ForbiddenError
from mpro.names import clean_name
from users.models import VerificationStatus

from . import emails, timezones, validators
from .audit import Actor, record
from .models import (
    ActorKind,
    Company,
    ContractGeneration,
    Invitation,
    InvitationStatus,
    IssuedProId,
    Membership,
    Role,
    TermsAcceptance,
    TermsDocument,
)
from .permissions import manages_role
from .selectors import terms_version
from .signals import contract_generation_started, member_removed, member_role_changed

User = get_user_model()

PRO_ID_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# A change to any of these starts a new contract generation (the FAQ: base data).
BASE_DATA_FIELDS = ("name", "street", "postal_code", "city")
COMPANY_FIELDS = (
    "name",
    "manager_name",
    "street",
    "postal_code",
    "city",
    "country",
    "email",
    "phone",
    "vat_number",
)


# --- helpers ---------------------------------------------------------------------------------
def _field_errors(error: ValidationError) -> FieldErrors:
    if hasattr(error, "error_dict"):
        return FieldErrors(
            {field: [m for e in errs for m in e.messages] for field, errs in error.error_dict.items()}
        )
    return FieldErrors({"non_field_errors": error.messages})


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_pro_id() -> str:
    return "PRO-" + "".join(secrets.choice(PRO_ID_LETTERS) for _ in range(6))


def _issue_pro_id() -> str:
    """A random PRO ID never issued before. IssuedProId's unique constraint is the arbiter; a
    collision (1 in 300 million per company) just draws again."""
    for _attempt in range(10):
        pro_id = new_pro_id()
        try:
            with transaction.atomic():
                IssuedProId.objects.create(pro_id=pro_id)
            return pro_id
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free PRO ID")


def _clean_company_data(data: dict[str, Any], *, country: str) -> dict[str, Any]:
    """Normalises and checks company fields; raises FieldErrors naming every bad field."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list] = {}
    for field, value in data.items():
        if field not in COMPANY_FIELDS and field != "time_zone":
            continue
        try:
            if field == "time_zone":
                cleaned[field] = (value or "").strip()
                if cleaned[field] and not timezones.is_valid(cleaned[field]):
                    raise ValidationError(_("Choose a time zone from the list."))
            elif field == "country":
                cleaned[field] = validators.normalize_country(value)
            elif field == "postal_code":
                cleaned[field] = validators.normalize_postal_code(value, country)
            elif field == "phone":
                cleaned[field] = validators.normalize_phone(value, validators.region_for(country=country))
                if not cleaned[field]:
                    raise ValidationError(_("This field is required."))
            elif field == "vat_number":
                cleaned[field] = validators.normalize_vat_number(value)
            elif field == "email":
                cleaned[field] = (value or "").strip().lower()
            else:  # name, manager_name, street, city: text people read
                cleaned[field] = clean_name(value)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise FieldErrors(errors)
    return cleaned


def _validate_instance(instance, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise _field_errors(error) from None


def terms_accept(*, user, documents: list[str], actor: Actor, company: Company | None = None) -> None:
    accepted = []
    for document in documents:
        version = terms_version(document)
        _acceptance, created = TermsAcceptance.objects.get_or_create(
            user=user, document=document, version=version
        )
        if created:
            accepted.append({"document": document, "version": version})
    if accepted:
        # One event for one tick of the box, however many documents it covered.
        record(
            actor=actor,
            company=company,
            action="terms.accepted",
            target=user.email,
            details={"documents": accepted},
        )


def _start_generation(company: Company) -> ContractGeneration:
    return ContractGeneration.objects.create(
        company=company,
        number=company.contract_generation,
        base_data={field: getattr(company, field) for field in (*BASE_DATA_FIELDS, "country", "vat_number")},
    )


# --- companies -------------------------------------------------------------------------------
def company_register(
    *,
    user,
    name: str,
    manager_name: str,
    street: str,
    postal_code: str,
    city: str,
    country: str,
    email: str,
    phone: str,
    vat_number: str = "",
    accept_terms: bool,
    actor: Actor,
) -> Company:
    """A customer registers their company and becomes its first (primary) administrator."""
    membership_release_lapsed(user=user)
    if Membership.objects.filter(user=user).exists():
        raise ConflictError(
            _("You already belong to a company. A person can belong to one company only."),
            code="company_exists",
        )
    data = dict(
        name=name,
        manager_name=manager_name,
        street=street,
        postal_code=postal_code,
        city=city,
        country=country,
        email=email,
        phone=phone,
        vat_number=vat_number,
    )
    if not accept_terms:
        # Every field error in one round: the terms error comes with the address's, not after it.
        terms_error = _("Accept the terms of use and the service pack terms to register.")
        try:
            company_data_check(data=data)
        except FieldErrors as error:
            raise FieldErrors({**error.errors, "accept_terms": [terms_error]}) from None
        raise DomainError(terms_error, field="accept_terms")
    try:
        with transaction.atomic():
            return _register(user=user, actor=actor, data=data)
    except IntegrityError:
        # A second request of the same person won the race for the one-company constraint.
        raise ConflictError(
            _("You already belong to a company. A person can belong to one company only."),
            code="company_exists",
        ) from None


def _register(*, user, actor: Actor, data: dict[str, Any]) -> Company:
    company = _create_company(data)
    Membership.objects.create(user=user, company=company, role=Role.ADMIN, is_primary_admin=True)
    record(
        actor=actor,
        company=company,
        action="company.registered",
        target=company.pro_id,
        details={"name": company.name},
    )
    terms_accept(
        user=user,
        documents=[TermsDocument.TERMS_OF_USE, TermsDocument.PACK_TERMS],
        actor=actor,
        company=company,
    )
    return company


def _create_company(data: dict[str, Any]) -> Company:
    country = validators.normalize_country(data.get("country", "")) if data.get("country") else ""
    if not country:
        raise FieldErrors({"country": [_("This field is required.")]})
    cleaned = _clean_company_data(data, country=country)
    company = Company(**cleaned)
    _validate_instance(company, exclude=["pro_id", "default_workshop"])
    company.pro_id = _issue_pro_id()
    company.save()
    _start_generation(company)
    return company


def company_data_check(*, data: dict[str, Any]) -> None:
    """Raises FieldErrors for every company field that would be refused (postal code for the
    country, phone, VAT number...), without writing anything: forms show them in one round."""
    _clean_company_data(data, country=(data.get("country") or "").strip().upper())


def company_update(*, company: Company, actor: Actor, **fields: Any) -> Company:
    """Changes company data: the one service behind the portal's company page, PATCH /company and
    the Retail site's edit for the customer. The country is fixed once registered; a change of
    name or address starts a new contract generation, and the company's live subscriptions move
    onto it in the same transaction (packs listens to `contract_generation_started`)."""
    if "country" in fields and (fields["country"] or "").strip().upper() != company.country:
        raise DomainError(_("The country cannot be changed once the company is registered."), field="country")
    fields.pop("country", None)
    cleaned = _clean_company_data(fields, country=company.country)
    changed = {f: v for f, v in cleaned.items() if getattr(company, f) != v}
    if not changed:
        return company
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        before = {f: getattr(company, f) for f in changed}
        for field, value in changed.items():
            setattr(company, field, value)
        _validate_instance(company, exclude=["pro_id", "default_workshop"])
        new_generation = any(f in BASE_DATA_FIELDS for f in changed)
        if new_generation:
            company.contract_generation += 1
        company.save()
        record(
            actor=actor,
            company=company,
            action="company.updated",
            target=company.pro_id,
            details={"changed": {f: [before[f], changed[f]] for f in changed}},
        )
        if new_generation:
            _start_generation(company)
            record(
                actor=actor,
                company=company,
                action="company.new_contract_generation",
                target=company.pro_id,
                details={"generation": company.contract_generation},
            )
            contract_generation_started.send(
                sender=Company, company=company, generation=company.contract_generation, actor=actor
            )
    return company


def company_register_for_customer(*, admin: dict[str, Any], company: dict[str, Any], actor: Actor) -> Company:
    """A dealer registers a company with its customer. The administrator receives an e-mail to
    finish: choose a password, accept the terms, set the support password."""
    email = (admin.get("email") or "").strip().lower()
    if not email:
        raise FieldErrors({"admin.email": [_("This field is required.")]})
    if User.objects.filter(email__iexact=email).exists():
        raise FieldErrors({"admin.email": [_email_taken()]})
    try:
        return _register_for_customer(email=email, admin=admin, company=company, actor=actor)
    except IntegrityError:
        # The address was registered in the meantime (the unique e-mail constraint decided).
        raise FieldErrors({"admin.email": [_email_taken()]}) from None


def _email_taken() -> str:
    return _(
        "This e-mail address cannot be used for a new registration. "
        "If the customer already has an account, they can register the company themselves."
    )


@transaction.atomic
def _register_for_customer(
    *, email: str, admin: dict[str, Any], company: dict[str, Any], actor: Actor
) -> Company:
    user = User(email=email)
    _apply_person(
        user,
        admin,
        region=validators.region_for(country=(company.get("country") or "").upper() or None),
        prefix="admin.",
    )
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    try:
        new_company = _create_company(company)
    except FieldErrors as error:
        raise FieldErrors({f"company.{k}": v for k, v in error.errors.items()}) from None
    membership = Membership.objects.create(
        user=user,
        company=new_company,
        role=Role.ADMIN,
        is_primary_admin=True,
        invitation_status=InvitationStatus.PENDING,
    )
    record(
        actor=actor,
        company=new_company,
        action="company.registered",
        target=new_company.pro_id,
        details={"name": new_company.name, "by_dealer": True},
    )
    _send_invitation(membership=membership, actor=actor)
    return new_company


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
    transaction.on_commit(
        lambda: emails.send_invitation(membership=membership, token=token, actor_name=actor.name)
    )
    return invitation


def member_invite(
    *, company: Company, email: str, first_name: str, last_name: str, role: str, actor: Actor
) -> Membership:
    email = (email or "").strip().lower()
    errors: dict[str, list] = {}
    names = {"first_name": first_name, "last_name": last_name}
    for field, value in names.items():
        try:
            names[field] = clean_name(value)
        except ValidationError as error:
            errors[field] = error.messages
    first_name, last_name = names["first_name"], names["last_name"]
    if role not in Role.values:
        errors["role"] = [_("Choose one of the roles: administrator, fleet manager, driver.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if errors:
        raise FieldErrors(errors)
    _check_manages(actor=actor, company=company, roles=(role,))
    if actor.user is not None and email == actor.user.email and role == Role.DRIVER:
        raise DomainError(
            _(
                "You cannot add yourself as a driver with your own e-mail address. A sole owner who also drives "
                "needs a second e-mail address for the driver account."
            ),
            field="email",
        )
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        # Another company's lapsed invitation no longer holds the person; one of this company's
        # own is offered again below (resend) instead.
        membership_release_lapsed(user=existing, keep_company=company)
    if existing is not None and hasattr(existing, "dealer_staff"):
        # Dealer staff have no customer pages; their account cannot join a company.
        raise DomainError(
            _("This e-mail address cannot be invited. Ask the person for another address."), field="email"
        )
    if existing is not None and Membership.objects.filter(user=existing).exists():
        own = Membership.objects.filter(user=existing, company=company).first()
        if own is not None and own.invitation_status == InvitationStatus.PENDING:
            raise DomainError(
                _("This person has been invited already and has not accepted yet."),
                field="email",
                code="invitation_pending",
            )
        if own is not None:
            raise DomainError(_("This person is already a member of your company."), field="email")
        raise DomainError(
            _("This e-mail address cannot be invited. Ask the person for another address."), field="email"
        )
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


def _invite(
    *, company: Company, email: str, first_name: str, last_name: str, role: str, existing, actor: Actor
) -> Membership:
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
            target=membership.user.email,
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
        record(actor=actor, company=membership.company, action="member.invitation_revoked", target=user.email)
        membership.delete()
        if not user.has_usable_password() and user.last_login is None:
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
    return invitation


def invitation_decline(*, token: str) -> Company:
    """The invited person says no: the invitation is used up, the pending membership removed (and
    an account that was made only for it and never used), so the person is free to register their
    own company or join another. The inviting company sees it in its activity."""
    invitation = invitation_lookup(token)
    membership = invitation.membership
    user, company = membership.user, membership.company
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
        if not user.has_usable_password() and user.last_login is None:
            user.delete()
    return company


def invitation_needs(invitation: Invitation) -> dict[str, bool]:
    """What the person must still provide to join."""
    membership = invitation.membership
    user = membership.user
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
    user = membership.user
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
        membership.invitation_status = InvitationStatus.ACCEPTED
        membership.save(update_fields=["invitation_status"])
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
            Membership.objects.select_for_update().select_related("company", "user").get(pk=membership.pk)
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
        member_role_changed.send(
            sender=Membership, company=membership.company, user=membership.user, role=role, actor=actor
        )
        record(
            actor=actor,
            company=membership.company,
            action="member.role_changed",
            target=membership.user.email,
            details={"from": before, "to": role},
        )
    return membership


def member_remove(*, membership: Membership, actor: Actor) -> None:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().select_related("company", "user").get(pk=membership.pk)
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
        member_removed.send(sender=Membership, company=company, user=user, actor=actor)
        membership.delete()
        record(actor=actor, company=company, action="member.removed", target=user.email)
