"""FAQ 7: a new name or address starts a new contract generation, and the company's live
subscriptions move to it, whether the customer changes it on the portal or through the API, or a
dealer changes it for them on the Retail site or the Retail API. Ended subscriptions and orders
keep the generation they had; the billing page and the contract document show it."""

import pytest
from django.urls import reverse

from companies.models import AuditEvent
from packs.models import Subscription
from retail import services as retail_services
from tests import factories as f

pytestmark = pytest.mark.django_db

SUPPORT_PASSWORD = "blue-van-42"


@pytest.fixture
def subs(company, alice, catalogue):
    pack = catalogue["connect-complete"]
    order = f.OrderFactory(company=company, pack=pack)
    live = [
        f.SubscriptionFactory(order=order, status="active"),
        f.SubscriptionFactory(order=order, status="awaiting_verification"),
    ]
    ended = f.SubscriptionFactory(order=order, status="cancelled")
    other = f.SubscriptionFactory(order__company=f.CompanyFactory(), order__pack=pack, status="active")
    return live, ended, other


def _generations(*subs):
    return [Subscription.objects.get(pk=sub.pk).contract_generation for sub in subs]


def _support(staff, company, alice):
    alice.set_support_password(SUPPORT_PASSWORD)
    alice.save()
    attestation = retail_services.attestation_open(staff=staff, company=company, identity_checked=True)
    retail_services.support_session_open(
        staff=staff,
        company=company,
        support_password=SUPPORT_PASSWORD,
        actor=retail_services.staff_actor(staff=staff, window=attestation),
    )


def _form(company, **changes):
    data = {
        field: getattr(company, field)
        for field in ("name", "manager_name", "street", "postal_code", "city", "country", "email", "phone")
    }
    data["vat_number"] = company.vat_number
    return {**data, **changes}


def _assert_moved(company, subs, generation=2):
    live, ended, other = subs
    company.refresh_from_db()
    assert company.contract_generation == generation
    assert _generations(*live) == [generation, generation]
    assert _generations(ended, other) == [1, 1]
    assert live[0].order.__class__.objects.get(pk=live[0].order_id).contract_generation == 1
    event = AuditEvent.objects.get(company=company, action="subscriptions.moved_to_generation")
    assert event.details == {"generation": generation, "count": 2}


def test_the_portal_edit_moves_live_subscriptions(login, alice, company, subs):
    response = login(alice).post(reverse("companies:edit"), _form(company, street="Nyvej 1"))
    assert response.status_code == 302
    _assert_moved(company, subs)


def test_the_customer_api_moves_them(api, alice, company, subs):
    response = api(alice).patch("/api/v1/company", {"name": "ACME Logistics ApS"}, format="json")
    assert response.status_code == 200 and response.json()["contract_generation"] == 2
    _assert_moved(company, subs)


def test_a_change_of_contacts_only_keeps_the_generation(api, alice, company, subs):
    api(alice).patch("/api/v1/company", {"phone": "+4586999999"}, format="json")
    company.refresh_from_db()
    assert company.contract_generation == 1
    assert _generations(*subs[0]) == [1, 1]
    assert not AuditEvent.objects.filter(action="subscriptions.moved_to_generation").exists()


def test_the_retail_page_moves_them_within_a_support_session(login, sam, alice, company, subs):
    _support(sam, company, alice)
    client = login(sam.user)
    url = reverse("retail:support_company_edit", args=[company.pro_id])
    assert "contract generation" in client.get(url).content.decode()
    response = client.post(url, _form(company, city="Aarhus N", postal_code="8200"))
    assert response.status_code == 302
    _assert_moved(company, subs)
    event = AuditEvent.objects.get(company=company, action="company.new_contract_generation")
    assert event.dealer == sam.dealer and event.acting_under.startswith("support session")


def test_the_retail_page_refuses_a_bad_edit_and_saves_nothing(login, sam, alice, company, subs):
    _support(sam, company, alice)
    url = reverse("retail:support_company_edit", args=[company.pro_id])
    response = login(sam.user).post(url, _form(company, name="Renamed ApS", postal_code="ABC"))
    assert response.status_code == 200 and response.context["form"].errors
    company.refresh_from_db()
    assert company.name == "ACME Transport ApS" and company.contract_generation == 1
    assert _generations(*subs[0]) == [1, 1]


def test_the_retail_page_needs_a_support_session(login, sam, company, subs):
    retail_services.attestation_open(staff=sam, company=company, identity_checked=True)
    url = reverse("retail:support_company_edit", args=[company.pro_id])
    response = login(sam.user).post(url, _form(company, name="Renamed ApS"))
    assert response.status_code == 302 and "/support/" in response["Location"]
    company.refresh_from_db()
    assert company.name == "ACME Transport ApS"


def test_the_retail_api_moves_them_and_needs_the_support_session(api, sam, alice, company, subs):
    retail_services.attestation_open(staff=sam, company=company, identity_checked=True)
    url = f"/api/v1/retail/companies/{company.pro_id}"
    refused = api(sam.user).patch(url, {"street": "Nyvej 1"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "support_session_required"
    _support(sam, company, alice)
    assert api(sam.user).patch(url, {"country": "DE"}, format="json").status_code == 400
    response = api(sam.user).patch(url, {"street": "Nyvej 1"}, format="json")
    assert response.status_code == 200 and response.json()["contract_generation"] == 2
    _assert_moved(company, subs)


def test_billing_and_the_contract_document_show_the_generation(login, alice, company, subs):
    client = login(alice)
    client.post(reverse("companies:edit"), _form(company, name="ACME Logistics ApS"))
    billing = client.get(reverse("packs:billing")).content.decode()
    assert "Contract generation 2" in billing and reverse("packs:contract") in billing
    response = client.get(reverse("packs:contract"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["generation"].number == 2
    assert "ACME Logistics ApS" in html and '<dd data-role="generation">2</dd>' in html
    assert [sub.contract_generation for sub in response.context["subscriptions"]] == [2, 2]


def test_the_contract_document_is_the_company_own(login, oscar, fred, company, subs):
    assert subs[2].company.pro_id not in login(oscar).get(reverse("packs:contract")).content.decode()
    assert login(fred).get(reverse("packs:contract")).status_code == 403
