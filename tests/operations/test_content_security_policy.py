"""The Content-Security-Policy (issue 17, item 20): every kind of page carries it, strict (scripts
and styles from this site only, nothing inline), and no page the site renders holds what the
policy would refuse: an inline script, an `on…=` handler, a `style=` attribute or a <style>
element. The browser side (no violation reported, the pages' features still working) is
tests/e2e/test_csp_browser.py."""

import re

import pytest
from django.test import Client
from django.urls import path

from mpro.urls import urlpatterns as site_urlpatterns
from retail import services as retail_services
from tests.test_access import ROUTES, acme, url_for  # noqa: F401  (acme is a fixture)

pytestmark = pytest.mark.django_db

# An inline script (a <script> without src; JSON data blocks are not run, so they may stay), an
# event-handler attribute, a style attribute, a <style> element.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>"
    r"|<[a-z][^>]*\son[a-z]+\s*="
    r"|<[a-z][^>]*\sstyle\s*="
    r"|<style\b",
    re.IGNORECASE,
)


def _boom(request):
    raise RuntimeError("a page that fails")


urlpatterns = [*site_urlpatterns, path("boom/", _boom)]


def directives(response) -> dict[str, list[str]]:
    policy = response.get("Content-Security-Policy", "")
    parsed = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_strict(response, where: str) -> None:
    policy = directives(response)
    assert policy, f"{where}: no Content-Security-Policy"
    assert policy["script-src"] == ["'self'"], where
    assert policy["style-src"] == ["'self'"], where
    assert policy["default-src"] == ["'self'"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["base-uri"] == ["'self'"], where
    assert policy["form-action"][0] == "'self'", where
    for values in policy.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values, where


@pytest.mark.parametrize(
    "url,status",
    [
        ("/", 200),
        ("/help/", 200),
        ("/dealers/", 200),
        ("/accounts/login/", 200),
        ("/retail/login/", 200),
        ("/api/v1/docs/", 200),
        ("/api/v1/schema/", 200),
        ("/nowhere/", 404),
    ],
)
def test_public_pages_and_error_pages_carry_the_policy(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_strict(response, url)


def test_every_face_of_the_site_carries_the_policy(login, api, alice, dora, sam, company):
    retail_services.attestation_open(staff=sam, company=company, identity_checked=True)
    for client, url, status in [
        (login(alice), "/dashboard/", 200),
        (login(alice), "/fleet/map/", 200),
        (login(alice), "/fleet/geofences/", 200),
        (login(sam.user), "/retail/", 200),
        (login(sam.user), f"/retail/companies/{company.pro_id}/", 200),
        (login(dora), "/app/", 200),
        (login(dora), "/app/sw.js", 200),
        (login(dora), "/app/manifest.webmanifest", 200),
        (login(dora), "/company/members/invite/", 403),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert_strict(response, url)


def test_json_carries_a_constant_policy_that_lets_nothing_load(api, alice):
    """An API response is data: nothing may load, run or frame it, whatever it holds."""
    for url, status in [("/api/v1/me", 200), ("/api/v1/vehicles", 200), ("/api/v1/vehicles/NOPE", 404)]:
        response = api(alice).get(url)
        assert response.status_code == status and response["Content-Type"].startswith("application/json")
        assert directives(response) == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}, url
    # The browsable API is a page: it gets the pages' policy.
    page = api(alice).get("/api/v1/me", HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")
    assert_strict(page, "browsable API")


def test_a_refused_form_and_a_server_error_carry_the_policy(alice, settings):
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(alice)
    response = csrf.post("/company/edit/", {"name": "Changed"})
    assert response.status_code == 403
    assert_strict(response, "CSRF failure")

    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert_strict(response, "500")


def test_images_may_come_from_the_map_tile_server_and_nowhere_else(client, settings):
    policy = directives(client.get("/help/"))
    tiles = re.match(r"^[a-z]+://[^/]+", settings.MAP_TILES_URL).group(0)
    assert policy["img-src"] == ["'self'", "data:", tiles]
    assert policy["worker-src"] == ["'self'"] and policy["manifest-src"] == ["'self'"]


def test_the_tile_origin_is_read_from_the_setting():
    from mpro.headers import content_security_policy

    def img_src(tiles: str) -> list[str]:
        return content_security_policy(tiles, "")["DIRECTIVES"]["img-src"]

    assert img_src("https://{s}.tile.example.org/{z}/{x}/{y}.png")[2:] == ["https://*.tile.example.org"]
    assert img_src("https://tiles.example.org:8443/{z}/{x}/{y}.png")[2:] == ["https://tiles.example.org:8443"]
    assert img_src("/tiles/{z}/{x}/{y}.png")[2:] == []  # this server: 'self' covers it


def _inline_on_every_page(client, routes, values) -> list[str]:
    found = []
    for route in routes:
        url = url_for(route, values) if "<" in route else "/" + route
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode(errors="replace")
        found += [f"{url}: {hit[:60]}" for hit in INLINE.findall(html)]
    return found


@pytest.mark.parametrize("persona", ["anonymous", "alice", "dora", "sam"])
def test_no_page_holds_what_the_policy_refuses(request, login, company, persona):
    """Every route of the site (and allauth's account pages), as each kind of visitor sees it."""
    values = request.getfixturevalue("acme")
    client = Client()
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        if persona == "sam":
            retail_services.attestation_open(staff=user, company=company, identity_checked=True)
        client = login(getattr(user, "user", user))
    skip = {"account_logout", "retail:logout"}
    routes = [route for route, name in ROUTES if name not in skip and not route.startswith("api/")]
    routes += [
        "accounts/login/",
        "accounts/signup/",
        "accounts/email/",
        "accounts/password/change/",
        "accounts/password/reset/",
        "accounts/password/reset/done/",
        "accounts/reauthenticate/",
        "accounts/3rdparty/",
        "api/v1/docs/",
    ]
    assert _inline_on_every_page(client, routes, values) == []
