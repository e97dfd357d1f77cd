"""The one door to a customer's company on the Retail site and the Retail API.

A staff member reaches a company through windows: an attestation (they confirmed the customer's
identity; opens the company for settings.ATTESTATION_HOURS), and, to act for the customer, a
support session on top of it (opened with the support password). `open_window` checks them in
that order and returns the actor the staff member acts as; the pages (`retail.access`) turn a
refusal into a redirect to the missing step, the API (`retail.api`) into a 403 with its code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from companies.audit import Actor
from companies.models import Company
from mpro.errors import ForbiddenError

from . import selectors
from .models import Attestation, DealerStaff, SupportSession
from .services import staff_actor

ATTESTATION = "attestation"
SUPPORT_SESSION = "support_session"


class WindowRequired(ForbiddenError):
    """The staff member lacks the window `need` on this company (code `<need>_required`)."""

    def __init__(self, *, need: str, company: Company):
        message = (
            _("Confirm the customer's identity to open this company.")
            if need == ATTESTATION
            else _("Acting for the customer needs a support session: ask for the support password.")
        )
        super().__init__(message, code=f"{need}_required")
        self.need = need
        self.company = company


@dataclass(frozen=True)
class Window:
    company: Company
    attestation: Attestation | None
    support_session: SupportSession | None
    # The staff member under the window asked for (None when none was asked for).
    actor: Actor | None


def open_window(*, staff: DealerStaff, company: Company, need: str | None = ATTESTATION) -> Window:
    """The windows `staff` holds on `company`, checked for `need`: None (nothing required),
    ATTESTATION, or SUPPORT_SESSION (an attestation, then a support session). Raises
    WindowRequired naming the first missing one."""
    attestation = selectors.open_attestation(staff=staff, company=company)
    support_session = selectors.open_support_session(staff=staff, company=company)
    actor = None
    if need is not None:
        if attestation is None:
            raise WindowRequired(need=ATTESTATION, company=company)
        actor = staff_actor(staff=staff, window=attestation)
    if need == SUPPORT_SESSION:
        if support_session is None:
            raise WindowRequired(need=SUPPORT_SESSION, company=company)
        actor = staff_actor(staff=staff, window=support_session)
    return Window(company=company, attestation=attestation, support_session=support_session, actor=actor)
