from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacksConfig(AppConfig):
    name = "packs"
    verbose_name = _("Service packs")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from companies.audit import register_actions
        from companies.signals import contract_generation_started
        from mpro import outbox

        from . import notices
        from .models import Pack, Service
        from .selectors import forget_catalogue
        from .services.generations import on_contract_generation_started

        for model in (Service, Pack):
            post_save.connect(
                forget_catalogue, sender=model, dispatch_uid=f"packs.catalogue_saved.{model.__name__}"
            )
            post_delete.connect(
                forget_catalogue, sender=model, dispatch_uid=f"packs.catalogue_deleted.{model.__name__}"
            )
        m2m_changed.connect(
            forget_catalogue, sender=Pack.services.through, dispatch_uid="packs.catalogue_services"
        )
        contract_generation_started.connect(
            on_contract_generation_started, dispatch_uid="packs.subscriptions_follow_generation"
        )

        outbox.subscribe("order.placed", notices.order_placed, queue="email")
        for kind in ("subscription.activated", "subscription.activation_failed"):
            outbox.subscribe(kind, notices.order_settled, queue="email", many=notices.orders_settled)

        from . import metrics

        metrics.register()
        # Registers the tasks the services enqueue by name (mpro.celery.task).
        from . import tasks  # noqa: F401

        register_actions(
            {
                "order.placed": _("Pack ordered"),
                "subscriptions.released": _("Subscriptions sent for activation"),
                "subscriptions.paused_for_verification": _(
                    "Services paused: the administrator's identity was not checked again in time"
                ),
                "subscriptions.moved_to_generation": _("Subscriptions moved to the new contract generation"),
                "subscription.activated": _("Service pack activated"),
                "subscription.activation_failed": _("Service pack activation failed"),
                "subscription.retried": _("Activation tried again"),
                "subscription.cancelled": _("Subscription cancelled"),
                "subscription.ending_scheduled": _("Subscription set to end"),
                "subscription.deactivated": _("Services switched off on the vehicle"),
                "subscription.expired": _("Subscription expired"),
                "subscription.paid_period_started": _("Paid period started"),
                "subscriptions.trial_reminder_sent": _("Welcome offer reminder sent"),
                "vehicle.module_activated": _("Communication module switched on"),
            }
        )
