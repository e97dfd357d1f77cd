"""Password lock-outs: one mechanism for every door that takes a password.

A lock-out is a set of counters of failed tries, each with a limit and a window. A try is refused
(429 with Retry-After on the API, the form's error on a page) while any of its counters is at its
limit; the lock lifts when the window that began with the counter's first failure ends. Counters
live in the cache (Redis, shared by every process; mpro.cache keeps them in memory while Redis is
down), so they hold across workers.

The customer login page (users.adapters) and the API token endpoint (`POST /api/v1/auth/tokens`)
count into the same two counters:
- per account: the e-mail as typed, normalised (NFKC, trimmed, case-folded), whatever the host,
  port or address the try came from (LOGIN_LOCK_FAILURES per LOGIN_LOCK_MINUTES);
- per client address (mpro.clientip: X-Forwarded-For only from TRUSTED_PROXY_COUNT proxies), across
  accounts (LOGIN_LOCK_ADDRESS_FAILURES per LOGIN_LOCK_MINUTES).
Unknown e-mail addresses count like known ones, so the answers do not tell them apart. A
successful login clears the account's counter (only its owner can do that), never the address's.
The Retail login (retail.throttling) uses the same counters with its own keys and limits."""

from __future__ import annotations

import hashlib
import math
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.utils.translation import ngettext

from mpro.clientip import client_address
from mpro.errors import RateLimitedError


@dataclass(frozen=True)
class Counter:
    key: str
    limit: int
    window: int  # seconds


def _since(counter: Counter) -> str:
    return f"{counter.key}:since"


def retry_after(counters: list[Counter]) -> int:
    """Seconds until every counter is below its limit again; 0 when none is at it."""
    now = time.time()
    wait = 0
    for counter in counters:
        if (cache.get(counter.key) or 0) < counter.limit:
            continue
        since = cache.get(_since(counter)) or now
        wait = max(wait, math.ceil(since + counter.window - now), 1)
    return wait


def failed(counters: list[Counter]) -> None:
    now = time.time()
    for counter in counters:
        cache.add(_since(counter), now, counter.window)
        if cache.add(counter.key, 1, counter.window):
            continue
        try:
            cache.incr(counter.key)
        except ValueError:  # expired between add() and incr()
            cache.set(_since(counter), now, counter.window)
            cache.set(counter.key, 1, counter.window)


def clear(counters: list[Counter]) -> None:
    for counter in counters:
        cache.delete(counter.key)
        cache.delete(_since(counter))


def locked_error(seconds: int, *, code: str = "login_locked") -> RateLimitedError:
    minutes = max(1, math.ceil(seconds / 60))
    return RateLimitedError(
        ngettext(
            "Too many failed logins. Try again in %(minutes)d minute.",
            "Too many failed logins. Try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        retry_after=seconds,
        code=code,
    )


# --- customer accounts (login page and API tokens) -----------------------------------------------
def normalise_account(email: str) -> str:
    return unicodedata.normalize("NFKC", email or "").strip().casefold()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def account_counter(email: str) -> Counter:
    return Counter(
        key=f"lockout:account:{_digest(normalise_account(email))}",
        limit=settings.LOGIN_LOCK_FAILURES,
        window=settings.LOGIN_LOCK_MINUTES * 60,
    )


def address_counter(address: str) -> Counter:
    return Counter(
        key=f"lockout:address:{_digest(address)}",
        limit=settings.LOGIN_LOCK_ADDRESS_FAILURES,
        window=settings.LOGIN_LOCK_MINUTES * 60,
    )


def customer_counters(request, email: str) -> list[Counter]:
    return [account_counter(email), address_counter(client_address(request))]


def customer_login_check(request, email: str) -> None:
    """Raises RateLimitedError while the account or the client address is locked."""
    seconds = retry_after(customer_counters(request, email))
    if seconds:
        raise locked_error(seconds)


def customer_login_failed(request, email: str) -> None:
    failed(customer_counters(request, email))


def customer_login_succeeded(email: str) -> None:
    clear([account_counter(email)])


def password_authenticate(request, *, email: str, password: str):
    """The user with this e-mail and password, or None; refused with RateLimitedError while
    locked (the password is then not checked). The API token endpoint's check."""
    customer_login_check(request, email)
    user = authenticate(request, username=(email or "").strip().lower(), password=password)
    if user is None:
        customer_login_failed(request, email)
        return None
    customer_login_succeeded(email)
    return user
