from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken


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
        token = ApiToken.find(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        # Recording use at most once a minute keeps writes off the hot path.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
