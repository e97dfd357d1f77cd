"""What the apps below privacy (users, companies, vehicles, packs) hold about a person and a
company: export sections, erasure and closure steps, and the audit trail's retention.

Apps above privacy (retail, and later trips and telematics) register their own in their
`AppConfig.ready()`, through the registries in `mpro.personal_data` and `mpro.retention`."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.audit import register_actions
from companies.models import AuditEvent, ContractGeneration, Membership, TermsAcceptance
from mpro import personal_data as pd
from mpro import retention
from packs.models import Order, Subscription
from users.models import ApiToken
from vehicles.models import DriverAssignment, Vehicle, VehicleImport

from . import scrub

WHY_AUDIT = _("The activity log proves who did what (GDPR Art. 5(2)); the person is named by a pseudonym.")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


# --- export sections -----------------------------------------------------------------------------
def profile(user) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "birth_date": _iso(user.birth_date),
        "phone": user.phone,
        "mobile": user.mobile,
        "licence_category": user.licence_category,
        "language": user.language,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "has_support_password": user.has_support_password,
        "support_password_set_at": _iso(user.support_password_set_at),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("id")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created": _iso(t.created),
                "last_used_at": _iso(t.last_used_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "terms_accepted": [
            {"document": t.document, "version": t.version, "accepted_at": _iso(t.accepted_at)}
            for t in TermsAcceptance.objects.filter(user=user).order_by("accepted_at", "id")
        ],
    }


def memberships(user) -> list[dict]:
    return [
        {
            "company": {"pro_id": m.company.pro_id, "name": m.company.name, "country": m.company.country},
            "role": m.role,
            "invitation_status": m.invitation_status,
            "is_primary_admin": m.is_primary_admin,
            "since": _iso(m.created_at),
        }
        for m in Membership.objects.select_related("company").filter(user=user)
    ]


def verification(user) -> dict:
    # Who at the dealer checked the ID is a staff member's data: the export names the mode only.
    return {
        "status": user.verification_status,
        "mode": user.verification_mode,
        "verified_at": _iso(user.verified_at),
    }


def about_user_q(user) -> Q:
    return Q(actor=user) | Q(target__iexact=user.email) | Q(details__driver=user.email)


def audit_events(user) -> list[dict]:
    events = (
        AuditEvent.objects.select_related("company", "dealer").filter(about_user_q(user)).order_by("at", "id")
    )
    out = []
    for event in events:
        own = event.actor_id == user.pk
        out.append(
            {
                "at": _iso(event.at),
                "action": event.action,
                "company": event.company.pro_id if event.company else None,
                "actor": "you" if own else event.actor_kind,
                "dealer": event.dealer.name if event.dealer else None,
                "acting_under": event.acting_under,
                "target": scrub.others_out(event.target, user),
                "details": scrub.others_out(event.details, user),
            }
        )
    return out


def driving(user) -> dict:
    return {
        "assignments": [
            {
                "vin": a.vehicle.vin,
                "licence_plate": a.vehicle.licence_plate,
                "started_at": _iso(a.started_at),
                "ended_at": _iso(a.ended_at),
            }
            for a in DriverAssignment.objects.select_related("vehicle").filter(driver=user)
        ],
        "orders_placed": [
            {"id": o.pk, "company": o.company.pro_id, "pack": o.pack.code, "placed_at": _iso(o.placed_at)}
            for o in Order.objects.select_related("company", "pack").filter(placed_by=user)
        ],
    }


# --- erasure of a person -------------------------------------------------------------------------
def _plan_membership(user) -> list[pd.Item]:
    n = Membership.objects.filter(user=user).count()
    return [pd.Item(_("Membership of the company"), n, pd.DELETED, _("You leave the company."))] if n else []


def _blockers_membership(user) -> list:
    from companies.models import Role

    membership = Membership.objects.select_related("company").filter(user=user).first()
    if membership is None:
        return []
    if membership.is_primary_admin:
        return [
            _(
                "You are the company's first administrator. Close the company, or ask the dealer to "
                "verify another administrator, before erasing your account."
            )
        ]
    admins = Membership.objects.for_company(membership.company).filter(role=Role.ADMIN)
    if membership.role == Role.ADMIN and not admins.exclude(pk=membership.pk).exists():
        return [_("You are the company's last administrator. Make someone else administrator first.")]
    return []


def _erase_membership(user, ctx: pd.ErasureContext) -> None:
    from companies.services import member_remove

    membership = Membership.objects.filter(user=user).first()
    if membership is not None:
        member_remove(membership=membership, actor=ctx.actor)


def _plan_credentials(user) -> list[pd.Item]:
    return [
        pd.Item(_("E-mail addresses"), EmailAddress.objects.filter(user=user).count(), pd.DELETED),
        pd.Item(_("API tokens"), ApiToken.objects.filter(user=user).count(), pd.DELETED),
    ]


def _erase_credentials(user, ctx: pd.ErasureContext) -> None:
    EmailAddress.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()


def _plan_audit(user) -> list[pd.Item]:
    n = AuditEvent.objects.filter(about_user_q(user)).count()
    return [pd.Item(_("Activity log entries about you"), n, pd.ANONYMISED, WHY_AUDIT)]


def _erase_audit(user, ctx: pd.ErasureContext) -> None:
    for event in AuditEvent.objects.filter(about_user_q(user)):
        event.actor_name = scrub.replace(event.actor_name, ctx)
        event.target = scrub.replace(event.target, ctx)[:200]
        event.details = scrub.replace(event.details, ctx)
        event.save(update_fields=["actor_name", "target", "details"])


def _plan_records(user) -> list[pd.Item]:
    return [
        pd.Item(
            _("Driving assignments (which van, from when to when)"),
            DriverAssignment.objects.filter(driver=user).count(),
            pd.ANONYMISED,
            _("The company keeps its record of who had which van, under the pseudonym."),
        ),
        pd.Item(
            _("Orders you placed"),
            Order.objects.filter(placed_by=user).count(),
            pd.ANONYMISED,
            _("Orders are contract and billing records; the orderer is named by the pseudonym."),
        ),
        pd.Item(
            _("Accepted terms"),
            TermsAcceptance.objects.filter(user=user).count(),
            pd.KEPT,
            _("Proof of the contract's terms; it names no one but the pseudonym."),
        ),
    ]


def _erase_records(user, ctx: pd.ErasureContext) -> None:
    for order in Order.objects.filter(placed_by=user):
        order.placed_by_name = scrub.replace(order.placed_by_name, ctx)
        order.save(update_fields=["placed_by_name"])


def _plan_account(user) -> list[pd.Item]:
    return [
        pd.Item(
            _("Your profile: name, e-mail, date of birth, phone numbers, licence, passwords, identity check"),
            1,
            pd.DELETED,
        ),
        pd.Item(
            _("Your account"),
            1,
            pd.ANONYMISED,
            _("Kept as an empty pseudonym so that the records above still hold together; it cannot log in."),
        ),
    ]


def _erase_account(user, ctx: pd.ErasureContext) -> None:
    user.email = f"{ctx.pseudonym.lower().replace(' ', '-')}@erased.invalid"
    user.first_name = ""
    user.last_name = ""
    user.birth_date = None
    user.phone = ""
    user.mobile = ""
    user.licence_category = ""
    user.support_password = ""
    user.support_password_set_at = None
    user.verification_status = "unverified"
    user.verification_mode = ""
    user.verified_at = None
    user.verified_by = None
    user.last_login = None
    user.is_active = False
    user.set_unusable_password()  # also ends every session (their hash no longer matches)
    user.save()


# --- closing a company ---------------------------------------------------------------------------
def _plan_company(company) -> list[pd.Item]:
    return [
        pd.Item(
            _("Company details and contract generations"),
            1 + ContractGeneration.objects.filter(company=company).count(),
            pd.DELETED,
        ),
        pd.Item(
            _("Memberships (the people's own accounts stay theirs)"),
            Membership.objects.for_company(company).count(),
            pd.DELETED,
        ),
        pd.Item(
            _("Vans and their driver assignments"), Vehicle.objects.for_company(company).count(), pd.DELETED
        ),
        pd.Item(_("Vehicle imports"), VehicleImport.objects.filter(company=company).count(), pd.DELETED),
        pd.Item(
            _("Orders and subscriptions"),
            Order.objects.for_company(company).count() + Subscription.objects.for_company(company).count(),
            pd.DELETED,
        ),
        pd.Item(
            _("Activity log"),
            AuditEvent.objects.for_company(company).count(),
            pd.KEPT,
            _(
                "Kept without the company until its retention period ends, to prove who did what (GDPR Art. 5(2))."
            ),
        ),
        pd.Item(
            _("The PRO ID"),
            1,
            pd.KEPT,
            _("Never issued again, so it cannot be mistaken for another company."),
        ),
    ]


def _close_company(company, ctx: pd.ErasureContext) -> None:
    AuditEvent.objects.filter(company=company).update(company=None)
    company.delete()


def register_all() -> None:
    for section in (
        pd.Section("profile", _("Profile"), profile, order=10),
        pd.Section("memberships", _("Memberships"), memberships, order=20),
        pd.Section("verification", _("Identity check"), verification, order=30),
        pd.Section("driving", _("Vans and orders"), driving, order=40),
        pd.Section("audit_events", _("Activity log entries about you"), audit_events, order=90),
    ):
        pd.register_section(section)
    for step in (
        pd.Step("membership", _plan_membership, _erase_membership, order=10, blockers=_blockers_membership),
        pd.Step("credentials", _plan_credentials, _erase_credentials, order=20),
        pd.Step("records", _plan_records, _erase_records, order=30),
        # After the membership step, which records "member removed" with the person's e-mail.
        pd.Step("audit", _plan_audit, _erase_audit, order=80),
        pd.Step("account", _plan_account, _erase_account, order=99),
    ):
        pd.register_person_step(step)
    pd.register_company_step(pd.Step("company", _plan_company, _close_company, order=99))
    retention.register(
        retention.RetentionRule(
            key="audit_events",
            label=_("Activity log (audit events)"),
            setting="RETENTION_AUDIT_EVENTS_DAYS",
            default_days=1095,
            queryset=lambda: AuditEvent.objects.all(),
            field="at",
            why=WHY_AUDIT,
        )
    )
    register_actions(
        {
            "privacy.export_downloaded": _("Personal data downloaded"),
            "privacy.account_erased": _("Account erased"),
            "privacy.company_closed": _("Company closed and its data deleted"),
        }
    )
