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
