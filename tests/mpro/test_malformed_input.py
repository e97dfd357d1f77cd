"""Malformed input is a 400 everywhere, never a 500 (issue 17, item 10): NUL characters in paths,
query and form values, cursors carrying a NUL, a lone surrogate or text where the ordering field
holds a number or a time, JSON nested a thousand levels deep, a CSV upload with a NUL past its
first 4 KB. Swept over every URL pattern (tests/test_access.py's list)."""

import base64
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_access import ROUTES, acme, url_for  # noqa: F401  (acme is a fixture)
from vehicles.models import Vehicle, VehicleImport

pytestmark = pytest.mark.django_db

DEEP_JSON = "[" * 1000 + "]" * 1000
SKIP = {"account_logout", "retail:logout"}  # GET would log the caller out


def _cursor(position: str) -> str:
    # DRF's cursor: base64 of a query string; "%00" there decodes to a NUL, "%ED%A0%80" is no text.
    return base64.b64encode(f"p={position}".encode()).decode()


def _with_nul_in_path(route: str, values: dict) -> str | None:
    """The route's URL with a NUL inside its first string parameter (None when it has none)."""
    match = re.search(r"<(?:str:)?(\w+)>", route)
    if not match:
        return None
    poisoned = {**values, match.group(1): f"{values[match.group(1)]}%00x"}
    return url_for(route, poisoned)


def test_it_refuses_nul_characters_in_every_path_query_and_form(request, login, api, alice, sam):
    values = request.getfixturevalue("acme")
    failures = []
    for route, name in ROUTES:
        if name in SKIP:
            continue
        user = sam.user if route.startswith(("retail/", "api/v1/retail/")) else alice
        api_route = route.startswith("api/")
        client = api(user) if api_route else login(user)
        url = url_for(route, values)
        checks = [
            ("query", client.get(url, {"search": "a\x00b"})),
            ("form", client.post(url, {"name": "a\x00b"}, **({"format": "multipart"} if api_route else {}))),
        ]
        poisoned = _with_nul_in_path(route, values)
        if poisoned:
            checks.append(("path", client.get(poisoned)))
        for what, response in checks:
            if response.status_code != 400:
                failures.append((name, what, response.status_code))
    assert not failures, failures


def test_it_never_answers_500_to_bad_cursors_or_deep_json(request, api, alice, sam):
    values = request.getfixturevalue("acme")
    failures = []
    for route, name in ROUTES:
        if not route.startswith("api/") or name in SKIP:
            continue
        client = api(sam.user if route.startswith("api/v1/retail/") else alice)
        url = url_for(route, values)
        for cursor in (_cursor("%00"), _cursor("%ED%A0%80"), _cursor("not-a-number"), "!!"):
            response = client.get(url, {"cursor": cursor})
            if response.status_code >= 500:
                failures.append((name, "cursor", cursor, response.status_code))
        for method in ("post", "patch", "put"):
            response = getattr(client, method)(url, DEEP_JSON, content_type="application/json")
            if response.status_code >= 500:
                failures.append((name, method, "deep json", response.status_code))
    assert not failures, failures


@pytest.mark.parametrize("position", ["%00", "%ED%A0%80", "not-a-number"], ids=str)
def test_it_answers_400_to_a_cursor_that_is_not_a_position(api, alice, van, position):
    response = api(alice).get("/api/v1/company/members", {"cursor": _cursor(position)})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_it_still_follows_its_own_cursors(api, alice, fred, dora):
    client = api(alice)
    first = client.get("/api/v1/company/members", {"page_size": 1}).json()
    second = client.get(first["next"])
    assert second.status_code == 200 and len(second.json()["results"]) == 1


def test_it_answers_400_to_json_nested_a_thousand_levels_even_anonymously(anon_api):
    response = anon_api.post("/api/v1/auth/tokens", DEEP_JSON, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("text", ["Blue\x00van", "Blue\ud800van"], ids=["nul", "lone-surrogate"])
def test_it_answers_400_to_json_strings_postgresql_cannot_store(api, alice, van, text):
    body = json.dumps({"nickname": text})  # ensure_ascii: "\u0000" and "\ud800" escapes
    response = api(alice).patch(f"/api/v1/vehicles/{van.vin}", body, content_type="application/json")
    assert response.status_code == 400
    van.refresh_from_db()
    assert van.nickname == "Blue van"


def test_it_refuses_a_csv_with_a_nul_after_its_first_4_kb(api, alice):
    rows = "".join(f"W1V9076331P{100000 + n},AB {n},van {n}\n" for n in range(200))
    content = ("vin,licence_plate,nickname\n" + rows).encode()
    assert len(content) > 4096
    upload = SimpleUploadedFile("fleet.csv", content + b"W1V9076331P999999,X\x00Y,broken\n")
    response = api(alice).post("/api/v1/vehicles/imports", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert not VehicleImport.objects.exists() and not Vehicle.objects.exists()


def test_a_page_form_with_a_nul_is_a_400_and_saves_nothing(login, alice, van):
    response = login(alice).post(
        f"/vehicles/{van.vin}/edit/", {"licence_plate": "AB 1", "nickname": "x\x00y"}
    )
    assert response.status_code == 400
    van.refresh_from_db()
    assert van.nickname == "Blue van"
