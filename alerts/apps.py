from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from companies import audit
        from mpro import outbox
        from telematics.signals import reports_ingested

        from . import emails, personal_data, receivers

        # telematics never imports us: we listen to its batches.
        reports_ingested.connect(receivers.on_reports_ingested, dispatch_uid="alerts.evaluate")
        outbox.subscribe("alert.raised", emails.send_alert_raised, queue="email")
        personal_data.register()
        audit.register_actions(
            {
                "alert.raised": _("Alert raised"),
                "alert.acknowledged": _("Alert acknowledged"),
                "geofence.created": _("Geofence added"),
                "geofence.changed": _("Geofence changed"),
                "geofence.deleted": _("Geofence deleted"),
                "alerts.settings_changed": _("Alert thresholds changed"),
                "alerts.emails_changed": _("Alert e-mails switched on or off"),
            }
        )
