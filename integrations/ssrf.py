"""Server-side request forgery guard for webhook URLs.

A customer chooses where mpro sends requests, so a URL must never reach our own network: loopback,
private, link-local (cloud metadata at 169.254.169.254), shared, reserved or multicast addresses are
refused. The name is resolved once and the connection goes to that address (integrations.transport),
so a DNS answer that changes between the check and the request (DNS rebinding) cannot slip through.
Checked when an endpoint is registered and again at every delivery.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mpro.errors import DomainError


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written in the URL: the Host header and the TLS server name
    address: str  # the resolved IP address we connect to
    port: int
    path: str  # path and query


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    if address.is_loopback and settings.WEBHOOKS_ALLOW_LOOPBACK:
        return True
    return address.is_global and not address.is_multicast


def resolve(url: str) -> Target:
    """The address to deliver `url` to, or a DomainError (field `url`) if it must not be called."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise DomainError(_("Enter an http or https URL."), field="url", code="invalid_url")
    if parts.username or parts.password:
        raise DomainError(
            _("The URL must not contain a user name or password."), field="url", code="invalid_url"
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise DomainError(_("The URL's port is not valid."), field="url", code="invalid_url") from error
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise DomainError(_("This host name cannot be found."), field="url", code="unresolvable") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    # Every address the name resolves to must be allowed: else a second record could point inwards.
    if not addresses or not all(_allowed(address) for address in addresses):
        raise DomainError(
            _("This URL points to a private or internal network address. Use a public address."),
            field="url",
            code="forbidden_address",
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, str(addresses[0]), port, path)
