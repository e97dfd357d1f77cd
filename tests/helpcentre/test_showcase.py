"""The public showcase home: what mpro does, the four steps, the packs with prices for the
visitor's country (from the catalogue), and the ways in."""

import pytest
from django.utils import translation

from companies.models import Country
from helpcentre.selectors import default_country
from packs.models import Pack, Price


@pytest.mark.django_db
def test_it_shows_visitors_the_platform_steps_and_ways_in(reader):
    response = reader("en").get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "What mpro does for your fleet" in html
    for step in ("Register", "Add vehicles and order packs", "Dealer verification", "Manage your fleet"):
        assert f"<h3>{step}</h3>" in html
    for path in ('href="/accounts/signup/"', 'href="/accounts/login/"', 'href="/dealers/"', 'href="/help/"'):
        assert path in html
    assert 'action="/help/search/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "target"), [("alice", "/dashboard/"), ("newcomer", "/dashboard/"), ("sam", "/retail/")]
)
def test_it_sends_logged_in_users_to_their_home(request, login, persona, target):
    user = request.getfixturevalue(persona)
    response = login(getattr(user, "user", user)).get("/")
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "price", "country"),
    [
        ("da", "1.870,00\xa0kr.", "DK"),
        ("fr", "250,00\xa0€", "FR"),
        ("de", "250,00\xa0€", "DE"),
        ("en", "£215.00", "GB"),
    ],
)
def test_it_prices_the_packs_for_the_visitors_country(reader, catalogue, language, price, country):
    response = reader(language).get("/")
    html = response.content.decode()
    assert response.context["offers"][0].pack.code == "connect-complete"  # the bundle leads
    assert price in html
    assert response.context["country"] == country
    with translation.override(language):
        assert str(Country(country).label) in html


@pytest.mark.django_db
def test_it_lets_the_visitor_pick_another_country(reader, catalogue):
    response = reader("da").get("/", {"country": "FR"})
    assert response.context["country"] == "FR"
    assert "250,00\xa0€" in response.content.decode()  # euros, written the Danish way
    assert "1.870,00" not in response.content.decode()
    assert reader("da").get("/", {"country": "XX"}).context["country"] == "DK"


@pytest.mark.django_db
def test_it_names_each_pack_in_the_visitors_language(reader, catalogue):
    bundle = Pack.objects.get(code="connect-complete")
    html = reader("de").get("/").content.decode()
    assert bundle.localized("name", "de") in html
    assert bundle.localized("description", "de") in html
    assert bundle.localized("name", "de") != bundle.name


@pytest.mark.django_db
def test_it_shows_the_welcome_offer_only_where_a_price_has_one(reader, catalogue):
    offers = {offer.pack.code: offer for offer in reader("en").get("/", {"country": "DK"}).context["offers"]}
    assert offers["connect-complete"].price.trial_months == 12
    assert offers["data-interface-light"].price.trial_months == 0
    html = reader("en").get("/", {"country": "DK"}).content.decode()
    assert "Welcome offer: the first 12 months are free" in html


@pytest.mark.django_db
def test_it_copes_with_an_empty_catalogue(reader):
    response = reader("en").get("/")
    assert response.status_code == 200
    assert response.context["offers"] == []
    assert "No service packs are on sale in United Kingdom yet." in response.content.decode()
    assert reader("da").get("/").status_code == 200


@pytest.mark.django_db
def test_it_leaves_out_inactive_packs_and_countries_without_a_price(reader, catalogue):
    Pack.objects.filter(code="navigation").update(is_active=False)
    Price.objects.filter(pack__code="echarging", country="DK").delete()
    codes = [offer.pack.code for offer in reader("da").get("/").context["offers"]]
    assert "navigation" not in codes and "echarging" not in codes
    assert "fleet-management" in codes


@pytest.mark.parametrize(
    ("language", "accept", "country"),
    [
        ("da", "", "DK"),
        ("fr", "", "FR"),
        ("de", "", "DE"),
        ("en", "", "GB"),
        ("fr", "fr-BE,fr;q=0.9", "BE"),
        ("de", "de-AT", "AT"),
        ("en", "en-US,en;q=0.8", "GB"),  # not a market of ours: the language decides
        ("fr", "de-AT,fr;q=0.5", "FR"),  # the region of another language does not count
    ],
)
def test_it_guesses_the_country_from_the_language(language, accept, country):
    assert default_country(language=language, accept_language=accept) == country


@pytest.mark.django_db
def test_it_keeps_the_query_count_flat(reader, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert reader("fr").get("/").status_code == 200
