import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import tokencache
from .models import ApiToken, hash_token

_recorded: dict[str, datetime.datetime] = {}  # token hash -> when this process last recorded its use


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <secret>`, checked against the stored SHA-256 of the secret."""

    keyword = "Token"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            # companies.tenancy.get_membership reads this instead of querying again. users may
            # not import companies (layer order), so the accepted-invitation rule is asked of
            # the membership's own model through the relation loaded with the token.
            membership = getattr(result[0], "membership", None)
            request._request._mpro_membership = (
                membership if membership is not None and membership.is_accepted else None
            )
        return result

    def authenticate_credentials(self, key: str):
        # The token with its tenancy from the shared cache when it is there (users.tokencache),
        # else from the database (one query), then cached.
        key_hash = hash_token(key)
        token = tokencache.cached_token(key_hash)
        if token is None:
            token = ApiToken.find(key)
            if token is not None:
                tokencache.remember_token(token)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        # Recording use at most once a minute (per process: the cached token keeps the time it was
        # cached with) keeps writes off the hot path.
        last_used = _recorded.get(key_hash) or token.last_used_at
        if last_used is None or (now - last_used).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            if len(_recorded) > 10_000:
                _recorded.clear()
            _recorded[key_hash] = now
        return token.user, token
