"""The API's per-user budget (mpro.throttling): counted in fixed windows, one cache round trip."""

import pytest

from mpro import throttling

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_of_three(settings, monkeypatch):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(throttling.UserRateThrottle, "THROTTLE_RATES", rates)
    clock = {"now": 7200.0 + 600}  # ten minutes into an hour's window
    monkeypatch.setattr(throttling.UserRateThrottle, "timer", lambda self: clock["now"])
    return clock


def test_it_refuses_the_request_past_the_budget_until_the_next_window(api, fred, company, budget_of_three):
    client = api(fred)
    assert [client.get("/api/v1/vehicles").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/vehicles")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(50 * 60)  # the rest of the hour
    budget_of_three["now"] += 50 * 60
    assert client.get("/api/v1/vehicles").status_code == 200


def test_each_user_has_a_budget_of_their_own(api, fred, alice, company, budget_of_three):
    fred_client, alice_client = api(fred), api(alice)
    for _ in range(3):
        fred_client.get("/api/v1/vehicles")
    assert fred_client.get("/api/v1/vehicles").status_code == 429
    assert alice_client.get("/api/v1/vehicles").status_code == 200


REDIS_CACHE = "mpro.cache.ResilientRedisCache"


@pytest.fixture
def redis_cache(settings):
    """The production cache backend on the test Redis (skipped without one)."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL")
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": REDIS_CACHE, "LOCATION": settings.REDIS_URL, "KEY_PREFIX": "t-thr"}
    }
    backend = caches["default"]
    backend.clear()
    yield backend
    backend.clear()


def test_each_api_request_counts_its_budget_in_one_redis_pipeline(
    api, fred, company, redis_cache, monkeypatch
):
    """Against the Redis backend the budget is one INCR + EXPIRE pipeline, no ADD/GET/INCR calls
    (through Django's cache proxy the fixed-window path was never taken before)."""
    import redis.client

    pipelines, commands = [], []
    execute = redis.client.Pipeline.execute
    monkeypatch.setattr(
        redis.client.Pipeline, "execute", lambda self, *a, **k: pipelines.append(1) or execute(self, *a, **k)
    )
    for name in ("add", "incr", "get", "set"):
        original = getattr(type(redis_cache), name)
        monkeypatch.setattr(
            type(redis_cache),
            name,
            lambda self, *a, _o=original, _n=name, **k: commands.append(_n) or _o(self, *a, **k),
        )
    client = api(fred)
    assert [client.get("/api/v1/vehicles").status_code for _ in range(2)] == [200, 200]
    assert len(pipelines) == 2
    assert commands == []
    assert redis_cache.count_in_window("probe", 10) == 1
    assert redis_cache.count_in_window("probe", 10) == 2


def test_the_budget_counts_in_memory_while_redis_is_down(settings):
    from mpro.cache import ResilientRedisCache

    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {"TIMEOUT": 60})
    assert [cache.count_in_window("w", 60) for _ in range(3)] == [1, 2, 3]


def test_the_redis_client_is_built_once_and_serves_every_call(api, fred, company, redis_cache, monkeypatch):
    """Django builds a redis.Redis per cache call; ours keeps one per connection pool, and the
    requests that read the session, the token and the budget still work through it."""
    import redis

    built = []
    init = redis.Redis.__init__
    monkeypatch.setattr(redis.Redis, "__init__", lambda self, *a, **k: built.append(1) or init(self, *a, **k))
    redis_cache.set("first", 1)
    client = api(fred)
    assert [client.get("/api/v1/vehicles").status_code for _ in range(3)] == [200, 200, 200]
    redis_cache.set("k", {"v": 1})
    assert redis_cache.get("k") == {"v": 1}
    assert redis_cache.get("first") == 1
    assert built == []
