"""E-mails to a company's administrators when the dealer verifies or rejects one of its vans (issue
16): consumers of mpro.outbox events, registered in VehiclesConfig.ready()."""

from django.utils.translation import gettext as _

from companies.notices import administrators, link, send_notice
from mpro.outbox import Event

from .models import Vehicle


def _vehicle(event: Event) -> Vehicle | None:
    # Scoped to the company of the event: a van transferred since is not reported to its new holder.
    return Vehicle.objects.filter(vin=event.payload.get("vin"), company_id=event.company_id).first()


def _name(vehicle: Vehicle) -> str:
    return vehicle.nickname or vehicle.licence_plate or vehicle.vin


def vehicle_verified(event: Event) -> None:
    vehicle = _vehicle(event)
    if vehicle is None:
        return
    send_notice(
        users=administrators(vehicle.company_id),
        subject=lambda: _("Van %(vin)s is verified") % {"vin": vehicle.vin},
        lines=lambda: [
            _("Your dealer has checked the registration document of %(van)s (VIN %(vin)s).")
            % {"van": _name(vehicle), "vin": vehicle.vin},
            _(
                "Service packs ordered for this van switch on once the company and its administrator are verified too."
            ),
        ],
        url=link("vehicles:detail", vehicle.vin),
    )


def vehicle_rejected(event: Event) -> None:
    vehicle = _vehicle(event)
    if vehicle is None:
        return
    send_notice(
        users=administrators(vehicle.company_id),
        subject=lambda: _("Your dealer could not verify van %(vin)s") % {"vin": vehicle.vin},
        lines=lambda: [
            _("Your dealer could not verify %(van)s (VIN %(vin)s).")
            % {"van": _name(vehicle), "vin": vehicle.vin},
            _("Reason given: %(reason)s") % {"reason": vehicle.rejection_reason},
        ],
        url=link("vehicles:detail", vehicle.vin),
    )


def vehicle_transferred(event: Event) -> None:
    """To the administrators of the company that lost the van (its new holder is never named)."""
    vin = event.payload.get("vin", "")
    send_notice(
        users=administrators(event.company_id),
        subject=lambda: _("Van %(vin)s has left your fleet") % {"vin": vin},
        lines=lambda: [
            _(
                "A dealer has transferred the van with VIN %(vin)s to its new holder, after checking the "
                "registration document that names them. Its service packs in your company have been cancelled."
            )
            % {"vin": vin},
            _("If you did not expect this, contact your dealer."),
        ],
        url=link("vehicles:list"),
    )
