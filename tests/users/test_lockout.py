"""Issue 17 items 1 and 9: password guessing is limited per account and per trusted client
address, on the API token endpoint and the login page alike, whatever X-Forwarded-For or the Host
header say."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from mpro.clientip import client_address
from tests.factories import PASSWORD
from users.models import ApiToken

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/auth/tokens"
LOGIN = reverse("account_login")


def token_try(anon_api, email, password, **extra):
    return anon_api.post(
        TOKENS, {"email": email, "password": password, "name": "script"}, format="json", **extra
    )


# --- the client address --------------------------------------------------------------------------
def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert client_address(request) == "198.51.100.7"


def test_forwarded_for_is_believed_only_as_far_as_our_proxies_wrote_it(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = "1.2.3.4, 198.51.100.7"  # the client wrote 1.2.3.4, our proxy appended what it saw
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forged)
    assert client_address(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.1"
    )
    assert client_address(request) == "198.51.100.7"


def test_a_new_forwarded_for_per_request_does_not_escape_the_token_throttle(anon_api, alice):
    answers = [
        token_try(anon_api, alice.email, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(21)
    ]
    assert answers[-1] == 429
    assert answers.count(429) >= 1


def test_the_anonymous_api_budget_is_per_trusted_address(monkeypatch):
    from mpro import throttling

    monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    answers = []
    for n in range(4):
        request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        request.user = AnonymousUser()
        answers.append(throttling.AnonRateThrottle().allow_request(request, None))
    assert answers == [True, True, True, False]


def test_metrics_behind_a_proxy_judge_the_client_not_the_proxy(settings, client):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert response.status_code == 404
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 200


# --- the account lock on the token endpoint ------------------------------------------------------
def test_the_token_endpoint_locks_the_account_guessed_from_many_addresses(settings, anon_api, alice):
    settings.LOGIN_LOCK_FAILURES = 5
    for n in range(5):
        response = token_try(anon_api, alice.email, f"wrong{n}", REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 400
    response = token_try(anon_api, alice.email, PASSWORD, REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert not ApiToken.objects.exists()


def test_the_account_lock_ignores_case_and_spaces_of_the_e_mail(settings, anon_api, alice):
    settings.LOGIN_LOCK_FAILURES = 3
    for variant in ["ALICE@acme.example", "Alice@Acme.Example", "alice@ACME.EXAMPLE"]:
        token_try(anon_api, variant, "wrong")
    assert token_try(anon_api, alice.email, PASSWORD).status_code == 429


def test_unknown_accounts_lock_the_same_way(settings, anon_api, db):
    settings.LOGIN_LOCK_FAILURES = 3
    answers = [token_try(anon_api, "nobody@nowhere.example", "wrong").status_code for _ in range(4)]
    assert answers == [400, 400, 400, 429]


def test_the_address_lock_stops_guessing_across_accounts(settings, anon_api, alice):
    settings.LOGIN_LOCK_ADDRESS_FAILURES = 4
    for n in range(4):
        token_try(anon_api, f"person{n}@acme.example", "wrong", REMOTE_ADDR="198.51.100.1")
    assert token_try(anon_api, alice.email, PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 429
    assert token_try(anon_api, alice.email, PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 201


def test_a_successful_token_clears_the_account_count(settings, anon_api, alice):
    settings.LOGIN_LOCK_FAILURES = 3
    for _ in range(2):
        token_try(anon_api, alice.email, "wrong")
    assert token_try(anon_api, alice.email, PASSWORD).status_code == 201
    for _ in range(2):
        token_try(anon_api, alice.email, "wrong")
    assert token_try(anon_api, alice.email, PASSWORD).status_code == 201


# --- one lock for the login page and the API --------------------------------------------------------
def test_failures_on_the_api_lock_the_login_page(settings, anon_api, client, alice):
    settings.LOGIN_LOCK_FAILURES = 3
    for _ in range(3):
        token_try(anon_api, alice.email, "wrong")
    response = client.post(LOGIN, {"login": alice.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def test_failures_on_the_login_page_lock_the_api(settings, anon_api, client, alice):
    settings.LOGIN_LOCK_FAILURES = 3
    for _ in range(3):
        client.post(LOGIN, {"login": alice.email, "password": "wrong"})
    response = token_try(anon_api, alice.email, PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_a_password_reset_frees_the_account(settings, client, alice):
    from allauth.account.adapter import get_adapter

    settings.LOGIN_LOCK_FAILURES = 2
    for _ in range(2):
        client.post(LOGIN, {"login": alice.email, "password": "wrong"})
    get_adapter()._delete_login_attempts_cached_email(None, email=alice.email)
    client.post(LOGIN, {"login": alice.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session


def test_the_login_page_lock_does_not_depend_on_the_host_port(settings, client, alice):
    """Item 9: eight wrong passwords on eight ports, then the right one, used to log in."""
    settings.LOGIN_LOCK_FAILURES = 8
    settings.ALLOWED_HOSTS = ["*"]
    for port in range(8):
        client.post(LOGIN, {"login": alice.email, "password": "wrong"}, HTTP_HOST=f"testserver:{8000 + port}")
    for host in ["testserver:9999", "TESTSERVER", "testserver.", "other.example"]:
        client.post(LOGIN, {"login": alice.email, "password": PASSWORD}, HTTP_HOST=host)
        assert "_auth_user_id" not in client.session, host
