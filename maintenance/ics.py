"""Accepted appointments as an iCalendar file (RFC 5545), written by the `icalendar` library: it
folds long lines, escapes commas and semicolons in texts and writes UTC times correctly, which
hand-written ICS gets wrong sooner or later."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Appointment

# How long a service slot lasts in the calendar (the workshop gives a start time only).
SLOT = datetime.timedelta(hours=2)


def appointments_ics(vehicle, appointments: list[Appointment]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//mpro//maintenance//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Services of %(van)s") % {"van": vehicle.nickname or vehicle.vin})
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "mpro"
    for appointment in appointments:
        dealer = appointment.dealer
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@{host}")
        event.add("dtstamp", appointment.answered_at or timezone.now())
        event.add("dtstart", appointment.proposed_at.astimezone(datetime.UTC))
        event.add("dtend", (appointment.proposed_at + SLOT).astimezone(datetime.UTC))
        event.add(
            "summary",
            _("Service of %(van)s at %(workshop)s")
            % {"van": vehicle.nickname or vehicle.licence_plate or vehicle.vin, "workshop": dealer.name},
        )
        event.add("location", f"{dealer.name}, {dealer.street}, {dealer.postal_code} {dealer.city}")
        description = [f"VIN {vehicle.vin}"]
        if appointment.note:
            description.append(appointment.note)
        event.add("description", "\n".join(description))
        calendar.add_component(event)
    return calendar.to_ical()
