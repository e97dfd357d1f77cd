"""The public dealer finder: search the dealer network by name, postal code or city."""

import pytest

from companies.models import Country
from tests import factories as f


@pytest.fixture
def network(db):
    f.DealerFactory(code="DK2600", name="Glostrup Van Center", postal_code="2600", city="Glostrup")
    f.DealerFactory(code="DK5220", name="Odense Varebiler", postal_code="5220", city="Odense SØ")
    f.DealerFactory(
        code="FR69007", name="Lyon Gerland Vans", postal_code="69007", city="Lyon", country=Country.FR
    )
    f.DealerFactory(
        code="DE10553", name="<b>Berlin</b> & Co", postal_code="10553", city="Berlin", country=Country.DE
    )


def names(response) -> list[str]:
    return [dealer.name for dealer in response.context["dealers"]]


@pytest.mark.django_db
def test_it_lists_every_dealer_to_visitors(client, network):
    response = client.get("/dealers/")
    assert response.status_code == 200
    assert len(names(response)) == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("odense", ["Odense Varebiler"]),
        ("GLOSTRUP VAN", ["Glostrup Van Center"]),
        ("690", ["Lyon Gerland Vans"]),
        ("Lyon", ["Lyon Gerland Vans"]),
        ("Vans", ["Lyon Gerland Vans"]),
        ("nowhere", []),
    ],
)
def test_it_searches_by_name_postal_code_or_city(client, network, query, expected):
    assert names(client.get("/dealers/", {"q": query})) == expected


@pytest.mark.django_db
def test_it_filters_by_country(client, network):
    assert names(client.get("/dealers/", {"country": "DK"})) == ["Glostrup Van Center", "Odense Varebiler"]
    assert names(client.get("/dealers/", {"country": "DK", "q": "lyon"})) == []


@pytest.mark.django_db
def test_it_says_when_nothing_matches_and_escapes_names(client, network):
    assert "No dealer matches your search." in client.get("/dealers/", {"q": "nowhere"}).content.decode()
    html = client.get("/dealers/", {"q": "berlin"}).content.decode()
    assert "&lt;b&gt;Berlin&lt;/b&gt; &amp; Co" in html and "<b>Berlin" not in html


@pytest.mark.django_db
def test_it_points_customers_to_their_workshops_page(login, alice, network):
    html = login(alice).get("/dealers/").content.decode()
    assert 'href="/vehicles/workshops/"' in html


@pytest.mark.django_db
def test_it_does_not_offer_the_workshops_page_to_visitors(client, network):
    assert 'href="/vehicles/workshops/"' not in client.get("/dealers/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "offered"), [("alice", True), ("fred", True), ("dora", False)])
def test_it_offers_the_workshops_page_only_to_those_who_may_open_it(
    request, login, network, persona, offered
):
    client = login(request.getfixturevalue(persona))
    for path in ("/dealers/", "/help/", "/help/ecell/charging/"):
        assert ('href="/vehicles/workshops/"' in client.get(path).content.decode()) is offered, path
    # The link is offered exactly when following it works (a driver would get a 403).
    assert client.get("/vehicles/workshops/").status_code == (200 if offered else 403)


@pytest.mark.django_db
def test_it_caps_and_keeps_the_query_count_flat(client, django_assert_max_num_queries):
    for index in range(120):
        f.DealerFactory(code=f"DK9{index:04d}", name=f"Outlet {index}", postal_code="9000", city="Aalborg")
    with django_assert_max_num_queries(1):
        response = client.get("/dealers/", {"q": "aalborg"})
    assert len(names(response)) == 100
    assert "Only the first 100 dealers are shown" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "country"),
    [("odense", ""), ("690", ""), ("Vans", ""), ("", "DK"), ("lyon", "DK"), ("  berlin ", "")],
)
def test_it_finds_the_same_outlets_as_the_workshops_page_and_the_api(
    client, login, api, alice, network, query, country
):
    public = sorted(
        dealer.code for dealer in client.get("/dealers/", {"q": query, "country": country}).context["dealers"]
    )
    page = login(alice).get("/vehicles/workshops/", {"search": query, "country": country})
    from_api = api(alice).get("/api/v1/dealers", {"search": query, "country": country})
    assert from_api.status_code == 200
    assert public == sorted(dealer.code for dealer in page.context["dealers"])
    assert public == sorted(row["code"] for row in from_api.json()["results"])
