from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpcentreConfig(AppConfig):
    name = "helpcentre"
    verbose_name = _("Help centre")

    def ready(self) -> None:
        from companies.audit import register_actions

        register_actions(
            {
                "help.article_saved": _("Help article saved"),
                "help.search_rebuilt": _("Help search index rebuilt"),
            }
        )
