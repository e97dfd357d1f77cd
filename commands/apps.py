from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandsConfig(AppConfig):
    name = "commands"
    verbose_name = _("Remote commands")

    def ready(self) -> None:
        from companies import audit
        from vehicles.panels import register_panel

        from . import tasks  # noqa: F401  (registers the Celery tasks)
        from .views import van_actions_panel

        register_panel(van_actions_panel)
        audit.register_actions({"command.sent": _("Remote command sent")})
