"""HEAD and OPTIONS are refused exactly where GET is (issue 17, item 13).

A role check that names only the methods a view implements must not let the others through: a
driver's HEAD /api/v1/orders was 200 while their GET was 403. Walks every URL pattern (the same
list as tests/test_access.py) for each persona and compares the three methods."""

import pytest

from tests.test_access import PUBLIC, ROUTES, acme, url_for  # noqa: F401  (acme is a fixture)

REFUSED = {302, 401, 403, 404}

# GET here logs the caller out, which would change who the following requests are made by.
SKIP = PUBLIC | {"account_logout", "retail:logout"}


def _client(persona, login, api, route, user):
    if user is None:
        from django.test import Client
        from rest_framework.test import APIClient

        return APIClient() if route.startswith("api/") else Client()
    return api(user) if route.startswith("api/") else login(user)


@pytest.mark.parametrize("persona", ["dora", "oscar", "sam"])
def test_it_refuses_head_and_options_wherever_get_is_refused(request, login, api, persona):
    values = request.getfixturevalue("acme")
    user = None
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        user = getattr(user, "user", user)  # sam is a DealerStaff
    mismatches = []
    for route, name in ROUTES:
        if name in SKIP:
            continue
        url = url_for(route, values)
        client = _client(persona, login, api, route, user)
        get = client.get(url).status_code
        head = client.head(url).status_code
        options = client.options(url).status_code
        refused = get in REFUSED
        if get == 405:  # a POST-only route: OPTIONS must be refused wherever the POST is
            refused = client.post(url).status_code in REFUSED
            head = get
        if refused:
            # 405 from a method filter in front of the check is a refusal too; a 2xx never is.
            for method, status in (("HEAD", head), ("OPTIONS", options)):
                if status < 300 or (get in (403, 404) and status not in (get, 405)):
                    mismatches.append((name, method, get, status))
    assert not mismatches, mismatches


def test_a_driver_gets_403_for_head_and_options_on_orders(api, dora):
    client = api(dora)
    assert client.get("/api/v1/orders").status_code == 403
    assert client.head("/api/v1/orders").status_code == 403
    assert client.options("/api/v1/orders").status_code == 403


def test_an_administrator_still_gets_head_and_options(api, alice):
    client = api(alice)
    assert client.head("/api/v1/orders").status_code == 200
    assert client.options("/api/v1/orders").status_code == 405  # no metadata, for anyone
