from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Companies")

    def ready(self) -> None:
        from mpro import outbox

        from . import notices

        outbox.subscribe("company.verified", notices.company_verified, queue="email")
        outbox.subscribe("company.rejected", notices.company_rejected, queue="email")
        outbox.subscribe("member.verified", notices.member_verified, queue="email")
