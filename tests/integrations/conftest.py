"""Fixtures of the integrations tests: data clients, vans with the data interface, and a real HTTP
receiver on 127.0.0.1 that records what it is sent."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from companies.audit import Actor
from integrations import services
from packs.catalogue import seed_catalogue
from packs.models import Pack
from tests import factories as f


@pytest.fixture
def catalogue(db):
    seed_catalogue()
    return {pack.code: pack for pack in Pack.objects.prefetch_related("services")}


def van_with(company, catalogue, vin, pack_code=None, status="active"):
    vehicle = f.VehicleFactory(company=company, vin=vin)
    if pack_code:
        f.SubscriptionFactory(
            order__company=company, order__pack=catalogue[pack_code], vehicle=vehicle, status=status
        )
    return vehicle


@pytest.fixture
def data_client(company, alice):
    """ACME's data client and its secret."""
    return services.data_client_create(company=company, name="Fleet dashboard", actor=Actor.customer(alice))


def token_for(client, secret, scope=None, anon_api=None):
    from rest_framework.test import APIClient

    body = {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": secret}
    if scope:
        body["scope"] = scope
    return (anon_api or APIClient()).post("/api/v1/oauth/token", body, format="multipart")


@pytest.fixture
def bearer(data_client):
    """An APIClient carrying a fresh bearer token of ACME's data client."""
    from rest_framework.test import APIClient

    client, secret = data_client
    response = token_for(client, secret)
    assert response.status_code == 200, response.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    return api


class Receiver:
    """A real HTTP server on 127.0.0.1 answering each POST with the next status of `statuses`."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/mpro"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    with Receiver() as running:
        yield running


def now():
    return timezone.now()
