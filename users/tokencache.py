"""API tokens with their caller's tenancy, kept in the shared cache (Redis), so that a token request
needs no database query to know who calls, in which company and with which role.

An entry is the token as `ApiToken.find` loads it (its user, the user's membership, company and the
company's default workshop, the dealer-staff link), for TOKEN_CACHE_SECONDS. Whatever changes any
of these replaces the entries of the users concerned by a tombstone at once (signals: the token and
the user here, memberships, companies and workshops in companies.apps, dealer staff in retail.apps):
a revoked token, a deactivated user or a changed role takes effect on the very next request in
every process. A tombstone keeps the cache out of the way for TOMBSTONE_SECONDS, so that a request
that read the old rows just before the change cannot put them back (entries are only added, never
overwritten). While Redis is unreachable (mpro.cache falls back to process memory, which the other
processes do not see) the cache is not used at all."""

from __future__ import annotations

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


def remember_token(token) -> None:
    cache = _cache()
    if cache is not None:
        cache.add(PREFIX + token.key_hash, token, settings.TOKEN_CACHE_SECONDS)


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
