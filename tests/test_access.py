"""Walks every URL pattern of the project and proves each refuses whom it must:

- an anonymous visitor (login redirect, 401, or 404 on Retail),
- a customer of another company (404 for anything of ACME's: never a 403 that confirms it exists),
- a customer on every Retail page and endpoint (404),
- dealer staff on customer pages (404), without an attestation on company pages, and without a
  support session where staff act for the customer,

and that a refused write changed nothing. A route this file cannot classify fails the test, so a
new URL cannot slip in untested."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from alerts.models import Alert, Geofence
from commands.models import Command
from companies.audit import Actor
from companies.models import AuditEvent, Membership
from integrations import services as integration_services
from integrations.models import DataClient, WebhookDelivery, WebhookEndpoint
from jobs.models import Job
from maintenance.models import Appointment, DueItem, MaintenanceSettings, ServiceRecord
from packs.models import Order, Subscription
from tests import factories as f
from trips.models import LogbookExport, Trip, TripChange
from users.models import ApiToken
from vehicles.models import Vehicle, VehicleImport

# Routes anyone may open (name → why).
PUBLIC = {
    "help:home",
    "help:index",
    "help:search",
    "help:category",
    "help:article",
    "help:dealers",
    "companies:terms",
    "companies:invitation",
    "set_language",
    "retail:login",
    "retail:logout",
    "api-schema",
    "api-docs",
    "api-tokens",
    "retail-api-tokens",
    "privacy:policy",
    # Operations: health answers anyone; /metrics is guarded by METRICS_TOKEN or network
    # (tests/operations/test_metrics.py).
    "healthz",
    "readyz",
    "metrics",
    "api-oauth-token",  # the OAuth2 token endpoint: a data client's credentials, no person
    "integrations:mercedes_me_link",  # needs a pending Mercedes me login in the session
    # The driver app's PWA files: the same for everyone, no personal data (the offline page is
    # cached by the service worker, so it must not hold any).
    "driverapp:manifest",
    "driverapp:service_worker",
    "driverapp:offline",
}
# Customer routes that show the caller's own data only (no object of another company in the URL).
OWN_DATA_ONLY = {
    "users:profile",
    "users:support_password",
    "users:tokens",
    "companies:detail",
    "companies:edit",
    "companies:register",
    "companies:register_company",
    "companies:register_support_password",
    "companies:registered",
    "companies:members",
    "companies:member_invite",
    "companies:activity",
    "vehicles:list",
    "vehicles:add",
    "vehicles:vin_check",
    "vehicles:workshops",
    "vehicles:import",
    "packs:catalogue",
    "packs:buy",
    "packs:orders",
    "packs:subscriptions",
    "packs:subscription_status",
    "packs:billing",
    "packs:contract",
    "dashboard",
    "api-me",
    "api-support-password",
    "api-company",
    "api-members",
    "api-events",
    "vehicles",
    "vehicle-imports",
    "dealers",
    "api-packs",
    "api-orders",
    "api-subscriptions",
    "privacy:your_data",
    "privacy:export",
    "privacy:erase",
    "privacy:close_company",
    "api-me-export",
    "api-me-erasure",
    "api-company-closure",
    "integrations:overview",
    "integrations:client_create",
    "integrations:webhook_create",
    "api-data-clients",
    "api-webhooks",
    "api-data-vehicles",
    "api-data-signals",
    "fleet-status",
    "jobs:list",
    "jobs:send",
    "jobs",
    "driverapp:van",
    "driverapp:release",
    "driverapp:jobs",
    "driverapp:trips",
    "trips:list",
    "trips:logbook_verify",
    "trips:private_mode",
    "trips:working_hours",
    "trips",
    "private-mode",
    "working-hours",
    "maintenance:settings",
    "api-maintenance-settings",
    "alerts:map",
    "alerts:markers",
    "alerts:list",
    "alerts:settings",
    "alerts:emails",
    "alerts:geofences",
    "api-alerts",
    "api-alert-settings",
    "api-geofences",
    "api-alert-emails",
}
# Retail routes that need no company, and those where staff act for the customer.
RETAIL_WITHOUT_COMPANY = {
    "retail:dashboard",
    "retail:knowledge",
    "retail:search",
    "retail:register",
    "retail:register_company",
    "retail-api-companies",
    "retail-api-registrations",
    # The outlet's service-due queue: no company in the URL, only the outlet's own vans.
    "retail:service_due",
    "retail-api-service-due",
    "retail:vin_search",  # a whole VIN across the network: PRO ID and states only, no company data
    "retail-api-vin-search",
}
# "Leave this company": only closes the caller's own windows on it, so it needs none.
RETAIL_WINDOW_CLOSERS = {"retail:company_leave", "retail-api-company-leave"}
RETAIL_ATTESTATION_OPENS = {"retail:attest", "retail-api-attestations", "retail:register_done"}
RETAIL_SUPPORT = {
    "retail:support_vehicle_add",
    "retail:support_vin_check",
    "retail:support_order",
    "retail:support_company_edit",
    "retail-api-orders",
    "retail-api-order-review",
}
RETAIL_SUPPORT_SESSION_OPENS = {"retail:support", "retail:support_end", "retail-api-support-sessions"}


def all_routes():
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield prefix + str(pattern.pattern), namespace + pattern.name

    seen = set()
    for route, name in walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "accounts/")) or name in seen:
            continue
        seen.add(name)
        yield route, name


ROUTES = sorted(all_routes())


def is_retail(route: str) -> bool:
    return route.startswith(("retail/", "api/v1/retail/"))


@pytest.fixture
def acme(company, alice, fred, dora, sam):
    """ACME's objects, which the walks point at."""
    vehicle = f.VehicleFactory(company=company)
    subscription = f.SubscriptionFactory(order__company=company, vehicle=vehicle)
    token, _ = ApiToken.issue(user=alice, name="alice's")
    vehicle_import = VehicleImport.objects.create(company=company, created_by=alice, content="vin\n")
    data_client, _ = integration_services.data_client_create(
        company=company, name="dashboard", actor=Actor.customer(alice)
    )
    endpoint = WebhookEndpoint.objects.create(
        company=company, url="https://hooks.example/", events=["company.verified"]
    )
    delivery = WebhookDelivery.objects.create(
        company=company, endpoint=endpoint, message_id="msg_1", event="company.verified", payload={}
    )
    now = timezone.now()
    job = Job.objects.create(
        company=company, created_by=fred, driver=dora, title="Access walk", sent_at=timezone.now()
    )
    command = Command.objects.create(
        vehicle=vehicle,
        company=company,
        kind="lock",
        idempotency_key="access-walk",
        created_at=now,
        expires_at=now,
    )
    trip = Trip.objects.create(
        company=company, vehicle=vehicle, driver=dora, started_at=now, ended_at=now, odometer_start_km=10
    )
    appointment = Appointment.objects.create(
        vehicle=vehicle,
        company=company,
        dealer=sam.dealer,
        proposed_at=now,
        created_at=now,
        proposed_by=sam.user,
    )
    geofence = Geofence.objects.create(company=company, name="Depot", lat=48.77, lon=9.18, radius_m=500)
    alert = Alert.objects.create(company=company, vehicle=vehicle, kind="fuel_low", value=5.0, raised_at=now)
    return {
        "trip_id": trip.pk,
        "month": f"{now:%Y-%m}",
        "appointment_id": appointment.pk,
        "alert_id": alert.pk,
        "geofence_id": geofence.pk,
        "command_id": command.pk,
        "job_id": job.pk,
        "pro_id": company.pro_id,
        "vin": vehicle.vin,
        "member_id": fred.membership.pk,
        "token_id": token.pk,
        "pk": vehicle_import.pk,
        "order_id": subscription.order_id,
        "subscription_id": subscription.pk,
        "code": subscription.pack.code,
        "token": "not-a-real-invitation",
        "category": "general",
        "article": "nothing",
        "client_id": data_client.pk,
        "webhook_id": endpoint.pk,
        "delivery_id": delivery.pk,
    }


def url_for(route: str, values: dict) -> str:
    def fill(match):
        return str(values[match.group("name")])

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", fill, route)


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (
            Vehicle,
            Membership,
            Subscription,
            Order,
            AuditEvent,
            ApiToken,
            VehicleImport,
            DataClient,
            WebhookEndpoint,
            WebhookDelivery,
            Command,
            Job,
            Trip,
            TripChange,
            LogbookExport,
            Appointment,
            DueItem,
            ServiceRecord,
            MaintenanceSettings,
            Alert,
            Geofence,
        )
    }


def test_it_classifies_every_route():
    known = (
        PUBLIC
        | OWN_DATA_ONLY
        | RETAIL_WITHOUT_COMPANY
        | RETAIL_ATTESTATION_OPENS
        | RETAIL_SUPPORT
        | RETAIL_SUPPORT_SESSION_OPENS
        | RETAIL_WINDOW_CLOSERS
    )
    tenant_routes = {
        name
        for route, name in ROUTES
        if re.search(
            r"<(?:\w+:)?(vin|member_id|token_id|pk|order_id|subscription_id|client_id|webhook_id|delivery_id"
            r"|job_id|trip_id|appointment_id|alert_id|geofence_id)>",
            route,
        )
        and not is_retail(route)
    }
    retail_company = {name for route, name in ROUTES if is_retail(route) and "<" in route}
    unknown = {name for _route, name in ROUTES} - known - tenant_routes - retail_company
    assert not unknown, f"routes without an access rule in this test: {sorted(unknown)}"


@pytest.mark.parametrize(("route", "name"), [r for r in ROUTES if r[1] not in PUBLIC])
def test_it_refuses_anonymous_visitors(client, acme, route, name):
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client, method)(url_for(route, acme))
        if route.startswith("api/"):
            assert response.status_code in (401, 403, 404, 405), (method, name, response.status_code)
        elif is_retail(route):
            assert response.status_code == 404 or (
                response.status_code == 302 and "/retail/login/" in response.url
            ), (method, name)
        else:
            assert response.status_code in (302, 404, 405), (method, name, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" in response.url, (method, name, response.url)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("route", "name"),
    [r for r in ROUTES if not is_retail(r[0]) and r[1] not in PUBLIC and r[1] not in OWN_DATA_ONLY],
)
def test_it_answers_404_to_another_company(login, api, oscar, acme, route, name):
    before = snapshot()
    url = url_for(route, acme)
    client = api(oscar) if route.startswith("api/") else login(oscar)
    statuses = []
    for method in ("get", "post", "put", "patch", "delete"):
        response = getattr(client, method)(url)
        assert response.status_code in (404, 405), (method, name, response.status_code)
        statuses.append(response.status_code)
    assert 404 in statuses, (name, "no method of this route was answered with 404")  # not just 405s
    assert snapshot() == before


@pytest.mark.parametrize(("route", "name"), [r for r in ROUTES if is_retail(r[0]) and r[1] not in PUBLIC])
def test_it_hides_the_retail_site_from_customers(login, api, alice, acme, route, name):
    before = snapshot()
    url = url_for(route, acme)  # even their own company's PRO ID and VIN
    client = api(alice) if route.startswith("api/") else login(alice)
    for method in ("get", "post"):
        assert getattr(client, method)(url).status_code == 404, (method, name)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("route", "name"),
    [
        r
        for r in ROUTES
        if not is_retail(r[0]) and r[1] not in PUBLIC and r[1] not in ("api-tokens", "api-token")
    ],
)
def test_it_gives_dealer_staff_no_customer_pages(login, api, sam, acme, route, name):
    before = snapshot()
    client = api(sam.user) if route.startswith("api/") else login(sam.user)
    response = client.get(url_for(route, acme))
    assert response.status_code in (404, 405), (name, response.status_code)
    if response.status_code == 405:  # a POST-only route: the POST itself must be refused
        assert client.post(url_for(route, acme)).status_code == 404, name
    assert snapshot() == before


@pytest.mark.parametrize(
    ("route", "name"),
    [
        r
        for r in ROUTES
        if is_retail(r[0])
        and re.search(r"<(str:)?pro_id>", r[0])
        and r[1] not in RETAIL_ATTESTATION_OPENS | RETAIL_WINDOW_CLOSERS
    ],
)
def test_it_refuses_staff_without_an_attestation(login, api, sam, acme, route, name):
    before = snapshot()
    url = url_for(route, acme)
    if route.startswith("api/"):
        client = api(sam.user)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code in (403, 405), (method, name, response.status_code)
            if response.status_code == 403:
                assert response.json()["code"] in ("attestation_required", "support_session_required"), name
    else:
        client = login(sam.user)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 403, 405), (method, name, response.status_code)
            if response.status_code == 302:
                assert "/attest/" in response.url, (method, name, response.url)
    assert snapshot() == before


@pytest.mark.parametrize(("route", "name"), [r for r in ROUTES if r[1] in RETAIL_WINDOW_CLOSERS])
def test_leaving_a_company_without_a_window_changes_nothing(login, api, sam, acme, route, name):
    before = snapshot()
    url = url_for(route, acme)
    client = api(sam.user) if route.startswith("api/") else login(sam.user)
    response = client.post(url)
    assert response.status_code in (204, 302), (name, response.status_code)
    if response.status_code == 302:
        assert "/attest/" not in response.url and "/retail/" in response.url
    assert snapshot() == before


@pytest.mark.parametrize(("route", "name"), [r for r in ROUTES if r[1] in RETAIL_SUPPORT])
def test_it_refuses_staff_acting_for_a_customer_without_a_support_session(login, api, sam, acme, route, name):
    from retail import services as retail_services

    retail_services.attestation_open(
        staff=sam, company=Membership.objects.get(pk=acme["member_id"]).company, identity_checked=True
    )
    before = snapshot()
    url = url_for(route, acme)
    if route.startswith("api/"):
        response = api(sam.user).post(url, {"pack": acme["code"], "vehicles": [acme["vin"]]}, format="json")
        assert response.status_code == 403 and response.json()["code"] == "support_session_required"
    else:
        client = login(sam.user)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 403), (method, name, response.status_code)
            if response.status_code == 302:
                assert "/support/" in response.url, (method, name, response.url)
    after = snapshot()
    after["AuditEvent"] = before["AuditEvent"]  # opening the attestation above is itself recorded
    assert after == before


def test_it_refuses_adding_vehicles_for_a_customer_without_a_support_session(api, sam, acme, company):
    from retail import services as retail_services

    retail_services.attestation_open(staff=sam, company=company, identity_checked=True)
    before = Vehicle.objects.count()
    response = api(sam.user).post(
        f"/api/v1/retail/companies/{company.pro_id}/vehicles", {"vin": "W1V9076331P777777"}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "support_session_required"
    assert Vehicle.objects.count() == before
