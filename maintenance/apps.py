from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "maintenance"
    verbose_name = _("Maintenance management")

    def ready(self) -> None:
        from companies import audit
        from mpro import outbox
        from telematics.signals import reports_ingested
        from vehicles.panels import register_dashboard_panel, register_overview_column, register_panel
        from vehicles.signals import workshop_changed

        from . import notices, receivers, registrations, views

        register_panel(views.van_panel)
        register_dashboard_panel(views.dashboard_panel)
        register_overview_column(views.OVERVIEW_COLUMN)
        reports_ingested.connect(receivers.on_reports_ingested, dispatch_uid="maintenance.reports_ingested")
        workshop_changed.connect(receivers.on_workshop_changed, dispatch_uid="maintenance.workshop_changed")
        outbox.subscribe("maintenance.due", notices.workshop_informed, queue="email")
        outbox.register_kinds({"maintenance.appointment_proposed", "maintenance.appointment_answered"})
        outbox.subscribe("maintenance.appointment_proposed", notices.appointment_proposed, queue="email")
        outbox.subscribe("maintenance.appointment_answered", notices.appointment_answered, queue="email")
        audit.register_actions(
            {
                "maintenance.workshop_informed": _("Workshop informed that a service is due"),
                "maintenance.appointment_proposed": _("Service appointment proposed"),
                "maintenance.appointment_accepted": _("Service appointment accepted"),
                "maintenance.appointment_declined": _("Service appointment declined"),
                "maintenance.service_recorded": _("Service recorded"),
                "maintenance.settings_changed": _("Maintenance settings changed"),
            }
        )
        registrations.register_all()
