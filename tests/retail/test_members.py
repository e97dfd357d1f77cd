"""Verify users: the list marks unverified people; Verify asks for one of three modes."""

import pytest
from django.urls import reverse

from companies.models import AuditEvent
from mpro.errors import DomainError
from retail import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(staff_client, sam, company, attest):
    attest(sam, company)
    return staff_client(sam)


def test_it_lists_the_users_and_marks_the_unverified(client, company, alice, fred, dora):
    fred.verification_status = "verified"
    fred.save()
    response = client.get(reverse("retail:members", args=[company.pro_id]))
    html = response.content.decode()
    assert "Alice Andersen" in html and "Fred Frost" in html and "Dora Dahl" in html
    table = html[html.index("<tbody>") :]
    assert table.count('class="badge badge-bad unverified"') == 2  # alice and dora
    assert "first administrator" in html
    assert "Users (3)" in html


def test_it_lists_users_in_a_fixed_number_of_queries(client, company, alice, django_assert_max_num_queries):
    from tests import factories as f

    for _ in range(20):
        f.MembershipFactory(company=company, role="driver")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("retail:members", args=[company.pro_id]))
    assert len(response.context["memberships"]) == 21


def test_it_shows_a_users_details(client, company, alice):
    alice.mobile = "+4520000000"
    alice.licence_category = "C1"
    alice.save()
    html = client.get(reverse("retail:member", args=[company.pro_id, alice.membership.pk])).content.decode()
    for text in (
        "Alice Andersen",
        "17/05/1985",
        "Company administrator",
        "C1",
        "alice@acme.example",
        "+4530123456",
        "+4520000000",
    ):
        assert text in html, text


@pytest.mark.parametrize("mode", ["id_card", "passport", "personally_known"])
def test_it_verifies_a_user_with_one_of_three_modes(client, sam, company, alice, mode):
    url = reverse("retail:member_verify", args=[company.pro_id, alice.membership.pk])
    assert 'value="passport"' in client.get(url).content.decode()
    response = client.post(url, {"mode": mode})
    assert response["Location"] == reverse("retail:member", args=[company.pro_id, alice.membership.pk])
    alice.refresh_from_db()
    assert (alice.verification_status, alice.verification_mode, alice.verified_by) == (
        "verified",
        mode,
        sam.user,
    )
    event = AuditEvent.objects.get(company=company, action="retail.member_verified")
    assert event.details["mode"] == mode and event.dealer == sam.dealer


@pytest.mark.parametrize("mode", ["", "driving_licence", "x" * 10_000])
def test_it_refuses_unknown_modes(client, company, alice, mode):
    response = client.post(
        reverse("retail:member_verify", args=[company.pro_id, alice.membership.pk]), {"mode": mode}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["mode"]
    alice.refresh_from_db()
    assert alice.verification_status == "unverified"
    with pytest.raises(DomainError):
        services.member_verify(membership=alice.membership, mode=mode, actor=None)


def test_it_verifies_a_user_once(client, company, alice):
    url = reverse("retail:member_verify", args=[company.pro_id, alice.membership.pk])
    client.post(url, {"mode": "passport"})
    client.post(url, {"mode": "id_card"})
    alice.refresh_from_db()
    assert alice.verification_mode == "passport"
    assert AuditEvent.objects.filter(company=company, action="retail.member_verified").count() == 1


def test_it_keeps_the_chosen_mode_when_the_attestation_ran_out_mid_form(
    staff_client, sam, company, alice, attest, expire
):
    client = staff_client(sam)
    expire(attest(sam, company))
    url = reverse("retail:member_verify", args=[company.pro_id, alice.membership.pk])
    response = client.post(url, {"mode": "personally_known"})
    client.post(response["Location"], {"identity_checked": "on", "next": url})
    page = client.get(url)
    assert page.context["form"]["mode"].value() == "personally_known"
    assert 'value="personally_known" required id="id_mode_2" checked' in page.content.decode()
    alice.refresh_from_db()
    assert alice.verification_status == "unverified"
