"""E-mail of a raised alert to the company's administrators and fleet managers who opted in, each
in their own language. Runs as an outbox consumer of `alert.raised` (once per event)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from mpro.outbox import Event

from . import selectors
from .models import Alert


def send_alert_raised(event: Event) -> None:
    alert = (
        Alert.objects.filter(pk=event.payload["alert_id"], company_id=event.company_id)
        .select_related("vehicle", "geofence")
        .first()
    )
    if alert is None or not alert.is_open:
        return  # acknowledged or cleared before the e-mail went: nothing to say any more
    link = settings.SITE_URL.rstrip("/") + reverse("alerts:list")
    for membership in selectors.email_recipients(event.company_id):
        user = membership.user
        context = {"user": user, "alert": alert, "vehicle": alert.vehicle, "link": link}
        with translation.override(user.language or "en"):
            subject = render_to_string("alerts/email/alert_raised_subject.txt", context).strip()
            body = render_to_string("alerts/email/alert_raised_message.txt", context)
        send_mail(subject, body, None, [user.email])
