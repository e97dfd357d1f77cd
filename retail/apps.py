from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetailConfig(AppConfig):
    name = "retail"
    verbose_name = _("Retail (dealer site)")

    def ready(self) -> None:
        _connect_signals()
        _register_retention()
        _register_actions()


def _connect_signals() -> None:
    from django.contrib.auth.signals import user_login_failed
    from django.db.models.signals import post_delete, post_save

    from mpro import outbox
    from users import tokencache

    from . import notices
    from .auth import count_failure
    from .models import DealerStaff

    user_login_failed.connect(count_failure, dispatch_uid="retail.auth.count_failure")
    # A cached API token carries its user's dealer-staff link (users.tokencache).
    post_save.connect(tokencache.user_link_changed, sender=DealerStaff, dispatch_uid="retail.tokens_saved")
    post_delete.connect(
        tokencache.user_link_changed, sender=DealerStaff, dispatch_uid="retail.tokens_deleted"
    )
    outbox.subscribe("support_password.locked", notices.support_password_locked, queue="email")


def _register_retention() -> None:
    from mpro import retention

    from .models import Attestation, SupportPasswordAttempt, SupportSession

    # Dealer access records: attestations, support sessions and support-password tries.
    for key, model, field in (
        ("attestations", Attestation, "created_at"),
        ("support_sessions", SupportSession, "created_at"),
        ("support_password_attempts", SupportPasswordAttempt, "at"),
    ):
        retention.register(
            retention.RetentionRule(
                key=key,
                label=_("Dealer access records (identity confirmations, support sessions)"),
                setting="RETENTION_SUPPORT_SESSIONS_DAYS",
                default_days=365,
                queryset=model.objects.all,
                field=field,
            )
        )


def _register_actions() -> None:
    from companies.audit import register_actions
    from companies.windows import register_windows

    # How the windows staff act under (stored in audit events, in English) read on a page.
    register_windows(
        {
            r"attestation #(?P<number>\d+)": _("attestation #%(number)s"),
            r"support session #(?P<number>\d+)": _("support session #%(number)s"),
            r"service-due queue": _("service-due queue"),
        }
    )

    register_actions(
        {
            "retail.attestation_opened": _("Dealer confirmed the identity of the company's employee"),
            "retail.support_session_opened": _("Dealer opened a support session"),
            "retail.support_session_ended": _("Dealer ended the support session"),
            "retail.company_left": _(
                "Dealer left the company (identity confirmation and support session ended)"
            ),
            "retail.support_password_failed": _("Dealer entered a wrong support password"),
            "retail.support_password_blocked": _("Support password try refused: too many wrong tries"),
            "retail.company_verified": _("Company verified by the dealer"),
            "retail.company_rejected": _("Company rejected by the dealer"),
            "retail.member_verified": _("User's identity verified by the dealer"),
            "retail.vehicle_verified": _("Vehicle verified by the dealer"),
            "retail.vehicle_rejected": _("Vehicle rejected by the dealer"),
        }
    )
