"""Issue 17 item 2: a van transferred to a new holder shows nothing of its previous holder's data
(drivers, subscriptions, nickname, plate) on its page or in the API; the transfer starts a clean record."""

import pytest
from django.urls import reverse

from companies.audit import Actor
from companies.models import Role
from packs.catalogue import seed_catalogue
from packs.models import Pack
from tests import factories as f
from vehicles import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def transferred(company, other_company, oscar):
    """A van Other Co named, drove and subscribed, then transferred to ACME."""
    seed_catalogue()
    van = f.VehicleFactory(
        company=other_company, vin="W1V9076331P400077", nickname="Oscar's pride", licence_plate="OS 12 345"
    )
    olga = f.UserFactory(email="olga@other.example", first_name="Olga", last_name="Oldowner")
    f.MembershipFactory(user=olga, company=other_company, role=Role.DRIVER)
    services.driver_assign(vehicle=van, driver=olga, actor=Actor.customer(oscar))
    order = f.OrderFactory(company=other_company, pack=Pack.objects.get(code="connect-complete"))
    f.SubscriptionFactory(order=order, vehicle=van, status="cancelled")
    services.vehicle_transfer(vehicle=van, to_company=company, actor=Actor.system())
    van.refresh_from_db()
    return van


def test_the_transfer_clears_the_previous_holders_nickname_and_plate(transferred, company):
    assert transferred.company == company
    assert transferred.nickname == "" and transferred.licence_plate == ""
    assert transferred.driver is None


def test_the_van_page_shows_nothing_of_the_previous_holder(client, alice, transferred):
    client.force_login(alice)
    response = client.get(reverse("vehicles:detail", args=[transferred.vin]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Olga" not in html and "Oscar" not in html and "OS 12 345" not in html
    assert response.context["subscriptions"] == []
    assert list(response.context["assignments"]) == []


def test_the_api_shows_nothing_of_the_previous_holder(api, alice, transferred):
    client = api(alice)
    body = client.get(f"/api/v1/vehicles/{transferred.vin}").json()
    assert body["subscriptions"] == [] and body["nickname"] == "" and body["licence_plate"] == ""
    listed = client.get(f"/api/v1/vehicles?search={transferred.vin[:10]}").json()["results"]
    assert [v["subscriptions"] for v in listed] == [[]]
    assert client.get(f"/api/v1/subscriptions?vehicle={transferred.vin}").json()["results"] == []


def test_the_new_holders_own_history_shows(api, alice, fred, dora, transferred, company):
    services.driver_assign(vehicle=transferred, driver=dora, actor=Actor.customer(fred))
    order = f.OrderFactory(company=company, pack=Pack.objects.get(code="connect-complete"))
    mine = f.SubscriptionFactory(order=order, vehicle=transferred, status="awaiting_verification")
    body = api(alice).get(f"/api/v1/vehicles/{transferred.vin}").json()
    assert [s["id"] for s in body["subscriptions"]] == [mine.pk]
    from vehicles import selectors

    assert [a.driver for a in selectors.assignments_of(transferred)] == [dora]
