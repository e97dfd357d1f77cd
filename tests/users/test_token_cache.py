"""API tokens with their tenancy in the shared cache (users.tokencache): no query for the caller
once cached, and every change that matters takes effect on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from companies.audit import Actor
from companies.models import Role
from companies.services import members
from users import services as user_services
from users.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client():
    def make(user) -> tuple[APIClient, ApiToken]:
        token, secret = ApiToken.issue(user=user, name="cache test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client, token

    return make


def _queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_cached_token_costs_no_query(token_client, fred, company):
    client, _token = token_client(fred)
    first = _queries(client, "/api/v1/me")
    second = _queries(client, "/api/v1/me")
    assert sum("users_apitoken" in sql and sql.lstrip().startswith("SELECT") for sql in first) == 1
    assert not any("users_apitoken" in sql for sql in second)
    assert len(second) == len(first) - 2  # the token with its tenancy, and recording its use


def test_the_cache_can_be_switched_off(token_client, fred, company, settings):
    settings.TOKEN_CACHE_SECONDS = 0
    client, _token = token_client(fred)
    _queries(client, "/api/v1/me")
    assert any("users_apitoken" in sql for sql in _queries(client, "/api/v1/me"))


def test_a_revoked_token_stops_working_at_once(token_client, fred, company):
    client, token = token_client(fred)
    assert client.get("/api/v1/me").status_code == 200
    user_services.api_token_revoke(token=token)
    assert client.get("/api/v1/me").status_code == 401


def test_a_deactivated_user_is_refused_at_once(token_client, fred, company):
    client, _token = token_client(fred)
    assert client.get("/api/v1/me").status_code == 200
    fred.is_active = False
    fred.save(update_fields=["is_active"])
    assert client.get("/api/v1/me").status_code == 401


def test_a_role_change_takes_effect_at_once(token_client, alice, fred, company):
    client, _token = token_client(fred)
    assert client.get("/api/v1/me").json()["company"]["role"] == Role.FLEET_MANAGER
    members.member_change_role(membership=fred.membership, role=Role.DRIVER, actor=Actor.customer(alice))
    assert client.get("/api/v1/me").json()["company"]["role"] == Role.DRIVER


def test_a_removed_member_loses_the_company_at_once(token_client, alice, fred, company):
    client, _token = token_client(fred)
    assert client.get("/api/v1/vehicles").status_code == 200
    members.member_remove(membership=fred.membership, actor=Actor.customer(alice))
    assert client.get("/api/v1/vehicles").status_code == 403


def test_a_company_change_shows_at_once(token_client, fred, company):
    client, _token = token_client(fred)
    assert client.get("/api/v1/me").json()["company"]["name"] == "ACME Transport ApS"
    company.name = "ACME Logistics ApS"
    company.save(update_fields=["name"])
    assert client.get("/api/v1/me").json()["company"]["name"] == "ACME Logistics ApS"


def test_a_request_that_read_before_a_revocation_cannot_cache_it_again(fred, company):
    """The tombstone wins over an entry added after it (a request that read the rows just before)."""
    from users import tokencache

    token, secret = ApiToken.issue(user=fred, name="race")
    loaded = ApiToken.find(secret)
    user_services.api_token_revoke(token=token)
    tokencache.remember_token(loaded)
    assert tokencache.cached_token(token.key_hash) is None


def test_a_portal_login_keeps_the_cached_token(token_client, fred, company, client):
    api_client, _token = token_client(fred)
    _queries(api_client, "/api/v1/me")
    client.force_login(fred)  # saves last_login only
    assert not any("users_apitoken" in sql for sql in _queries(api_client, "/api/v1/me"))


def test_the_cache_holds_no_password_hash(token_client, fred, company):
    from django.core.cache import cache

    from users import tokencache

    fred.set_password("a-long-enough-secret-1")
    fred.save()
    client, token = token_client(fred)
    assert client.get("/api/v1/me").status_code == 200
    entry = cache.get(tokencache.PREFIX + token.key_hash)
    assert "password" not in entry.user.__dict__ and "support_password" not in entry.user.__dict__
    cached = tokencache.cached_token(token.key_hash)
    assert cached.user.check_password("a-long-enough-secret-1")  # loaded when asked for
    assert cached.user.membership.company == company
