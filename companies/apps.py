from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        from mpro import outbox

        _forget_cached_tokens_on_change()

        from . import notices

        outbox.subscribe("company.verified", notices.company_verified, queue="email")
        outbox.subscribe("company.rejected", notices.company_rejected, queue="email")
        outbox.subscribe("member.verified", notices.member_verified, queue="email")


def _forget_cached_tokens_on_change() -> None:
    """A cached API token carries its user's membership, company and default workshop
    (users.tokencache): a change to any of them forgets the tokens of the users concerned."""
    from django.db.models.signals import post_delete, post_save

    from users import tokencache

    from .models import Company, Dealer, Membership

    def company_changed(sender, instance, **kwargs):
        tokencache.forget_users(Membership.objects.filter(company=instance).values_list("user_id", flat=True))

    def dealer_changed(sender, instance, **kwargs):
        members = Membership.objects.filter(company__default_workshop=instance).values_list(
            "user_id", flat=True
        )
        tokencache.forget_users(members)

    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            tokencache.user_link_changed, sender=Membership, dispatch_uid=f"companies.tokens_m_{name}"
        )
        signal.connect(company_changed, sender=Company, dispatch_uid=f"companies.tokens_c_{name}", weak=False)
        signal.connect(dealer_changed, sender=Dealer, dispatch_uid=f"companies.tokens_d_{name}", weak=False)
