"""Issue 17 item 17: addressing a company by PRO ID without an open window is a look-up that
costs a search (known and unknown PRO IDs alike), and the attestation page shows no personal data
of the administrator before the attestation."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

UNKNOWN = "PRO-ZZZZZZ"


@pytest.fixture
def three_searches(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "retail_search": "3/min",
        },
    }


def staff_api(staff):
    api = APIClient()
    api.force_authenticate(staff.user)
    return api


@pytest.mark.parametrize("page", ["retail:company", "retail:attest", "retail:members"])
def test_probing_pro_ids_on_pages_spends_the_search_budget(staff_client, sam, company, three_searches, page):
    client = staff_client(sam)
    ids = [company.pro_id, UNKNOWN, "PRO-YYYYYY"]
    answers = [client.get(reverse(page, args=[pro_id])).status_code for pro_id in ids]
    assert 429 not in answers
    refused = client.get(reverse(page, args=[company.pro_id]))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.get(reverse(page, args=[UNKNOWN])).status_code == 429


def test_probing_pro_ids_on_the_api_spends_the_search_budget(sam, company, three_searches):
    api = staff_api(sam)
    answers = [
        api.get(f"/api/v1/retail/companies/{pro_id}").status_code
        for pro_id in [company.pro_id, UNKNOWN, "PRO-YYYYYY"]
    ]
    assert answers == [403, 404, 404]
    assert api.get(f"/api/v1/retail/companies/{company.pro_id}").status_code == 429
    assert api.get(f"/api/v1/retail/companies/{UNKNOWN}").status_code == 429


def test_an_open_attestation_browses_without_spending(staff_client, sam, company, attest, three_searches):
    attest(sam, company)
    client = staff_client(sam)
    assert [client.get(reverse("retail:company", args=[company.pro_id])).status_code for _ in range(6)] == [
        200
    ] * 6


def test_the_attestation_page_shows_no_administrator_data(staff_client, sam, company, alice):
    alice.birth_date = datetime.date(1983, 4, 5)
    alice.save()
    page = staff_client(sam).get(reverse("retail:attest", args=[company.pro_id])).content.decode()
    assert "Andersen" not in page and "1983" not in page and alice.email not in page
