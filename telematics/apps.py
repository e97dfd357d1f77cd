from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelematicsConfig(AppConfig):
    name = "telematics"
    verbose_name = _("Connected vans")

    def ready(self) -> None:
        from vehicles.panels import register_panel

        from . import tasks  # noqa: F401  (registered in every process, as the other apps do)
        from .views import status_panel

        register_panel(status_panel)

        from mpro import retention

        from .partitions import purge_before

        retention.register(
            retention.RetentionRule(
                key="positions",
                label=_("Positions and readings of the vans"),
                setting="TELEMATICS_RETENTION_DAYS",
                default_days=90,
                purge=purge_before,
                why=_(
                    "Where a van was is needed for a few weeks (fleet map, questions about a trip), not longer."
                ),
            )
        )
