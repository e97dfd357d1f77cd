"""The Retail header's "find a vehicle": a whole VIN across the network, page and API, on the
company-search budget; the company's data still needs the identity confirmation."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

PAGE = "/retail/vehicles/"
API = "/api/v1/retail/vehicles"


@pytest.fixture
def throttled(settings):
    def make(rate):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "retail_search": rate,
            },
        }

    return make


def test_it_finds_a_van_of_any_company_with_its_pro_id_and_states(
    staff_client, sam, other_van, other_company
):
    response = staff_client(sam).get(PAGE, {"vin": " " + other_van.vin.lower() + " "})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"] == [other_van]
    assert other_van.vin in html and other_company.pro_id in html and other_company.name in html
    assert "Account not verified" in html and "Not verified" in html
    # The way on goes through the identity confirmation, not straight to the company's data.
    assert reverse("retail:vehicle", args=[other_company.pro_id, other_van.vin]) in html


def test_the_van_page_behind_it_still_needs_the_attestation(staff_client, sam, other_van, other_company):
    client = staff_client(sam)
    response = client.get(reverse("retail:vehicle", args=[other_company.pro_id, other_van.vin]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("retail:attest", args=[other_company.pro_id]))


def test_it_refuses_part_of_a_vin_across_the_network(staff_client, sam, van):
    response = staff_client(sam).get(PAGE, {"vin": van.vin[-6:]})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "whole VIN" in response.context["vin_form"].errors["vin"][0]
    assert van.vin not in response.content.decode()


def test_it_says_so_when_no_company_holds_the_vin(staff_client, sam, van):
    response = staff_client(sam).get(PAGE, {"vin": "W1V9076331P999999"})
    assert response.context["results"] == []
    assert "No vehicle found" in response.content.decode()


def test_the_header_of_every_retail_page_has_the_search(staff_client, sam):
    html = staff_client(sam).get("/retail/").content.decode()
    assert f'action="{PAGE}"' in html and 'name="vin"' in html


def test_customers_and_visitors_do_not_reach_it(login, client, alice, api, van):
    assert login(alice).get(PAGE, {"vin": van.vin}).status_code == 404
    assert client.get(PAGE, {"vin": van.vin}).status_code == 302
    assert api(alice).get(API, {"vin": van.vin}).status_code == 404
    assert api().get(API, {"vin": van.vin}).status_code in (401, 403)


def test_the_api_answers_the_van_and_its_company(api, sam, other_van, other_company):
    response = api(sam.user).get(API, {"vin": other_van.vin.lower()})
    assert response.status_code == 200
    assert response.json() == [
        {
            "vin": other_van.vin,
            "make": other_van.make,
            "model": other_van.model_family,
            "model_year": other_van.model_year,
            "verification_status": "unverified",
            "company": {
                "pro_id": other_company.pro_id,
                "name": other_company.name,
                "verification_status": "unverified",
            },
        }
    ]


@pytest.mark.parametrize("query", [{}, {"vin": ""}, {"vin": "P100001"}, {"vin": "W1V9076331P1000012"}])
def test_the_api_answers_400_without_a_whole_vin(api, sam, van, query):
    response = api(sam.user).get(API, query)
    assert response.status_code == 400
    assert "vin" in response.json()


def test_it_spends_the_company_search_budget_on_page_and_api(staff_client, sam, sid, van, api, throttled):
    throttled("3/min")
    client = staff_client(sam)
    assert client.get("/retail/companies/", {"pro_id": "PRO-ACMEXX"}).status_code == 200
    assert client.get(PAGE, {"vin": van.vin}).status_code == 200
    assert api(sam.user).get(API, {"vin": van.vin}).status_code == 200
    response = client.get(PAGE, {"vin": van.vin})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.context["results"] is None
    refused = api(sam.user).get(API, {"vin": van.vin})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # Another staff member's budget is their own.
    assert staff_client(sid).get(PAGE, {"vin": van.vin}).status_code == 200


def test_it_reads_in_a_fixed_number_of_queries(staff_client, sam, company, django_assert_max_num_queries):
    vans = [f.VehicleFactory(company=company) for _ in range(3)]
    client = staff_client(sam)
    client.get(PAGE, {"vin": vans[0].vin})
    with django_assert_max_num_queries(8):
        assert client.get(PAGE, {"vin": vans[1].vin}).context["results"] == [vans[1]]
