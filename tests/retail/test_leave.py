""" "Leave this company": ends the staff member's attestation and support session on it at once."""

import pytest
from django.urls import reverse

from companies.models import AuditEvent
from retail.models import Attestation, SupportSession

pytestmark = pytest.mark.django_db

API = "/api/v1/retail/companies/{}/leave"


def _open(staff, company):
    return (
        Attestation.objects.open_for(staff=staff, company=company).count(),
        SupportSession.objects.open_for(staff=staff, company=company).count(),
    )


def test_the_page_button_ends_attestation_and_support_session(staff_client, sam, company, open_support):
    session = open_support(sam, company)
    client = staff_client(sam)
    profile = client.get(reverse("retail:company", args=[company.pro_id]))
    leave_url = reverse("retail:company_leave", args=[company.pro_id])
    assert leave_url in profile.content.decode() and "Leave this company" in profile.content.decode()
    response = client.post(leave_url)
    assert response.status_code == 302 and response["Location"] == reverse("retail:search")
    assert _open(sam, company) == (0, 0)
    event = AuditEvent.objects.get(company=company, action="retail.company_left")
    assert event.dealer == sam.dealer
    assert session.label in event.details["ended"]
    # The company's pages need the identity confirmation again, and acting needs the password again.
    again = client.get(reverse("retail:company", args=[company.pro_id]))
    assert again.status_code == 302 and reverse("retail:attest", args=[company.pro_id]) in again["Location"]


def test_it_leaves_other_staff_and_other_companies_alone(
    staff_client, sam, sid, company, other_company, attest, open_support
):
    open_support(sam, company)
    attest(sam, other_company)
    attest(sid, company)
    staff_client(sam).post(reverse("retail:company_leave", args=[company.pro_id]))
    assert _open(sam, company) == (0, 0)
    assert _open(sam, other_company) == (1, 0)
    assert _open(sid, company) == (1, 0)


def test_leaving_twice_or_with_nothing_open_changes_nothing(staff_client, sam, company, attest):
    attest(sam, company)
    client = staff_client(sam)
    client.post(reverse("retail:company_leave", args=[company.pro_id]))
    assert client.post(reverse("retail:company_leave", args=[company.pro_id])).status_code == 302
    assert AuditEvent.objects.filter(action="retail.company_left").count() == 1


def test_the_page_needs_a_post_and_dealer_staff(staff_client, login, client, sam, alice, company, attest):
    attest(sam, company)
    url = reverse("retail:company_leave", args=[company.pro_id])
    assert staff_client(sam).get(url).status_code == 405
    assert login(alice).post(url).status_code == 404
    assert client.post(url).status_code == 302
    assert staff_client(sam).post(reverse("retail:company_leave", args=["PRO-ZZZZZZ"])).status_code == 404
    assert _open(sam, company) == (1, 0)


def test_the_api_ends_both_windows(api, sam, company, open_support):
    open_support(sam, company)
    response = api(sam.user).post(API.format(company.pro_id.lower()))
    assert response.status_code == 204
    assert _open(sam, company) == (0, 0)
    assert AuditEvent.objects.filter(company=company, action="retail.company_left").count() == 1
    # The API's company endpoints now refuse until a new attestation.
    detail = api(sam.user).get(f"/api/v1/retail/companies/{company.pro_id}")
    assert detail.status_code == 403 and detail.json()["code"] == "attestation_required"


def test_the_api_refuses_customers_and_unknown_companies(api, sam, alice, company, attest):
    attest(sam, company)
    assert api(alice).post(API.format(company.pro_id)).status_code == 404
    assert api(sam.user).post(API.format("PRO-ZZZZZZ")).status_code == 404
    assert _open(sam, company) == (1, 0)
