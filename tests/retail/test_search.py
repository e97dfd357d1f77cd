"""Select a company: by PRO ID, or ("PRO ID unknown?") by name + postal code + city."""

import pytest
from django.urls import reverse

from mpro.errors import DomainError, FieldErrors
from retail.selectors import company_search, normalize_pro_id
from tests import factories as f

pytestmark = pytest.mark.django_db

SEARCH = "/retail/companies/"


@pytest.mark.parametrize("raw", ["PRO-ACMEXX", "pro-acmexx", " ACMEXX ", "acmexx", "Pro-AcmeXX"])
def test_it_reads_pro_ids_with_or_without_the_prefix_in_any_case(raw):
    assert normalize_pro_id(raw) == "PRO-ACMEXX"


@pytest.mark.parametrize(
    "raw", ["PRO-ACME", "PRO-ACMEXX1", "PRO-ACM3XX", "ACME-XX", "PRO_ACMEXX", "-", "x" * 10_000]
)
def test_it_refuses_malformed_pro_ids(raw):
    with pytest.raises(DomainError) as error:
        normalize_pro_id(raw)
    assert error.value.field == "pro_id"


def test_it_finds_a_company_by_pro_id(company):
    assert list(company_search(pro_id="acmexx")) == [company]
    assert list(company_search(pro_id="PRO-ZZZZZZ")) == []


def test_it_finds_a_company_by_exact_name_postal_code_and_city_ignoring_case_and_spaces(company):
    f.CompanyFactory(name="ACME Transport ApS", postal_code="8000", city="Aarhus C")  # another city
    f.CompanyFactory(name="ACME Transport", postal_code="8000", city="Aarhus")  # another name
    found = company_search(name="  acme transport aps ", postal_code=" 8000 ", city="AARHUS")
    assert list(found) == [company]


def test_it_does_not_match_parts_of_names(company):
    assert list(company_search(name="ACME", postal_code="8000", city="Aarhus")) == []


@pytest.mark.parametrize(
    "given, missing",
    [
        ({"name": "ACME Transport ApS", "postal_code": "8000"}, {"city"}),
        ({"name": "ACME Transport ApS", "city": "Aarhus"}, {"postal_code"}),
        ({"postal_code": "8000", "city": "Aarhus"}, {"name"}),
        ({"name": "ACME Transport ApS", "postal_code": "8000", "city": "   "}, {"city"}),
    ],
)
def test_it_needs_all_three_fields(company, given, missing):
    with pytest.raises(FieldErrors) as error:
        company_search(**given)
    assert set(error.value.errors) == missing


def test_it_needs_some_search(company):
    with pytest.raises(DomainError):
        company_search()


# --- the page ------------------------------------------------------------------------------------------
def test_it_shows_results_with_address_pro_id_and_the_red_triangle(staff_client, sam, company):
    response = staff_client(sam).get(SEARCH, {"pro_id": "pro-acmexx"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ACME Transport ApS" in html and "PRO-ACMEXX" in html and "Havnegade 4, 8000 Aarhus" in html
    assert 'class="badge badge-bad unverified"' in html
    assert reverse("retail:company", args=["PRO-ACMEXX"]) in html


def test_the_search_by_pro_id_reads_the_user_the_staff_member_and_the_company_only(
    staff_client, sam, company, django_assert_num_queries
):
    """Three queries: the session's user, the staff member with outlet and user (which the page's
    later questions about the user reuse) and the company."""
    client = staff_client(sam)
    client.get(SEARCH, {"pro_id": "PRO-ACMEXX"})  # the session and its caches warmed
    with django_assert_num_queries(3) as captured:
        response = client.get(SEARCH, {"pro_id": "PRO-ACMEXX"})
    assert company.name in response.content.decode()
    assert sum('FROM "retail_dealerstaff"' in q["sql"] for q in captured.captured_queries) == 1


def test_it_shows_no_triangle_for_verified_companies(staff_client, sam, verified_company):
    html = staff_client(sam).get(SEARCH, {"pro_id": "PRO-ACMEXX"}).content.decode()
    assert "PRO-ACMEXX" in html and "unverified" not in html


def test_it_searches_by_name_postal_code_and_city_on_the_page(staff_client, sam, company):
    response = staff_client(sam).get(
        SEARCH, {"name": "acme transport aps", "postal_code": "8000", "city": "aarhus"}
    )
    assert [c.pk for c in response.context["results"]] == [company.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"pro_id": "PRO-12"},
        {"pro_id": "x" * 10_000},
        {"name": "ACME Transport ApS", "postal_code": "8000"},
        {"name": "x" * 10_000, "postal_code": "8000", "city": "Aarhus"},
        {"name": "", "postal_code": "", "city": ""},
    ],
)
def test_it_answers_bad_searches_with_a_clear_message(staff_client, sam, company, query):
    response = staff_client(sam).get(SEARCH, query)
    assert response.status_code == 200
    assert response.context["results"] is None
    form = response.context["place_form"] if "name" in query else response.context["pro_form"]
    assert form.errors


def test_it_limits_searches_per_staff_member(staff_client, sam, sid, company, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "retail_search": "3/min",
        },
    }
    client = staff_client(sam)
    for _ in range(3):
        assert client.get(SEARCH, {"pro_id": "PRO-ACMEXX"}).status_code == 200
    response = client.get(SEARCH, {"pro_id": "PRO-ACMEXX"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.context["results"] is None
    # The API shares the budget of the page.
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(sam.user)
    assert api.get("/api/v1/retail/companies", {"pro_id": "PRO-ACMEXX"}).status_code == 429
    # Another staff member has a budget of their own.
    assert staff_client(sid).get(SEARCH, {"pro_id": "PRO-ACMEXX"}).status_code == 200


def test_it_searches_in_a_fixed_number_of_queries(staff_client, sam, django_assert_max_num_queries):
    for _ in range(30):
        f.CompanyFactory(name="Same Name ApS", postal_code="8000", city="Aarhus")
    client = staff_client(sam)
    with django_assert_max_num_queries(6):
        response = client.get(SEARCH, {"name": "same name aps", "postal_code": "8000", "city": "aarhus"})
    assert len(response.context["results"]) == 30


def test_it_finds_a_name_typed_without_its_legal_form_and_stays_exact_on_the_place(company):
    assert list(company_search(name="acme transport", postal_code="8000", city="Aarhus")) == [company]
    assert list(company_search(name="acme transport", postal_code="8200", city="Aarhus")) == []
    assert list(company_search(name="acme transport", postal_code="8000", city="Aarhus C")) == []
    assert list(company_search(name="acme", postal_code="8000", city="Aarhus")) == []
