"""What the Retail services share: limits, the actor of a staff member's write, reasons, release."""

from __future__ import annotations

from django.utils.translation import gettext as _

from companies.audit import Actor
from companies.models import Company
from mpro.errors import DomainError
from packs.services import subscriptions_release
from vehicles.models import Vehicle

from ..models import (
    Attestation,
    DealerStaff,
    SupportSession,
)

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
