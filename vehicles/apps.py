from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "vehicles"
    verbose_name = _("Vehicles")

    def ready(self) -> None:
        from companies.audit import register_actions

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
