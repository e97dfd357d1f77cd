from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from companies.audit import register_actions
        from mpro import outbox

        from . import events, tasks  # noqa: F401  (tasks: registered for mpro.celery.task by name)

        events.connect()
        outbox.subscribe("alert.raised", events.deliver_outbox_event, queue="webhooks")
        register_actions(
            {
                "integrations.data_client_created": _("Data interface client created"),
                "integrations.data_client_revoked": _("Data interface client revoked"),
                "integrations.webhook_created": _("Webhook endpoint added"),
                "integrations.webhook_deleted": _("Webhook endpoint removed"),
                "integrations.webhook_disabled": _("Webhook endpoint disabled after failing"),
                "integrations.webhook_redelivered": _("Webhook delivery sent again"),
                "integrations.mercedes_me_linked": _("Mercedes me login linked"),
            }
        )
