from decimal import Decimal

import pytest

from packs.catalogue import FAQ_SOURCE, OUR_SOURCE, seed_catalogue
from packs.models import Pack, Price, Service
from packs.templatetags.money import format_money


def test_it_seeds_the_catalogue_once(catalogue):
    counts = (Service.objects.count(), Pack.objects.count(), Price.objects.count())
    assert seed_catalogue() == {"services": 0, "packs": 0, "prices": 0}
    assert (Service.objects.count(), Pack.objects.count(), Price.objects.count()) == counts
    assert counts == (9, 10, 90)


def test_it_bundles_every_connect_service_except_the_data_interface(bundle):
    codes = {s.code for s in bundle.services.all()}
    assert bundle.is_bundle
    assert "fleet-management" in codes and "echarging" in codes and "digital-logbook" in codes
    assert not {c for c in codes if c.startswith("data-interface")}
    assert len(codes) == 7


def test_it_prices_the_danish_bundle_from_the_faq(bundle):
    price = bundle.prices.get(country="DK")
    assert (price.amount, price.currency, price.trial_months) == (Decimal("1870.00"), "DKK", 12)
    assert price.source == FAQ_SOURCE


@pytest.mark.parametrize("country", ["FR", "DE", "BE", "NL", "AT", "ES", "IT"])
def test_it_marks_euro_prices_as_ours(bundle, country):
    price = bundle.prices.get(country=country)
    assert price.currency == "EUR" and price.amount > 0
    assert price.source == OUR_SOURCE


def test_it_keeps_prices_changed_in_the_admin(bundle):
    Price.objects.filter(pack=bundle, country="DK").update(amount=Decimal("1999.00"))
    seed_catalogue()
    assert bundle.prices.get(country="DK").amount == Decimal("1999.00")
    seed_catalogue(update_prices=True)
    assert bundle.prices.get(country="DK").amount == Decimal("1870.00")


@pytest.mark.parametrize("language", ["fr", "da", "de"])
def test_it_translates_every_name_and_description(catalogue, language):
    for item in [*Service.objects.all(), *Pack.objects.all()]:
        texts = item.translations[language]
        assert texts["name"] and texts["description"]
        assert item.localized("description", language) != item.description


def test_it_formats_money_per_language_and_currency():
    assert format_money(Decimal("1870"), "DKK", "da") == "1.870,00\xa0kr."
    assert format_money(Decimal("1870"), "EUR", "fr") == "1\u202f870,00\xa0€"
    assert format_money(Decimal("1870"), "EUR", "de") == "1.870,00\xa0€"
    assert format_money(Decimal("1870"), "GBP", "en") == "£1,870.00"
    assert format_money(None, "EUR", "en") == ""
    assert format_money("1870", "XYZ", "en").startswith("XYZ")


def test_it_lets_the_admin_edit_prices(catalogue, client):
    from tests.factories import UserFactory

    admin = UserFactory(email="root@mpro.example", is_staff=True, is_superuser=True)
    client.force_login(admin)
    bundle = catalogue["connect-complete"]
    response = client.get(f"/admin/packs/pack/{bundle.pk}/change/")
    assert response.status_code == 200
    assert b"prices-0-amount" in response.content
    assert client.get("/admin/packs/price/").status_code == 200


def test_the_service_gate_forgets_the_cached_catalogue_when_a_pack_changes(settings, catalogue, company):
    """The gate keeps which packs carry a service for CATALOGUE_CACHE_SECONDS (off in the other
    tests); a pack losing or gaining a service is seen by the next question, not seconds later."""
    from packs import selectors
    from tests import factories as f
    from tests.telematics.conftest import connect

    settings.CATALOGUE_CACHE_SECONDS = 60
    selectors.forget_catalogue()
    pack = catalogue["fleet-management"]
    van = connect(f.VehicleFactory(company=company, vin="W1V9076331P700001"), pack)
    assert selectors.service_live(van, "fleet-management")
    assert not selectors.service_live(van, "echarging")

    pack.services.remove(Service.objects.get(code="fleet-management"))
    assert not selectors.service_live(van, "fleet-management")

    pack.services.add(Service.objects.get(code="fleet-management"))
    assert selectors.service_live(van, "fleet-management")
    Service.objects.filter(code="fleet-management").update(fuels=["electric"])  # no signal: cached
    assert selectors.service_live(van, "fleet-management")
    Service.objects.get(code="fleet-management").save()  # a save is seen at once
    assert not selectors.service_live(van, "fleet-management")  # the van burns diesel
    selectors.forget_catalogue()
