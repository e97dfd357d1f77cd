"""Retail: what dealer staff do on a customer's account.

Every function here is a write: it runs in one transaction and records an AuditEvent whose actor
is the staff member, their outlet, and the attestation or support session they act under, so the
customer's Activity page shows who did what, from where, and under which window.

Verifying a company, its first administrator or a vehicle hands over to
`packs.services.subscriptions_release`, which starts the activation of the subscriptions that were
only waiting for the dealer.

Retail sits at the end of the dependency chain (users ← companies ← vehicles ← packs ← retail):
it calls the other apps' services, and nothing imports it back.

One module per job:

    access        staff login; the attestation and the support session (with the support
                  password's lock-outs); leaving a company
    verification  company, people and vans verified or rejected; a van transferred
    accounts      dealer staff accounts; a company registered on a customer's behalf
    _common       limits, the actor of a staff member's write, reasons, release
"""

from ._common import (
    REASON_MAX_LENGTH,
    REGISTRATION_WINDOW,
    SERVICE_QUEUE_WINDOW,
    SUPPORT_PASSWORD_MAX_LENGTH,
    queue_actor,
    staff_actor,
)
from .access import (
    attestation_open,
    company_leave,
    staff_authenticate,
    support_session_end,
    support_session_open,
)
from .accounts import dealer_staff_create, registration_create
from .verification import (
    company_reject,
    company_verify,
    member_verify,
    vehicle_reject,
    vehicle_transfer_to,
    vehicle_verify,
    vehicles_verify,
)

__all__ = [
    "REASON_MAX_LENGTH",
    "REGISTRATION_WINDOW",
    "SERVICE_QUEUE_WINDOW",
    "SUPPORT_PASSWORD_MAX_LENGTH",
    "attestation_open",
    "company_leave",
    "company_reject",
    "company_verify",
    "dealer_staff_create",
    "member_verify",
    "queue_actor",
    "registration_create",
    "staff_actor",
    "staff_authenticate",
    "support_session_end",
    "support_session_open",
    "vehicle_reject",
    "vehicle_transfer_to",
    "vehicle_verify",
    "vehicles_verify",
]
