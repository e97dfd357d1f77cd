"""Issue 17 item 6: with Redis unreachable, logins and API calls degrade instead of answering 500.

The rate-limit cache falls back to process memory (mpro/cache.py): limits keep holding, per process."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/1"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "mpro.cache.ResilientRedisCache", "LOCATION": CLOSED}}
    # The login lock-out (users.lockout) counts in the cache too.
    settings.LOGIN_LOCK_FAILURES = 3
    cache.clear()  # the fallback memory is shared by every instance in the process
    yield


def test_the_cache_answers_from_memory_when_redis_is_unreachable(redis_down):
    assert cache.add("k", 1, 60) is True
    assert cache.incr("k") == 2
    assert cache.get("k") == 2
    assert cache.add("k", 1, 60) is False


def test_a_customer_logs_in_while_redis_is_down(redis_down, client, alice):
    response = client.post(reverse("account_login"), {"login": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_login_failures_are_still_limited_while_redis_is_down(redis_down, client, alice):
    for _ in range(3):
        client.post(reverse("account_login"), {"login": alice.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": alice.email, "password": PASSWORD})
    assert response.status_code in (200, 429)  # refused with allauth's message, never a 500
    assert "_auth_user_id" not in client.session


def test_the_api_and_the_dealer_login_work_while_redis_is_down(redis_down, anon_api, alice, client, sam):
    response = anon_api.post(
        "/api/v1/auth/tokens", {"email": alice.email, "password": PASSWORD, "name": "script"}, format="json"
    )
    assert response.status_code == 201
    response = client.post("/retail/login/", {"d5_id": "D5SAM001", "password": PASSWORD})
    assert response.status_code == 302
