"""The client's address, as far as the deployment can vouch for it.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as our
own proxies wrote it: with `TRUSTED_PROXY_COUNT = N` (default 0), the N right-most entries were
appended by our N proxies and the client is the entry the outermost of them appended. With 0 the
header is ignored and the address is the socket's (`REMOTE_ADDR`). Every reader of the client
address goes through `client_address`: DRF's throttles (NUM_PROXIES is the same setting, and our
throttle classes call this helper), allauth's rate limits (users.adapters), the login lock-outs
(users.lockout), the Retail login and the /metrics allow-list."""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:
        return remote
    # Fewer entries than proxies: the left-most is the furthest any of our proxies saw.
    return hops[-min(proxies, len(hops))]
