"""Permissions-Policy on every kind of response (issue 17, item 20)."""

import pytest

pytestmark = pytest.mark.django_db

EXPECTED = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"


@pytest.mark.parametrize("path", ["/help/", "/accounts/login/", "/api/v1/docs/", "/nowhere/"])
def test_it_switches_off_the_browser_features_the_portal_never_uses(client, path):
    assert client.get(path)["Permissions-Policy"] == EXPECTED


def test_it_sends_it_to_logged_in_customers_and_the_api(login, api, alice):
    assert login(alice).get("/dashboard/")["Permissions-Policy"] == EXPECTED
    assert api(alice).get("/api/v1/me")["Permissions-Policy"] == EXPECTED
