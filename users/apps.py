from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("People")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import tokencache
        from .models import ApiToken, User

        # The cached tokens (users.tokencache) are forgotten when their token or user changes.
        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(tokencache.token_changed, sender=ApiToken, dispatch_uid=f"users.token_{name}")
            signal.connect(tokencache.user_changed, sender=User, dispatch_uid=f"users.user_{name}")
