"""E-mails of the integrations app, rendered in each recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from companies.models import InvitationStatus, Membership, Role


def send_webhook_disabled(*, endpoint) -> None:
    admins = Membership.objects.filter(
        company_id=endpoint.company_id, role=Role.ADMIN, invitation_status=InvitationStatus.ACCEPTED
    ).select_related("user")
    link = settings.SITE_URL.rstrip("/") + reverse("integrations:overview")
    for membership in admins:
        user = membership.user
        context = {
            "user": user,
            "endpoint": endpoint,
            "link": link,
            "days": settings.WEBHOOKS_DISABLE_AFTER_DAYS,
        }
        with translation.override(user.language or "en"):
            subject = render_to_string("integrations/email/webhook_disabled_subject.txt", context).strip()
            body = render_to_string("integrations/email/webhook_disabled_message.txt", context)
        send_mail(subject, body, None, [user.email])
