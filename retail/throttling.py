"""Rate limits of the Retail site.

- Company search: one budget per staff member (DRF scope `retail_search`), shared by the page and
  the API, counted in the cache.
- Dealer-ID login: failures per dealer ID and client address, counted in the cache.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext
from rest_framework.throttling import SimpleRateThrottle

from mpro.errors import RateLimitedError

from .models import normalize_d5_id

LOGIN_MAX_FAILURES = 10  # per dealer ID and client address
LOGIN_MAX_FAILURES_PER_ID = 50  # per dealer ID, from anywhere (guessing from many addresses)
LOGIN_WINDOW_SECONDS = 15 * 60


class RetailSearchThrottle(SimpleRateThrottle):
    """Per staff member. Works with DRF requests and with plain Django requests (the page calls
    `allow_request(request, None)`), since it only reads `request.user`."""

    scope = "retail_search"

    def get_rate(self) -> str | None:
        # Read at call time, so an operator's RETAIL_SEARCH_THROTTLE (and tests) take effect.
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}

    def retry_after(self) -> int:
        return max(1, math.ceil(self.wait() or 1))


def search_allowed(request) -> None:
    """Spends one company search of the staff member's budget (the page's side; the API's views
    name RetailSearchThrottle among their throttles). Raises RateLimitedError when it is spent."""
    throttle = RetailSearchThrottle()
    if throttle.allow_request(request, None):
        return
    seconds = throttle.retry_after()
    raise RateLimitedError(
        ngettext(
            "You have searched very often. Wait %(seconds)s second, then search again.",
            "You have searched very often. Wait %(seconds)s seconds, then search again.",
            seconds,
        )
        % {"seconds": seconds},
        retry_after=seconds,
        code="search_throttled",
    )


def _login_keys(d5_id: str, address: str) -> tuple[str, str]:
    d5_id = normalize_d5_id(d5_id)[:20]
    return f"retail_login:{d5_id}:{address}", f"retail_login:{d5_id}"


def login_locked(*, d5_id: str, address: str) -> bool:
    per_address, per_id = _login_keys(d5_id, address)
    return (
        cache.get(per_address, 0) >= LOGIN_MAX_FAILURES or cache.get(per_id, 0) >= LOGIN_MAX_FAILURES_PER_ID
    )


def login_failed(*, d5_id: str, address: str) -> None:
    for key in _login_keys(d5_id, address):
        if cache.add(key, 1, LOGIN_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, LOGIN_WINDOW_SECONDS)


def login_succeeded(*, d5_id: str, address: str) -> None:
    cache.delete(_login_keys(d5_id, address)[0])
