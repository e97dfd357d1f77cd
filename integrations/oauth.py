"""django-oauth-toolkit glue: a data client may only ask for the scopes it was created with."""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator


def _client_scopes(application) -> list[str] | None:
    data_client = getattr(application, "data_client", None) if application is not None else None
    return None if data_client is None else list(data_client.scopes)


class DataClientValidator(OAuth2Validator):
    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        allowed = _client_scopes(client)
        if allowed is None:
            return super().validate_scopes(client_id, scopes, client, request, *args, **kwargs)
        return set(scopes).issubset(allowed)

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        allowed = _client_scopes(request.client)
        if allowed is None:
            return super().get_default_scopes(client_id, request, *args, **kwargs)
        return allowed
