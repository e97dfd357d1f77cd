"""The audit trail: every write that matters records who did it, for which company, and how.

Services call `record(...)` inside their transaction, so the event and the change commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from .models import ActorKind, AuditEvent, Company, Dealer

if TYPE_CHECKING:
    from users.models import User


@dataclass(frozen=True)
class Actor:
    """Who performs a service call: a customer, dealer staff (with the window they act under), or
    the system (tasks)."""

    kind: str
    user: User | None = None
    dealer: Dealer | None = None
    acting_under: str = ""

    @classmethod
    def customer(cls, user: User) -> Actor:
        return cls(kind=ActorKind.USER, user=user)

    @classmethod
    def system(cls) -> Actor:
        return cls(kind=ActorKind.SYSTEM)

    @classmethod
    def dealer_staff(cls, *, user: User, dealer: Dealer, acting_under: str) -> Actor:
        return cls(kind=ActorKind.DEALER_STAFF, user=user, dealer=dealer, acting_under=acting_under)

    @property
    def is_staff(self) -> bool:
        return self.kind == ActorKind.DEALER_STAFF

    @property
    def name(self) -> str:
        if self.user is None:
            return "mpro"
        return self.user.get_full_name() or self.user.email


def _event(
    *, actor: Actor, company: Company | None, action: str, target: str, details: dict | None
) -> AuditEvent:
    return AuditEvent(
        company=company,
        actor_kind=actor.kind,
        actor=actor.user,
        actor_name=actor.name,
        dealer=actor.dealer,
        acting_under=actor.acting_under,
        action=action,
        target=str(target)[:200],
        details=details or {},
    )


def record(
    *,
    actor: Actor,
    company: Company | None,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = _event(actor=actor, company=company, action=action, target=target, details=details)
    event.save()
    return event


def record_together(
    *, actor: Actor, events: list[tuple[Company | None, str, str, dict[str, Any] | None]]
) -> list[AuditEvent]:
    """The events of one change, (company, action, target, details) each, in one insert and in
    this order (an activation and the module it switched on)."""
    return AuditEvent.objects.bulk_create(
        [_event(actor=actor, company=c, action=a, target=t, details=d) for c, a, t, d in events]
    )


def record_many(
    *,
    actor: Actor,
    action: str,
    events: list[tuple[Company | None, str, dict[str, Any]]],
    batch_size: int = 1000,
) -> None:
    """One event per (company, target, details), written in bulk: imports and daily mass changes."""
    AuditEvent.objects.bulk_create(
        [_event(actor=actor, company=c, action=action, target=t, details=d) for c, t, d in events],
        batch_size=batch_size,
    )


# Human labels of the actions, shown on Activity pages. Each app adds its own in AppConfig.ready().
ACTION_LABELS: dict[str, Any] = {}


def register_actions(labels: dict[str, Any]) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The human label of an action; an action nobody labelled reads as words, never as a slug."""
    label = ACTION_LABELS.get(action)
    if label is None:
        return action.replace("retail.", "").replace("_", " ").replace(".", ": ").capitalize()
    return str(label)


# The "what" filter of Activity pages: each group is a set of action prefixes.
ACTION_GROUPS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "company": (_("Company and terms"), ("company.", "terms.", "user.")),
    "members": (_("Users and invitations"), ("member.",)),
    "vehicles": (_("Vans, drivers and imports"), ("vehicle.", "vehicle_import.", "driver.")),
    "packs": (_("Orders and subscriptions"), ("order.", "subscription.", "subscriptions.")),
    "dealer": (_("Dealer visits and verification"), ("retail.",)),
}


register_actions(
    {
        "company.registered": _("Company registered"),
        "company.updated": _("Company details changed"),
        "company.new_contract_generation": _("New contract generation started"),
        "member.invited": _("Member invited"),
        "member.invitation_resent": _("Invitation sent again"),
        "member.invitation_revoked": _("Invitation revoked"),
        "member.invitation_declined": _("Invitation declined"),
        "member.invitation_lapsed": _("Invitation expired: the person is free again"),
        "member.joined": _("Member joined"),
        "member.role_changed": _("Role changed"),
        "member.removed": _("Member removed"),
        "user.profile_updated": _("Profile updated"),
        "user.verification_reset": _("Identity to be checked again (name or date of birth changed)"),
        "user.support_password_set": _("Support password set"),
        "terms.accepted": _("Terms accepted"),
    }
)
