"""Sends one signed webhook request to an address already checked by integrations.ssrf.

http.client rather than a full HTTP library: we must connect to the address we checked (not resolve
the name again), and we never follow redirects; both are plain with http.client."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from .ssrf import Target


@dataclass(frozen=True)
class Outcome:
    status: int | None
    elapsed_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        # 3xx counts as a failure: redirects are not followed, so the event did not arrive.
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, while the socket goes to the checked address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, *, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # a receiver's answer is not ours to keep; read a little and close
        status = response.status
        error = ""
    except (OSError, http.client.HTTPException) as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"[:300]
    finally:
        connection.close()
    return Outcome(status=status, elapsed_ms=int((time.monotonic() - started) * 1000), error=error)
