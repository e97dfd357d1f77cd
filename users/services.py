"""API tokens: created by their owner, shown once, stored hashed, revocable."""

from django.db import transaction
from django.utils.translation import gettext as _

from mpro.errors import DomainError

from .models import ApiToken, User

MAX_TOKENS = 20


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Give the token a name, for example the script that will use it."), field="name")
    if len(name) > 100:
        raise DomainError(_("Use at most 100 characters."), field="name")
    with transaction.atomic():
        if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS:
            raise DomainError(
                _("You have %(count)s tokens already. Revoke one you no longer use.") % {"count": MAX_TOKENS}
            )
        return ApiToken.issue(user=user, name=name)


def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


def language_set(*, user: User, language: str) -> None:
    if user.is_authenticated and language != user.language:
        user.language = language
        user.save(update_fields=["language"])
