from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "vehicles"
    verbose_name = _("Vehicles")

    def ready(self) -> None:
        from companies.audit import register_actions
        from companies.signals import member_removed, member_role_changed
        from mpro import outbox

        from . import notices

        outbox.subscribe("vehicle.verified", notices.vehicle_verified, queue="email")
        outbox.subscribe("vehicle.rejected", notices.vehicle_rejected, queue="email")
        outbox.subscribe("vehicle.transferred", notices.vehicle_transferred, queue="email")

        # Registers the tasks the services enqueue by name (mpro.celery.task).
        from . import tasks  # noqa: F401

        member_removed.connect(_release_driver, dispatch_uid="vehicles.release_removed_member")
        member_role_changed.connect(_release_driver, dispatch_uid="vehicles.release_former_driver")

        register_actions(
            {
                "vehicle.added": _("Van added"),
                "vehicle.updated": _("Van details changed"),
                "vehicle.removed": _("Van removed"),
                "vehicle.transferred_out": _("Van transferred to another company"),
                "vehicle.transferred_in": _("Van transferred from another company"),
                "vehicle.module_checked": _("Communication module checked"),
                "vehicle.workshop_chosen": _("Workshop chosen for the van"),
                "company.default_workshop_set": _("Default workshop chosen"),
                "driver.assigned": _("Driver assigned"),
                "driver.released": _("Driver assignment ended"),
                "vehicle_import.started": _("Vehicle import started"),
                "vehicle_import.finished": _("Vehicle import finished"),
                "vehicle_import.dry_run_finished": _("Vehicle import checked (dry run)"),
            }
        )


def _release_driver(sender, *, user, actor, role=None, **kwargs) -> None:
    """A member who leaves the company, or stops being a driver, no longer drives its van."""
    from companies.models import Role

    from .services import drivers_release_for_user

    if role != Role.DRIVER:
        drivers_release_for_user(user=user, actor=actor)
