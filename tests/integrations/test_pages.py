"""Portal pages of the integrations app: administrators only, another company's objects are 404."""

import pytest

from companies.audit import Actor
from integrations import services
from integrations.models import DataClient, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_client_and_sees_its_secret_once(login, alice):
    client = login(alice)
    response = client.post("/integrations/clients/", {"name": "Dashboard", "scopes": ["vehicles:read"]})
    assert response.status_code == 200
    data_client = DataClient.objects.get()
    assert data_client.scopes == ["vehicles:read"]
    assert response.context["new_client_secret"] in response.content.decode()
    page = client.get("/integrations/").content.decode()
    assert "Dashboard" in page and response.context["new_client_secret"] not in page


def test_a_client_form_error_is_shown_on_the_form(login, alice):
    response = login(alice).post("/integrations/clients/", {"name": "", "scopes": []})
    assert response.status_code == 200 and response.context["client_form"].errors
    assert not DataClient.objects.exists()


def test_an_administrator_adds_an_endpoint_and_an_internal_address_is_a_form_error(login, alice, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    response = login(alice).post(
        "/integrations/webhooks/", {"url": "http://10.0.0.1/x", "events": ["company.verified"]}
    )
    assert response.status_code == 200 and "url" in response.context["webhook_form"].errors
    assert not WebhookEndpoint.objects.exists()
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    response = login(alice).post(
        "/integrations/webhooks/", {"url": "http://127.0.0.1:9/x", "events": ["company.verified"]}
    )
    assert response.context["new_endpoint_secret"].startswith("whsec_")
    assert WebhookEndpoint.objects.get().url == "http://127.0.0.1:9/x"


def test_an_administrator_revokes_a_client_and_removes_an_endpoint(login, alice, company, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    data_client, _ = services.data_client_create(company=company, name="x", actor=Actor.customer(alice))
    endpoint, _ = services.webhook_endpoint_create(
        company=company, url="http://127.0.0.1:9/", events=["company.verified"], actor=Actor.customer(alice)
    )
    client = login(alice)
    assert client.get(f"/integrations/webhooks/{endpoint.pk}/").status_code == 200
    assert client.post(f"/integrations/clients/{data_client.pk}/revoke/").status_code == 302
    assert client.post(f"/integrations/webhooks/{endpoint.pk}/delete/").status_code == 302
    assert not DataClient.objects.exists() and not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("persona", ["fred", "dora"])
def test_other_roles_get_403(login, request, alice, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get("/integrations/").status_code == 403
    assert (
        client.post("/integrations/clients/", {"name": "x", "scopes": ["vehicles:read"]}).status_code == 403
    )
    assert not DataClient.objects.exists()


def test_the_company_page_leads_administrators_only_to_integrations(login, alice, fred):
    assert 'href="/integrations/"' in login(alice).get("/company/").content.decode()
    assert 'href="/integrations/"' not in login(fred).get("/company/").content.decode()
    assert 'href="/integrations/"' not in login(alice).get("/dashboard/").content.decode()  # not in the menu


def test_the_overview_costs_the_same_queries_for_many_clients(
    login, alice, company, django_assert_max_num_queries
):
    for n in range(6):
        services.data_client_create(company=company, name=f"c{n}", actor=Actor.customer(alice))
    client = login(alice)
    with django_assert_max_num_queries(12):
        assert client.get("/integrations/").status_code == 200
