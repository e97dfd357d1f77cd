"""E-mails a customer expects when something happens to their company (issue 16): consumers of the
domain events of mpro.outbox, registered in CompaniesConfig.ready(). Each e-mail is written in its
recipient's language and links to the page concerned.

`send_notice` is shared with the apps above (vehicles, packs), which register consumers of their own."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mpro.outbox import Event

from .models import Company, InvitationStatus, Membership, Role


def administrators(company_id: int) -> list:
    """The company's administrators who have accepted their membership."""
    User = get_user_model()
    return list(
        User.objects.filter(
            membership__company_id=company_id,
            membership__role=Role.ADMIN,
            membership__invitation_status=InvitationStatus.ACCEPTED,
        ).order_by("pk")
    )


def link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def send_notice(*, users, subject: Callable[[], str], lines: Callable[[], list[str]], url: str) -> int:
    """One e-mail per recipient, each rendered in the recipient's language: `subject()` and
    `lines()` are called with that language active. Returns how many were sent."""
    sent = 0
    for user in users:
        if not user.email:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {"user": user, "lines": lines(), "link": url}
            body = render_to_string("companies/email/notice_message.txt", context)
            sent += send_mail(f"[mpro] {subject()}", body, None, [user.email])
    return sent


# --- consumers ---------------------------------------------------------------------------------
def company_verified(event: Event) -> None:
    company = Company.objects.filter(pk=event.company_id).first()
    if company is None:
        return
    send_notice(
        users=administrators(company.pk),
        subject=lambda: _("%(name)s is verified") % {"name": company.name},
        lines=lambda: [
            _("Your dealer has verified the company %(name)s (PRO ID %(pro_id)s).")
            % {"name": company.name, "pro_id": company.pro_id},
            _("Service packs switch on for every van the dealer has verified."),
        ],
        url=link("companies:detail"),
    )


def company_rejected(event: Event) -> None:
    company = Company.objects.filter(pk=event.company_id).first()
    if company is None:
        return
    send_notice(
        users=administrators(company.pk),
        subject=lambda: _("Your dealer could not verify %(name)s") % {"name": company.name},
        lines=lambda: [
            _("Your dealer could not verify the details of %(name)s (PRO ID %(pro_id)s).")
            % {"name": company.name, "pro_id": company.pro_id},
            _("Reason given: %(reason)s") % {"reason": company.rejection_reason},
            _("Correct the company's details in the portal, then ask your dealer to check them again."),
        ],
        url=link("companies:detail"),
    )


def member_verified(event: Event) -> None:
    membership = (
        Membership.objects.select_related("user", "company").filter(pk=event.payload.get("member")).first()
    )
    if membership is None or membership.company_id != event.company_id:
        return
    company = membership.company
    send_notice(
        users=[membership.user],
        subject=lambda: _("Your identity is verified"),
        lines=lambda: (
            [
                _("Your dealer has verified your identity as a member of %(name)s.") % {"name": company.name},
            ]
            + (
                [
                    _(
                        "As the company's administrator, this was the last personal step before service packs can switch on."
                    )
                ]
                if membership.is_primary_admin
                else []
            )
        ),
        url=link("dashboard"),
    )
