"""E-mails of the companies app, rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def send_invitation(*, membership, user, token: str, actor_name: str) -> None:
    """`user` is the account invited (services.invitee_account); the e-mail goes to the invited
    address in any case."""
    link = settings.SITE_URL.rstrip("/") + reverse("companies:invitation", args=[token])
    context = {
        "user": user,
        "company": membership.company,
        "role": membership.get_role_display(),
        "link": link,
        "inviter": actor_name,
        "valid_days": settings.INVITATION_VALID_DAYS,
        "finish_registration": membership.is_primary_admin,
    }
    with translation.override((user.language if user else "") or "en"):
        context["role"] = membership.get_role_display()
        subject = render_to_string("companies/email/invitation_subject.txt", context).strip()
        body = render_to_string("companies/email/invitation_message.txt", context)
    send_mail(subject, body, None, [membership.person_email or user.email])
