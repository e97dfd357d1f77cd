"""E-mails of maintenance, consumers of outbox events (registered in MaintenanceConfig.ready()),
each in its recipient's language:

- `maintenance.due` → the workshop's e-mail address (in the outlet's country's language): a van
  of its queue has come due;
- `maintenance.appointment_proposed` → the company's administrators and fleet managers;
- `maintenance.appointment_answered` → the staff member who proposed it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from companies.models import Dealer, InvitationStatus, Role
from companies.notices import link, send_notice
from mpro.outbox import Event

from .models import Appointment, AppointmentStatus

# The language a workshop's mailbox reads, by the outlet's country.
LANGUAGE_OF_COUNTRY = {"FR": "fr", "DK": "da", "DE": "de", "AT": "de", "BE": "fr", "LU": "fr", "CH": "de"}


def fleet_managers(company_id: int) -> list:
    User = get_user_model()
    return list(
        User.objects.filter(
            membership__company_id=company_id,
            membership__role__in=[Role.ADMIN, Role.FLEET_MANAGER],
            membership__invitation_status=InvitationStatus.ACCEPTED,
        ).order_by("pk")
    )


def _when(appointment: Appointment) -> str:
    return formats.date_format(appointment.proposed_at, "DATETIME_FORMAT")


def _van(vehicle) -> str:
    return vehicle.nickname or vehicle.licence_plate or vehicle.vin


def workshop_informed(event: Event) -> None:
    dealer = Dealer.objects.filter(code=event.payload.get("dealer")).first()
    if dealer is None or not dealer.email:
        return
    retail_link = settings.SITE_URL.rstrip("/") + reverse("retail:service_due")
    with translation.override(LANGUAGE_OF_COUNTRY.get(dealer.country, settings.LANGUAGE_CODE)):
        lines = [
            _(
                "A van that chose your outlet as its workshop is coming due for its service (VIN %(vin)s, PRO ID %(pro_id)s)."
            )
            % {"vin": event.payload.get("vin", ""), "pro_id": event.payload.get("pro_id", "")},
            _("Days left: %(days)s. Kilometres left: %(km)s.")
            % {"days": event.payload.get("due_in_days"), "km": event.payload.get("due_in_km")},
            _("Propose an appointment from the service due queue of the Retail site."),
        ]
        body = render_to_string(
            "maintenance/email/workshop_message.txt", {"dealer": dealer, "lines": lines, "link": retail_link}
        )
        subject = "[mpro] " + _("A service is coming due")
        send_mail(subject, body, None, [dealer.email])


def _appointment(event: Event) -> Appointment | None:
    return (
        Appointment.objects.select_related("vehicle", "dealer", "proposed_by")
        .filter(pk=event.payload.get("appointment"), company_id=event.company_id)
        .first()
    )


def appointment_proposed(event: Event) -> None:
    appointment = _appointment(event)
    if appointment is None or appointment.status != AppointmentStatus.PROPOSED:
        return
    vehicle = appointment.vehicle
    send_notice(
        users=fleet_managers(appointment.company_id),
        subject=lambda: _("Service appointment proposed for %(van)s") % {"van": _van(vehicle)},
        lines=lambda: [
            _("%(workshop)s proposes to service %(van)s (VIN %(vin)s) on %(when)s.")
            % {
                "workshop": appointment.dealer.name,
                "van": _van(vehicle),
                "vin": vehicle.vin,
                "when": _when(appointment),
            },
            *([_("Their note: %(note)s") % {"note": appointment.note}] if appointment.note else []),
            _("Accept or decline it on the van's page."),
        ],
        url=link("vehicles:detail", vehicle.vin),
    )


def appointment_answered(event: Event) -> None:
    appointment = _appointment(event)
    if appointment is None or appointment.proposed_by is None:
        return
    vehicle = appointment.vehicle
    accepted = appointment.status == AppointmentStatus.ACCEPTED
    retail_link = settings.SITE_URL.rstrip("/") + reverse("retail:service_due")
    send_notice(
        users=[appointment.proposed_by],
        subject=lambda: (
            (_("Appointment accepted for %(vin)s") if accepted else _("Appointment declined for %(vin)s"))
            % {"vin": vehicle.vin}
        ),
        lines=lambda: [
            (
                _("The customer accepted your appointment of %(when)s for VIN %(vin)s.")
                if accepted
                else _("The customer declined your appointment of %(when)s for VIN %(vin)s.")
            )
            % {"when": _when(appointment), "vin": vehicle.vin},
            *(
                [_("Their message: %(message)s") % {"message": appointment.answer_message}]
                if appointment.answer_message
                else []
            ),
        ],
        url=retail_link,
    )
