"""Who may open which Retail page: walks every URL pattern of retail/urls.py.

Anonymous visitors go to the Retail login; customers get 404 everywhere; company pages need this
staff member's own attestation; acting for the customer needs their own support session."""

import re

import pytest
from django.urls import reverse

from companies.models import AuditEvent, Company
from retail import urls as retail_urls
from retail.models import Attestation, SupportSession
from tests import factories as f

pytestmark = pytest.mark.django_db

# Every URL name of the Retail site, by what it needs.
PUBLIC = {"login", "logout"}
STAFF = {
    "dashboard",
    "knowledge",
    "search",
    "vin_search",
    "register",
    "register_company",
    "register_done",
    "company_leave",
}
ATTEST = {"attest"}
COMPANY = {
    "company",
    "company_details",
    "company_verify",
    "company_reject",
    "members",
    "member",
    "member_verify",
    "vehicles",
    "vehicle_transfer",
    "vehicles_verify",
    "vehicle",
    "vehicle_verify",
    "vehicle_reject",
    "support",
}
# The outlet's service-due queue (maintenance): staff only, scoped to the outlet's own vans
# (tests/maintenance/test_pages.py walks another outlet and customers through it).
QUEUE = {"service_due", "service_due_vehicle", "service_due_propose", "service_due_record"}
SUPPORT = {"support_end", "support_vehicle_add", "support_vin_check", "support_order", "support_company_edit"}


def _url(name, company, membership, vin):
    kwargs = {}
    pattern = next(p for p in retail_urls.urlpatterns if p.name == name)
    route = str(pattern.pattern)
    values = {"pro_id": company.pro_id, "member_id": membership.pk, "vin": vin}
    for argument in re.findall(r"<(?:\w+:)?(\w+)>", route):
        kwargs[argument] = values[argument]
    return reverse(f"retail:{name}", kwargs=kwargs)


@pytest.fixture
def urls(company, alice, van):
    membership = alice.membership
    return {
        name: _url(name, company, membership, van.vin)
        for name in PUBLIC | STAFF | ATTEST | COMPANY | SUPPORT | QUEUE
    }


def test_it_classifies_every_retail_url():
    names = {pattern.name for pattern in retail_urls.urlpatterns}
    assert names == PUBLIC | STAFF | ATTEST | COMPANY | SUPPORT | QUEUE


def test_it_sends_anonymous_visitors_to_the_retail_login(client, urls):
    for name, url in urls.items():
        if name in PUBLIC:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("retail:login") + "?next="), name
    assert client.get(urls["login"]).status_code == 200


def test_it_gives_customers_404_on_every_retail_url(login, alice, fred, urls):
    events = AuditEvent.objects.count()
    for user in (alice, fred):
        client = login(user)
        for name, url in urls.items():
            assert client.get(url).status_code == 404, (user, name)
            assert (
                client.post(url, {"reason": "x", "mode": "passport", "identity_checked": "on"}).status_code
                == 404
            )
    assert AuditEvent.objects.count() == events
    assert not Attestation.objects.exists()


def test_it_gives_staff_no_customer_pages(staff_client, sam):
    client = staff_client(sam)
    for url in ("/dashboard/", "/vehicles/", "/company/", "/company/members/", "/products/"):
        assert client.get(url).status_code == 404, url


def test_it_asks_staff_without_attestation_to_confirm_identity_first(staff_client, sam, company, urls):
    client = staff_client(sam)
    before = Company.objects.values().get(pk=company.pk)
    for name in COMPANY | SUPPORT:
        for method in ("get", "post"):
            response = getattr(client, method)(urls[name], {"reason": "Wrong address", "mode": "passport"})
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("retail:attest", args=[company.pro_id])), name
    assert Company.objects.values().get(pk=company.pk) == before
    assert not AuditEvent.objects.filter(company=company).exists()


def test_it_opens_staff_pages_and_the_attestation_page_without_one(staff_client, sam, company, urls):
    client = staff_client(sam)
    for name in ("dashboard", "knowledge", "search", "register", "attest"):
        assert client.get(urls[name]).status_code == 200, name


def test_it_opens_company_pages_with_an_attestation(staff_client, sam, company, attest, urls):
    attest(sam, company)
    client = staff_client(sam)
    for name in COMPANY - {"vehicles_verify"}:
        assert client.get(urls[name]).status_code == 200, name
    # A form without a page of its own (the list's bulk verification): back to the list.
    assert client.get(urls["vehicles_verify"])["Location"] == reverse(
        "retail:vehicles", args=[company.pro_id]
    )


def test_it_asks_for_a_support_session_to_act_for_the_customer(staff_client, sam, company, attest, urls):
    attest(sam, company)
    client = staff_client(sam)
    for name in SUPPORT:
        for method in ("get", "post"):
            response = getattr(client, method)(urls[name], {"vin": "W1V9076331P300099"})
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("retail:support", args=[company.pro_id])), name
    assert not SupportSession.objects.exists()
    assert company.vehicles.count() == 1


def test_it_binds_windows_to_the_staff_member_who_opened_them(
    staff_client, sam, sid, company, open_support, urls
):
    open_support(sam, company)
    client = staff_client(sid)
    for name in COMPANY | SUPPORT:
        response = client.get(urls[name])
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("retail:attest", args=[company.pro_id]))


def test_it_binds_windows_to_the_company_they_were_opened_for(
    staff_client, sam, company, other_company, oscar, open_support
):
    open_support(sam, company)
    response = staff_client(sam).get(reverse("retail:company", args=[other_company.pro_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("retail:attest", args=[other_company.pro_id]))


def test_it_answers_404_for_unknown_companies_and_other_companies_objects(
    staff_client, sam, company, other_company, oscar, attest
):
    attest(sam, company)
    client = staff_client(sam)
    other_van = f.VehicleFactory(company=other_company)
    assert client.get(reverse("retail:company", args=["PRO-ZZZZZZ"])).status_code == 404
    assert client.get(reverse("retail:attest", args=["PRO-ZZZZZZ"])).status_code == 404
    assert client.get(reverse("retail:company", args=["not-a-pro-id"])).status_code == 404
    assert client.get(reverse("retail:member", args=[company.pro_id, oscar.membership.pk])).status_code == 404
    assert (
        client.post(
            reverse("retail:member_verify", args=[company.pro_id, oscar.membership.pk]), {"mode": "passport"}
        ).status_code
        == 404
    )
    assert client.get(reverse("retail:vehicle", args=[company.pro_id, other_van.vin])).status_code == 404
    assert (
        client.post(reverse("retail:vehicle_verify", args=[company.pro_id, other_van.vin])).status_code == 404
    )
    oscar.refresh_from_db()
    other_van.refresh_from_db()
    assert oscar.verification_status == "unverified"
    assert other_van.verification_status == "unverified"


def test_it_accepts_the_pro_id_in_any_case_in_addresses(staff_client, sam, company, attest):
    attest(sam, company)
    response = staff_client(sam).get(f"/retail/companies/{company.pro_id.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == reverse("retail:company", args=[company.pro_id])


def test_it_shows_the_registration_result_only_to_the_staff_member_who_registered(
    staff_client, sam, sid, company
):
    from retail.models import RetailRegistration

    RetailRegistration.objects.create(company=company, staff=sam, dealer=sam.dealer)
    url = reverse("retail:register_done", args=[company.pro_id])
    assert staff_client(sam).get(url).status_code == 200
    assert staff_client(sid).get(url).status_code == 404
