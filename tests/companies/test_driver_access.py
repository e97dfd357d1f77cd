"""Issue 17 item 14: the company's own record is for administrators and fleet managers; a driver
is refused (403) on the page and the API, and the pages do not send them there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_driver_is_refused_the_company_on_the_api(api, dora, alice, fred):
    assert api(dora).get("/api/v1/company").status_code == 403
    assert api(dora).patch("/api/v1/company", {"name": "Mine"}, format="json").status_code == 403
    assert api(fred).get("/api/v1/company").status_code == 200
    assert api(alice).get("/api/v1/company").status_code == 200


def test_a_driver_is_refused_the_company_page_and_not_shown_its_link(login, dora, fred):
    client = login(dora)
    assert client.get("/company/").status_code == 403
    dashboard = client.get("/dashboard/").content.decode()
    assert 'href="/company/"' not in dashboard
    assert 'href="/company/"' in login(fred).get("/dashboard/").content.decode()


def test_a_driver_who_opens_the_registration_lands_on_the_dashboard(login, dora):
    response = login(dora).get(reverse("companies:register"))
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_a_driver_keeps_their_van_status(api, dora, van):
    van.driver = dora
    van.save()
    assert api(dora).get("/api/v1/fleet/status").status_code in (200, 409)
