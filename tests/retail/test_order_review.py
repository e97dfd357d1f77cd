"""The dealer's order for a customer has the customer's review step: totals, welcome-offer dates,
what each van already has, then confirm. The review's total is the order's. Pack and service
names on Retail pages follow the staff member's language."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from packs.models import Order, Subscription
from tests import factories as f

pytestmark = pytest.mark.django_db

REVIEW_API = "/api/v1/retail/companies/{}/orders/review"


@pytest.fixture
def vans(company, catalogue):
    """Two of ACME's vans; the first already runs the fleet-management pack."""
    first = f.VehicleFactory(company=company, vin="W1V9076331P500001", nickname="Red van")
    second = f.VehicleFactory(company=company, vin="W1V9076331P500002", nickname="Grey van")
    f.SubscriptionFactory(
        order__company=company, order__pack=catalogue["fleet-management"], vehicle=first, status="active"
    )
    return first, second


@pytest.fixture
def session_client(login, sam, company, open_support, pack_terms):
    open_support(sam, company)
    return login(sam.user)


def _url(company):
    return reverse("retail:support_order", args=[company.pro_id])


def test_the_review_shows_totals_dates_and_what_each_van_has(session_client, company, vans):
    first, second = vans
    response = session_client.post(
        _url(company), {"pack": "connect-complete", "vehicles": [first.vin, second.vin]}
    )
    assert response.status_code == 200
    assert not Order.objects.filter(pack__code="connect-complete").exists()
    quote = response.context["quote"]
    assert quote.total == Decimal("3740.00") and quote.currency == "DKK"
    assert quote.trial_ends_at is not None and quote.trial_ends_at > timezone.localdate()
    html = response.content.decode()
    assert "DKK\u00a03,740.00" in html and "DKK\u00a01,870.00" in html
    assert date_format(quote.trial_ends_at, "SHORT_DATE_FORMAT") in html
    lines = {line["vehicle"].vin: line for line in response.context["lines"]}
    assert [sub.pack.code for sub in lines[first.vin]["held"]] == ["fleet-management"]
    assert lines[second.vin]["held"] == []
    assert "Fleet management" in html and "nothing yet" in html
    assert 'name="step" value="confirm"' in html


def test_confirming_places_the_order_with_the_reviewed_total(session_client, sam, company, vans):
    first, second = vans
    review = session_client.post(
        _url(company), {"pack": "connect-complete", "vehicles": [first.vin, second.vin]}
    )
    quote = review.context["quote"]
    confirm = review.content.decode()
    assert f'name="more_vins" value="{first.vin}\n{second.vin}"' in confirm
    response = session_client.post(
        _url(company),
        {"step": "confirm", "pack": "connect-complete", "more_vins": f"{first.vin}\n{second.vin}"},
    )
    assert response.status_code == 302
    order = Order.objects.get(pack__code="connect-complete")
    assert (order.total, order.currency) == (quote.total, quote.currency)
    assert order.placed_by == sam.user
    subs = Subscription.objects.filter(order=order)
    assert {sub.trial_ends_at for sub in subs} == {quote.trial_ends_at}
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(order.reference in message for message in messages)


def test_the_review_refuses_what_the_order_would(session_client, company, vans, other_van):
    first, _second = vans
    refused = session_client.post(_url(company), {"pack": "fleet-management", "vehicles": [first.vin]})
    assert refused.status_code == 200 and "quote" not in refused.context
    assert "already has" in refused.content.decode()
    stranger = session_client.post(_url(company), {"pack": "connect-complete", "more_vins": other_van.vin})
    assert "quote" not in stranger.context and "Other Co" not in stranger.content.decode()
    assert not Order.objects.filter(company=company, pack__code="connect-complete").exists()


def test_the_review_says_at_once_when_the_pack_terms_are_missing(login, sam, company, vans, open_support):
    open_support(sam, company)
    response = login(sam.user).post(_url(company), {"pack": "connect-complete", "vehicles": [vans[1].vin]})
    assert "quote" not in response.context
    assert "has not accepted the service pack terms" in response.content.decode()


def test_pack_and_service_names_follow_the_staff_members_language(session_client, sam, company, vans):
    sam.user.language = "da"
    sam.user.save()
    first, second = vans
    order_page = session_client.get(_url(company)).content.decode()
    assert "Connect komplet" in order_page and "Connect complete" not in order_page
    review = session_client.post(
        _url(company), {"pack": "connect-complete", "vehicles": [first.vin, second.vin]}
    )
    html = review.content.decode()
    assert "Connect komplet" in html and "Flådestyring" in html and "Digital kørebog" in html
    assert "Connect complete" not in html and "Fleet management" not in html
    vehicle_page = session_client.get(reverse("retail:vehicle", args=[company.pro_id, first.vin]))
    assert "Flådestyring" in vehicle_page.content.decode()


def test_the_api_review_equals_the_order(api, sam, company, vans, open_support, pack_terms):
    open_support(sam, company)
    first, second = vans
    body = {"pack": "connect-complete", "vehicles": [first.vin.lower(), second.vin]}
    review = api(sam.user).post(REVIEW_API.format(company.pro_id), body, format="json")
    assert review.status_code == 200, review.json()
    data = review.json()
    assert data["total"] == {"amount": "3740.00", "currency": "DKK"}
    held = {line["vin"]: line["already_has"] for line in data["vehicles"]}
    assert [pack["pack"] for pack in held[first.vin]] == ["fleet-management"] and held[second.vin] == []
    assert not Order.objects.filter(pack__code="connect-complete").exists()
    order = api(sam.user).post(f"/api/v1/retail/companies/{company.pro_id}/orders", body, format="json")
    assert order.status_code == 201
    assert order.json()["total"]["amount"] == data["total"]["amount"]
    trial_ends = {
        sub.trial_ends_at.isoformat() for sub in Subscription.objects.filter(order_id=order.json()["id"])
    }
    assert trial_ends == {data["trial_ends_at"]}


def test_the_api_review_needs_a_support_session_and_the_company_own_vans(
    api, sam, company, vans, other_van, attest, open_support, pack_terms
):
    attest(sam, company)
    url = REVIEW_API.format(company.pro_id)
    body = {"pack": "connect-complete", "vehicles": [vans[1].vin]}
    refused = api(sam.user).post(url, body, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "support_session_required"
    open_support(sam, company)
    stranger = api(sam.user).post(
        url, {"pack": "connect-complete", "vehicles": [other_van.vin]}, format="json"
    )
    assert stranger.status_code == 404
    assert (
        api(sam.user).post(url, {"pack": "connect-complete", "vehicles": []}, format="json").status_code
        == 400
    )
