"""API tokens with their caller's tenancy, kept in the shared cache (Redis), so that a token request
needs no database query to know who calls, in which company and with which role.

An entry is the token as `ApiToken.find` loads it (its user, the user's membership, company and the
company's default workshop, the dealer-staff link), for TOKEN_CACHE_SECONDS, without the user's
password and support-password hashes (loaded from the database if a request needs them). Whatever changes any
of these replaces the entries of the users concerned by a tombstone at once (signals: the token and
the user here, memberships, companies and workshops in companies.apps, dealer staff in retail.apps):
a revoked token, a deactivated user or a changed role takes effect on the very next request in
every process. A tombstone keeps the cache out of the way for TOMBSTONE_SECONDS, so that a request
that read the old rows just before the change cannot put them back (entries are only added, never
overwritten). While Redis is unreachable (mpro.cache falls back to process memory, which the other
processes do not see) the cache is not used at all."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches

PREFIX = "apitoken:"
TOMBSTONE = "forgotten"
TOMBSTONE_SECONDS = 60


def _cache():
    backend = caches["default"]
    if settings.TOKEN_CACHE_SECONDS <= 0 or getattr(backend, "degraded", False):
        return None
    return backend


def cached_token(key_hash: str):
    """The cached token (fresh instances, unpickled for this request) or None."""
    cache = _cache()
    if cache is None:
        return None
    entry = cache.get(PREFIX + key_hash)
    return None if entry is None or entry == TOMBSTONE else entry


# Never copied into the cache: a request that needs them loads them (Django's deferred fields).
SECRET_FIELDS = ("password", "support_password")


def _without_secrets(token):
    """A copy of the token whose user lacks SECRET_FIELDS (the request's own objects keep them)."""
    user = copy.copy(token.user)
    user._state = copy.copy(user._state)
    user._state.fields_cache = dict(user._state.fields_cache)
    for name in SECRET_FIELDS:
        user.__dict__.pop(name, None)
    entry = copy.copy(token)
    entry._state = copy.copy(entry._state)
    entry._state.fields_cache = {**entry._state.fields_cache, "user": user}
    return entry


def remember_token(token) -> None:
    cache = _cache()
    if cache is not None:
        cache.add(PREFIX + token.key_hash, _without_secrets(token), settings.TOKEN_CACHE_SECONDS)


def forget_hashes(key_hashes: Iterable[str]) -> None:
    """Tombstones for these tokens (through the fallback too: a tombstone never hurts)."""
    keys = [PREFIX + key_hash for key_hash in key_hashes]
    if keys and settings.TOKEN_CACHE_SECONDS > 0:
        caches["default"].set_many(dict.fromkeys(keys, TOMBSTONE), TOMBSTONE_SECONDS)


def forget_users(user_ids: Iterable[int]) -> None:
    """Forgets every token of these users (their tenancy or their account changed)."""
    from .models import ApiToken

    user_ids = list(user_ids)
    if user_ids and settings.TOKEN_CACHE_SECONDS > 0:
        forget_hashes(ApiToken.objects.filter(user_id__in=user_ids).values_list("key_hash", flat=True))


# --- receivers (connected in users.apps, companies.apps, retail.apps) ---------------------------
def token_changed(sender, instance, created=False, **kwargs) -> None:
    if not created:  # a new token was never cached
        forget_hashes([instance.key_hash])


def user_changed(sender, instance, update_fields=None, **kwargs) -> None:
    # A portal login saves the time of the login alone: nothing a token request reads.
    if update_fields is None or set(update_fields) != {"last_login"}:
        forget_users([instance.pk])


def user_link_changed(sender, instance, **kwargs) -> None:
    """A row that belongs to one user (membership, dealer-staff link)."""
    forget_users([instance.user_id])
