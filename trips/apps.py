from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TripsConfig(AppConfig):
    name = "trips"
    verbose_name = _("Trips and logbook")

    def ready(self) -> None:
        from companies.audit import register_actions
        from telematics import privacy
        from telematics.signals import reports_ingested
        from vehicles.panels import register_panel

        from . import registrations
        from .detection import on_reports_ingested
        from .selectors import hidden_position_ranges
        from .services import vans_in_private_mode
        from .views import van_trips_panel

        reports_ingested.connect(on_reports_ingested, dispatch_uid="trips.detection")
        privacy.register_recording_blocker(vans_in_private_mode)
        privacy.register_hidden_ranges(hidden_position_ranges)
        register_panel(van_trips_panel)
        registrations.register_all()
        register_actions(
            {
                "trip.classified": _("Trip classified"),
                "trips.logbook_exported": _("Logbook exported (its month is locked)"),
                "trips.private_mode_on": _("Driver switched private mode on"),
                "trips.private_mode_off": _("Driver switched private mode off"),
                "trips.working_hours_set": _("Working hours changed"),
            }
        )
