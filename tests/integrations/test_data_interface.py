"""The data interface: client credentials, scoped tokens, service gating, counting, rate limit."""

import datetime

import pytest
from django.contrib.auth.hashers import check_password
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from companies.models import AuditEvent
from integrations.models import DataClient, DataClientUsage
from users.models import ApiToken

from .conftest import token_for, van_with

pytestmark = pytest.mark.django_db


# --- clients -------------------------------------------------------------------------------------
def test_it_creates_a_client_whose_secret_is_shown_once_and_stored_hashed(api, alice, company):
    response = api(alice).post("/api/v1/company/data-clients", {"name": "Dashboard"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["client_secret"] and body["scopes"] == ["signals:read", "vehicles:read"]
    application = Application.objects.get(client_id=body["client_id"])
    assert application.client_secret != body["client_secret"]
    assert check_password(body["client_secret"], application.client_secret)
    assert AuditEvent.objects.filter(action="integrations.data_client_created", company=company).exists()

    listed = api(alice).get("/api/v1/company/data-clients").json()
    assert [c["client_id"] for c in listed] == [body["client_id"]]
    assert "client_secret" not in listed[0] and listed[0]["calls_today"] == 0


def test_it_refuses_a_client_without_a_name_or_with_an_unknown_scope(api, alice):
    response = api(alice).post(
        "/api/v1/company/data-clients", {"name": "", "scopes": ["admin"]}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) == {"name", "scopes"}
    assert not DataClient.objects.exists()


@pytest.mark.parametrize("persona", ["fred", "dora"])
def test_it_lets_only_administrators_manage_clients(api, request, alice, data_client, persona):
    user = request.getfixturevalue(persona)
    assert api(user).get("/api/v1/company/data-clients").status_code == 403
    assert api(user).post("/api/v1/company/data-clients", {"name": "x"}, format="json").status_code == 403
    client, _secret = data_client
    assert api(user).delete(f"/api/v1/company/data-clients/{client.pk}").status_code == 403
    assert DataClient.objects.count() == 1


def test_it_hides_another_companys_client(api, oscar, data_client):
    client, _secret = data_client
    assert api(oscar).delete(f"/api/v1/company/data-clients/{client.pk}").status_code == 404
    assert api(oscar).get("/api/v1/company/data-clients").json() == []
    assert DataClient.objects.count() == 1


def test_revoking_a_client_stops_its_tokens_at_once(api, alice, bearer, data_client, company):
    client, _secret = data_client
    assert bearer.get("/api/v1/data/vehicles").status_code == 200
    assert api(alice).delete(f"/api/v1/company/data-clients/{client.pk}").status_code == 204
    assert bearer.get("/api/v1/data/vehicles").status_code == 401
    assert not AccessToken.objects.exists() and not Application.objects.exists()
    assert AuditEvent.objects.filter(action="integrations.data_client_revoked").exists()


# --- tokens --------------------------------------------------------------------------------------
def test_a_client_gets_a_token_with_its_scopes_and_an_expiry(data_client):
    client, secret = data_client
    body = token_for(client, secret).json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split()) == {"vehicles:read", "signals:read"}
    token = AccessToken.objects.get()
    assert token.token != body["access_token"]  # stored as a hash (RFC 9700), like the client secret
    assert token.user is None and token.application_id == client.application_id


def test_a_wrong_secret_gets_no_token(data_client):
    client, _secret = data_client
    response = token_for(client, "not-the-secret")
    assert response.status_code == 401 and not AccessToken.objects.exists()


def test_a_client_cannot_ask_for_more_than_it_was_given(alice, company):
    from companies.audit import Actor
    from integrations import services

    client, secret = services.data_client_create(
        company=company, name="Lister", scopes=["vehicles:read"], actor=Actor.customer(alice)
    )
    assert token_for(client, secret, scope="signals:read").status_code == 400
    assert token_for(client, secret).json()["scope"] == "vehicles:read"


def test_a_token_without_the_scope_is_refused(alice, company, catalogue):
    from companies.audit import Actor
    from integrations import services

    van = van_with(company, catalogue, "W1V9076331P300001", "data-interface-light")
    client, secret = services.data_client_create(
        company=company, name="Lister", scopes=["vehicles:read"], actor=Actor.customer(alice)
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer " + token_for(client, secret).json()["access_token"])
    assert api.get("/api/v1/data/vehicles").status_code == 200
    response = api.get(f"/api/v1/data/vehicles/{van.vin}/signals")
    assert response.status_code == 403 and "signals:read" in response.json()["detail"]


def test_an_expired_token_is_refused(bearer):
    AccessToken.objects.update(expires=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert bearer.get("/api/v1/data/vehicles").status_code == 401


# --- persons are refused -------------------------------------------------------------------------
def test_a_persons_token_or_session_gets_403(api, alice, login):
    _token, secret = ApiToken.issue(user=alice, name="script")
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert by_token.get("/api/v1/data/vehicles").status_code == 403
    assert api(alice).get("/api/v1/data/vehicles").status_code == 403
    assert login(alice).get("/api/v1/data/vehicles").status_code == 403
    assert not DataClientUsage.objects.exists()


def test_anonymous_callers_get_401(anon_api):
    assert anon_api.get("/api/v1/data/vehicles").status_code == 401


# --- gating --------------------------------------------------------------------------------------
def test_it_lists_only_vans_with_a_live_data_interface(bearer, company, other_company, catalogue):
    light = van_with(company, catalogue, "W1V9076331P300001", "data-interface-light")
    extended = van_with(company, catalogue, "W1V9076331P300002", "data-interface-extended")
    van_with(company, catalogue, "W1V9076331P300003", "connect-complete")  # no data interface in it
    van_with(company, catalogue, "W1V9076331P300004", "data-interface-light", status="activation_pending")
    van_with(company, catalogue, "W1V9076331P300005", "data-interface-extended", status="cancelled")
    van_with(company, catalogue, "W1V9076331P300006")
    van_with(other_company, catalogue, "W1V9076331P300007", "data-interface-extended")
    body = bearer.get("/api/v1/data/vehicles").json()
    assert {v["vin"]: v["level"] for v in body["results"]} == {light.vin: "light", extended.vin: "extended"}


def test_the_vehicle_list_costs_the_same_queries_for_many_vans(
    bearer, company, catalogue, django_assert_max_num_queries
):
    for n in range(12):
        van_with(company, catalogue, f"W1V9076331P3100{n:02d}", "data-interface-light")
    # The gate reads each data-interface service's fuels once (packs.selectors), not per van.
    with django_assert_max_num_queries(10):
        response = bearer.get("/api/v1/data/vehicles")
    assert len(response.json()["results"]) == 12


# --- counting and rate limit ---------------------------------------------------------------------
def test_it_counts_calls_per_client_and_day(api, alice, bearer, data_client):
    client, _secret = data_client
    for _ in range(3):
        bearer.get("/api/v1/data/vehicles")
    assert DataClientUsage.objects.get(client=client).calls == 3
    listed = api(alice).get("/api/v1/company/data-clients").json()
    assert listed[0]["calls_today"] == 3 and listed[0]["last_used_at"]


def test_it_rate_limits_each_client_with_retry_after(settings, bearer, data_client, company, alice):
    from companies.audit import Actor
    from integrations import services

    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "data_client": "2/min"},
    }
    from integrations.data_api import DataClientThrottle

    DataClientThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        assert bearer.get("/api/v1/data/vehicles").status_code == 200
        assert bearer.get("/api/v1/data/vehicles").status_code == 200
        refused = bearer.get("/api/v1/data/vehicles")
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        # Another client of the company has its own allowance.
        other, secret = services.data_client_create(
            company=company, name="Other", actor=Actor.customer(alice)
        )
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION="Bearer " + token_for(other, secret).json()["access_token"])
        assert api.get("/api/v1/data/vehicles").status_code == 200
    finally:
        DataClientThrottle.THROTTLE_RATES = rates
    client, _ = data_client
    assert DataClientUsage.objects.get(client=client).calls == 2  # the refused call is not counted
