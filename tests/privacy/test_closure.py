import pytest

from companies.models import AuditEvent, Company, Membership
from packs.models import Subscription
from tests import factories as f
from users.models import User
from vehicles.models import Vehicle

pytestmark = pytest.mark.django_db


def counts():
    return {
        m.__name__: m.objects.count() for m in (Company, Membership, Vehicle, Subscription, AuditEvent, User)
    }


@pytest.fixture
def other_world(other_company, oscar):
    f.VehicleFactory(company=other_company, vin="W1V9076331P300009")
    sub = f.SubscriptionFactory(order__company=other_company, status="cancelled")
    from companies.audit import Actor, record

    record(
        actor=Actor.customer(oscar),
        company=other_company,
        action="company.updated",
        target=other_company.pro_id,
    )
    return sub


def test_it_shows_what_closing_deletes_and_keeps(api, oscar, other_world):
    before = counts()
    plan = api(oscar).get("/api/v1/company/closure").json()
    assert plan["allowed"] is True
    kept = {i["what"]: i["why"] for i in plan["items"] if i["outcome"] == "kept"}
    assert set(kept) == {"Activity log", "The PRO ID"} and all(kept.values())
    deleted = {i["what"]: i["count"] for i in plan["items"] if i["outcome"] == "deleted"}
    assert deleted["Vans and their driver assignments"] == 2
    assert counts() == before


def test_it_closes_the_company_and_deletes_its_data(api, oscar, other_company, other_world, company, alice):
    acme_vans = f.VehicleFactory.create_batch(2, company=company)
    response = api(oscar).post("/api/v1/company/closure", {"confirm_pro_id": " pro-otherc "}, format="json")
    assert response.status_code == 204, response.content
    assert not Company.objects.filter(pro_id="PRO-OTHERC").exists()
    assert not Vehicle.objects.filter(vin="W1V9076331P300009").exists()
    assert not Membership.objects.filter(user=oscar).exists()
    kept = AuditEvent.objects.filter(target="PRO-OTHERC")
    assert {e.action for e in kept} == {"company.updated", "privacy.company_closed"}
    assert all(e.company_id is None for e in kept)
    # Another company stays whole; the person keeps their own account.
    assert Vehicle.objects.for_company(company).count() == len(acme_vans)
    assert User.objects.filter(pk=oscar.pk, is_active=True).exists()


def test_it_refuses_while_a_subscription_runs(api, alice, company):
    f.SubscriptionFactory(order__company=company, status="active")
    before = counts()
    plan = api(alice).get("/api/v1/company/closure").json()
    assert plan["allowed"] is False and "still running" in plan["blockers"][0]
    response = api(alice).post("/api/v1/company/closure", {"confirm_pro_id": "PRO-ACMEXX"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "closure_blocked"
    assert counts() == before


def test_it_refuses_a_wrong_pro_id(api, oscar, other_world):
    before = counts()
    response = api(oscar).post("/api/v1/company/closure", {"confirm_pro_id": "PRO-ACMEXX"}, format="json")
    assert response.status_code == 400 and "confirm_pro_id" in response.json()
    assert api(oscar).post("/api/v1/company/closure", {}, format="json").status_code == 400
    assert counts() == before


def test_it_checks_ownership_of_closing(client, api, login, fred, dora, sam, alice, company):
    before = counts()
    body = {"confirm_pro_id": "PRO-ACMEXX"}
    assert api().post("/api/v1/company/closure", body, format="json").status_code in (401, 403)
    assert api(fred).post("/api/v1/company/closure", body, format="json").status_code == 403
    assert api(dora).get("/api/v1/company/closure").status_code == 403
    assert api(sam.user).post("/api/v1/company/closure", body, format="json").status_code == 404
    assert client.post("/privacy/company/close/", body).status_code == 302
    assert login(fred).post("/privacy/company/close/", body).status_code == 403
    assert login(sam.user).get("/privacy/company/close/").status_code == 404
    assert counts() == before


def test_it_closes_from_the_page(login, oscar, other_world):
    client = login(oscar)
    page = client.get("/privacy/company/close/")
    assert page.status_code == 200 and b"Close Other Co" in page.content
    response = client.post("/privacy/company/close/", {"confirm_pro_id": "PRO-OTHERC"})
    assert response.status_code == 302
    assert not Company.objects.filter(pro_id="PRO-OTHERC").exists()
