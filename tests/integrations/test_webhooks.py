"""Signed webhooks: registration, SSRF refusals, signatures checked by the standardwebhooks
package's own verifier in a real local receiver, retries and disablement on a frozen clock."""

import datetime
import socket

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from companies.audit import Actor
from companies.models import AuditEvent
from integrations import delivery as delivery_module
from integrations import services
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from integrations.tasks import webhooks_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """send(company, kind) → the deliveries' ids, with what runs after commit run (as in production)."""

    def run(company, kind="company.verified"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.deliver_event(kind, company.pk, {"pro_id": company.pro_id})

    return run


def register(api, user, url, events=("vehicle.verified",)):
    return api(user).post("/api/v1/webhooks", {"url": url, "events": list(events)}, format="json")


# --- registration --------------------------------------------------------------------------------
def test_it_registers_an_endpoint_and_shows_the_secret_once(api, alice, receiver, company):
    response = register(api, alice, receiver.url)
    assert response.status_code == 201, response.content
    assert response.json()["secret"].startswith("whsec_")
    listed = api(alice).get("/api/v1/webhooks").json()
    assert listed[0]["url"] == receiver.url and "secret" not in listed[0]
    assert AuditEvent.objects.filter(action="integrations.webhook_created", company=company).exists()


def test_it_refuses_unknown_events(api, alice, receiver):
    response = register(api, alice, receiver.url, events=["vehicle.exploded"])
    assert response.status_code == 400 and "events" in response.json()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://192.168.1.20/hook",
        "http://metadata.internal.example/hook",  # a name resolving to the metadata address
        "http://loopback.example/hook",  # a name resolving to 127.0.0.1
        "http://sneaky.example/hook",  # a public and a private record: refused as well
        "ftp://files.example/hook",
    ],
)
def test_it_refuses_internal_addresses(api, alice, settings, monkeypatch, url):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    fake_dns = {
        "metadata.internal.example": ["169.254.169.254"],
        "loopback.example": ["127.0.0.1"],
        "sneaky.example": ["93.184.216.34", "10.0.0.1"],
    }
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in fake_dns:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in fake_dns[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    response = register(api, alice, url)
    assert response.status_code == 400 and "url" in response.json(), response.content
    assert not WebhookEndpoint.objects.exists()


def test_it_checks_the_address_again_at_delivery(send, settings, alice, company, receiver):
    endpoint, _secret = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    settings.WEBHOOKS_ALLOW_LOOPBACK = False  # e.g. the name now resolves inwards
    [delivery_id] = send(company)
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert receiver.requests == []
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "private or internal" in delivery.last_error


@pytest.mark.parametrize("persona", ["fred", "dora"])
def test_it_lets_only_administrators_manage_webhooks(api, request, receiver, persona):
    user = request.getfixturevalue(persona)
    assert api(user).get("/api/v1/webhooks").status_code == 403
    assert register(api, user, receiver.url).status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_it_hides_another_companys_endpoints_and_deliveries(send, api, oscar, alice, company, receiver):
    endpoint, _ = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    [delivery_id] = send(company)
    client = api(oscar)
    assert client.get("/api/v1/webhooks").json() == []
    assert client.delete(f"/api/v1/webhooks/{endpoint.pk}").status_code == 404
    assert client.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries").status_code == 404
    assert (
        client.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery_id}/redeliver").status_code == 404
    )
    assert WebhookEndpoint.objects.count() == 1 and len(receiver.requests) == 1


# --- signed delivery -----------------------------------------------------------------------------
def test_a_delivery_is_signed_and_verifies_with_the_standard_webhooks_library(
    send, api, alice, company, receiver
):
    secret = register(api, alice, receiver.url, events=["company.verified"]).json()["secret"]
    send(company)
    [received] = receiver.requests
    assert received["path"] == "/hooks/mpro"
    payload = Webhook(secret).verify(received["body"], received["headers"])
    assert payload["type"] == "company.verified" and payload["data"] == {"pro_id": "PRO-ACMEXX"}
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 44).verify(received["body"], received["headers"])
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.response_status == 204
    assert delivery.response_ms is not None and received["headers"]["webhook-id"] == delivery.message_id


def test_only_subscribed_active_endpoints_of_the_company_receive_an_event(
    send, alice, oscar, company, other_company, receiver
):
    services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["vehicle.verified"], actor=Actor.customer(alice)
    )
    services.webhook_endpoint_create(
        company=other_company, url=receiver.url, events=["company.verified"], actor=Actor.customer(oscar)
    )
    assert send(company) == []
    assert receiver.requests == []


def test_a_dealer_verifying_a_van_sends_vehicle_verified(
    django_capture_on_commit_callbacks, alice, sam, company, verified_company, receiver
):
    from retail import services as retail_services
    from tests import factories as f

    secret = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["vehicle.verified"], actor=Actor.customer(alice)
    )[1]
    van = f.VehicleFactory(company=company, vin="W1V9076331P400001")
    with django_capture_on_commit_callbacks(execute=True):
        retail_services.vehicle_verify(
            vehicle=van, actor=Actor.dealer_staff(user=sam.user, dealer=sam.dealer, acting_under="test")
        )
    [received] = receiver.requests
    payload = Webhook(secret).verify(received["body"], received["headers"])
    assert payload["type"] == "vehicle.verified"
    assert payload["data"] == {"pro_id": company.pro_id, "vin": van.vin}  # ids only, no person


def test_a_redirect_is_not_followed_and_counts_as_a_failure(send, alice, company, receiver):
    services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    receiver.statuses = [302]
    send(company)
    assert len(receiver.requests) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.response_status == 302


# --- retries, disablement, redelivery ------------------------------------------------------------
def test_it_retries_with_growing_delays_for_about_a_day_then_gives_up(send, alice, company, receiver):
    services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    receiver.statuses = [500] * 20
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        send(company)
        delays = []
        while (delivery := WebhookDelivery.objects.get()).status == DeliveryStatus.PENDING:
            assert webhooks_due.delay().get() == 0  # nothing is sent before its time
            wait = delivery.next_attempt_at - timezone.now()
            delays.append(wait)
            clock.shift(wait + datetime.timedelta(seconds=1))
            assert webhooks_due.delay().get() == 1
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == delivery_module.MAX_ATTEMPTS
    assert len(receiver.requests) == delivery_module.MAX_ATTEMPTS
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1  # one message id throughout
    assert all(later > earlier for earlier, later in zip(delays[:5], delays[1:6], strict=True))
    assert datetime.timedelta(hours=18) < sum(delays, datetime.timedelta()) < datetime.timedelta(hours=32)


def test_an_endpoint_failing_for_days_is_switched_off_and_the_admins_told(
    send, alice, fred, company, receiver
):
    endpoint, _ = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    receiver.statuses = [500] * 5
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        send(company)
        clock.shift(datetime.timedelta(days=2))
        send(company)
        endpoint.refresh_from_db()
        assert endpoint.is_active and endpoint.failing_since == start
        clock.shift(datetime.timedelta(days=1, minutes=1))
        send(company)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert not WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).exists()
    assert [m.to for m in mail.outbox] == [[alice.email]]  # administrators only
    assert receiver.url in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="integrations.webhook_disabled").exists()
    assert send(company) == []


def test_a_success_clears_the_failing_mark(send, alice, company, receiver):
    endpoint, _ = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    receiver.statuses = [500, 200]
    send(company)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None
    send(company)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


def test_an_administrator_can_send_a_delivery_again(
    send, django_capture_on_commit_callbacks, api, alice, company, receiver
):
    endpoint, secret = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    receiver.statuses = [500]
    [delivery_id] = send(company)
    listed = api(alice).get(f"/api/v1/webhooks/{endpoint.pk}/deliveries").json()["results"]
    assert (
        listed[0]["status"] == "pending"
        and listed[0]["response_status"] == 500
        and listed[0]["next_attempt_at"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api(alice).post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery_id}/redeliver")
    assert response.status_code == 202 and response.json()["status"] == "pending"  # sent after commit
    assert WebhookDelivery.objects.get(pk=delivery_id).status == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 2
    Webhook(secret).verify(receiver.requests[1]["body"], receiver.requests[1]["headers"])
    assert AuditEvent.objects.filter(action="integrations.webhook_redelivered").exists()


@pytest.mark.parametrize("persona", ["fred", "dora"])
def test_only_administrators_redeliver(send, api, request, alice, company, receiver, persona):
    endpoint, _ = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    [delivery_id] = send(company)
    user = request.getfixturevalue(persona)
    assert (
        api(user).post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery_id}/redeliver").status_code
        == 403
    )
    assert api(user).delete(f"/api/v1/webhooks/{endpoint.pk}").status_code == 403
    assert len(receiver.requests) == 1 and WebhookEndpoint.objects.count() == 1


def test_deleting_an_endpoint(api, alice, company, receiver):
    endpoint, _ = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    assert api(alice).delete(f"/api/v1/webhooks/{endpoint.pk}").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_the_deliveries_list_costs_the_same_queries_for_many(
    send, api, alice, company, receiver, django_assert_max_num_queries
):
    endpoint, _ = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    for _ in range(8):
        send(company)
    with django_assert_max_num_queries(6):
        response = api(alice).get(f"/api/v1/webhooks/{endpoint.pk}/deliveries")
    assert len(response.json()["results"]) == 8


def test_with_the_broker_down_a_delivery_waits_for_the_minute_sweep(
    django_capture_on_commit_callbacks, api, alice, company, receiver
):
    """The deliveries are rows due now: the after-commit hand-over to a worker is a shortcut. With
    the broker down, neither the redelivery request nor the event's consumer fails, and the beat's
    `webhooks_due` sends them once it is back."""
    from tests.mpro.conftest import CLOSED_BROKER, broker

    endpoint, secret = services.webhook_endpoint_create(
        company=company, url=receiver.url, events=["company.verified"], actor=Actor.customer(alice)
    )
    with broker(CLOSED_BROKER), django_capture_on_commit_callbacks(execute=True):
        [delivery_id] = services.deliver_event("company.verified", company.pk, {"pro_id": company.pro_id})
    with broker(CLOSED_BROKER), django_capture_on_commit_callbacks(execute=True):
        response = api(alice).post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery_id}/redeliver")
    assert response.status_code == 202
    assert WebhookDelivery.objects.get(pk=delivery_id).status == DeliveryStatus.PENDING
    assert not receiver.requests

    assert webhooks_due() == 1  # the broker is back (in-process)
    assert WebhookDelivery.objects.get(pk=delivery_id).status == DeliveryStatus.SUCCEEDED
    Webhook(secret).verify(receiver.requests[0]["body"], receiver.requests[0]["headers"])


def test_a_chunk_of_events_asks_once_for_the_endpoints_and_delivers_what_is_wanted(company, receiver):
    """A worker consumes a chunk of events (a mass activation, a reporting round) in one call: one
    question for the endpoints of the chunk's companies, then deliveries only where one is wanted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mpro import outbox
    from mpro.models import OutboxMessage
    from tests import factories as f

    other = f.CompanyFactory()
    WebhookEndpoint.objects.create(company=company, url=receiver.url, events=["subscription.activated"])
    events = [
        (company, "subscription.activated"),
        (other, "subscription.activated"),
        (company, "subscription.activation_failed"),
        (company, "subscription.activated"),
        (other, "subscription.activated"),
    ]
    ids = [
        OutboxMessage.objects.create(
            kind=kind, company_id=c.pk, payload={"pro_id": c.pro_id, "vin": f"V{n}"}
        ).pk
        for n, (c, kind) in enumerate(events)
    ]
    with CaptureQueriesContext(connection) as queries:
        assert outbox.consume_many(message_ids=ids, consumer_name="integrations.webhooks") == []
    endpoint_questions = [q for q in queries if 'FROM "integrations_webhookendpoint"' in q["sql"]]
    # One for the chunk, and one per delivery made (deliver_event reads the endpoint it signs for).
    assert len(endpoint_questions) == 3
    deliveries = WebhookDelivery.objects.order_by("pk")
    assert [d.payload["data"]["vin"] for d in deliveries] == ["V0", "V3"]
    assert all("integrations.webhooks" in m.done for m in OutboxMessage.objects.filter(pk__in=ids))
