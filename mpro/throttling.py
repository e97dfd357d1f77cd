"""The API's per-user and per-address budgets (API_THROTTLE_USER / API_THROTTLE_ANON), counted in
one cache round trip per request.

DRF's own throttles keep every request's timestamp: a GET and a SET of a pickled list per
request, a list 1,200 long at 1,200/min, and two Redis round trips on every API call. These count
in fixed windows instead (a Redis pipeline of INCR and EXPIRE: one round trip, O(1)); a client may
spend up to twice the rate across a window's boundary, which is what a budget of this size is
for. Budgets that must hold exactly (Retail searches, token creation, logins) keep DRF's history."""

from __future__ import annotations

import math

from django.core.cache import caches
from rest_framework import throttling

from .cache import count_in_window
from .clientip import client_address


def _count(key: str, timeout: int) -> int:
    """Adds one to the window's counter and returns it. `caches["default"]` is the backend itself
    (`django.core.cache.cache` is a proxy to it, which no isinstance() check recognises: before,
    every request took the ADD + INCR path, two or three round trips)."""
    backend = caches["default"]
    if hasattr(backend, "count_in_window"):
        return backend.count_in_window(key, timeout)
    return count_in_window(backend, key, timeout)


class FixedWindowMixin:
    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        count = _count(f"{self.key}:{window}", self.duration + 1)
        self.wait_seconds = (window + 1) * self.duration - now
        return count <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.wait_seconds)

    def retry_after(self) -> int:
        return max(1, math.ceil(self.wait()))


class ClientAddressMixin:
    """The anonymous caller is told apart by `mpro.clientip.client_address`, which believes
    X-Forwarded-For only as far as TRUSTED_PROXY_COUNT allows (DRF's own reading of it, with
    NUM_PROXIES unset, took whatever the client wrote)."""

    def get_ident(self, request) -> str:
        return client_address(request)


class UserRateThrottle(ClientAddressMixin, FixedWindowMixin, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(ClientAddressMixin, FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    """DRF's exact history per scope (token creation, Retail logins), keyed on the user or the
    trusted client address."""
