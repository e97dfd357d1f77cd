"""E-mails the Retail side causes for a customer (consumers of mpro.outbox events)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from companies.models import Company
from companies.notices import administrators, link, send_notice
from mpro.outbox import Event

from .models import DealerStaff


def support_password_locked(event: Event) -> None:
    """The company's support password took its last wrong try of the window: tell every
    administrator who tried (dealer and outlet, never the password) and what to do."""
    company = Company.objects.filter(pk=event.company_id).first()
    staff = DealerStaff.objects.select_related("dealer", "user").filter(pk=event.payload.get("staff")).first()
    if company is None or staff is None:
        return
    dealer = staff.dealer
    send_notice(
        users=administrators(company.pk),
        subject=lambda: _("Support password of %(name)s locked after wrong tries") % {"name": company.name},
        lines=lambda: [
            _(
                "A member of staff at %(dealer)s entered wrong support passwords for %(name)s (PRO ID "
                "%(pro_id)s) several times, so dealers cannot open a support session for a while."
            )
            % {"dealer": dealer.name, "name": company.name, "pro_id": company.pro_id},
            _(
                "If you did not ask your dealer for help, tell them, and consider changing your "
                "support password on your account page."
            ),
        ],
        url=link("companies:activity"),
    )
