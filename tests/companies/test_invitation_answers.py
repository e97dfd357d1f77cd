"""Inviting an address answers the same whoever it belongs to (issue 17, item 15): a fresh
address, a member of another company and dealer staff get the same status, body shape, page
message, list row and e-mail; the person learns at acceptance why their account cannot join."""

import re

import pytest
from django.core import mail

from companies.models import AuditEvent, Membership
from users.models import User

NAMES = {"first_name": "Nils", "last_name": "Nygaard", "role": "fleet_manager"}
FRESH = "new.person@acme.example"


@pytest.fixture
def addresses(oscar, sam):
    """Each kind of address, by what it is."""
    return {"fresh": FRESH, "other company": oscar.email, "dealer staff": sam.user.email}


def _link(email: str) -> str:
    message = next(m for m in mail.outbox if m.to == [email])
    return re.search(r"/company/invitations/[\w-]+/", message.body).group(0)


def _invite_on_the_page(client, email, capture):
    with capture(execute=True):
        return client.post("/company/members/invite/", {"email": email, **NAMES}, follow=True)


def test_the_page_answers_alike_for_every_address(
    login, alice, addresses, django_capture_on_commit_callbacks
):
    admin = login(alice)
    seen = {}
    for kind, email in addresses.items():
        response = _invite_on_the_page(admin, email, django_capture_on_commit_callbacks)
        page = response.content.decode()
        messages = [str(m) for m in response.context["messages"]]
        seen[kind] = (
            response.status_code,
            response.redirect_chain,
            [m.replace(email, "<email>") for m in messages],
        )
        assert f"The invitation was sent to {email}." in messages, kind
        assert "cannot be invited" not in page
        assert len([m for m in mail.outbox if m.to == [email]]) == 1, kind
        assert AuditEvent.objects.filter(action="member.invited", target=email).exists()
    assert seen["fresh"] == seen["other company"] == seen["dealer staff"]

    # The member list shows each as an invitation sent, with the names the administrator typed.
    listing = admin.get("/company/members/").content.decode()
    for email in addresses.values():
        row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(email)}(?:(?!</tr>).)*</tr>", listing, re.S).group(0)
        assert "Nils Nygaard" in row and "Invitation sent" in row and "Send again" in row, email

    # Inviting again answers "already invited" alike too.
    for email in addresses.values():
        response = _invite_on_the_page(admin, email, django_capture_on_commit_callbacks)
        assert "has been invited already" in response.content.decode(), email


def test_the_api_answers_alike_for_every_address(
    api, alice, oscar, addresses, django_capture_on_commit_callbacks
):
    client = api(alice)
    bodies = {}
    for kind, email in addresses.items():
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/company/members", {"email": email, **NAMES}, format="json")
        assert response.status_code == 201, (kind, response.content)
        body = response.json()
        assert body["email"] == email
        bodies[kind] = {k: v for k, v in body.items() if k not in ("id", "email", "created_at")}
    assert bodies["fresh"] == bodies["other company"] == bodies["dealer staff"]
    assert bodies["fresh"]["invitation_status"] == "pending"
    assert bodies["fresh"]["first_name"] == "Nils"
    listed = {m["email"]: m for m in client.get("/api/v1/company/members").json()["results"]}
    assert set(addresses.values()) <= set(listed)
    # Nothing changed for the people themselves.
    assert Membership.objects.get(user=oscar).company.name == "Other Co"


def test_the_invitation_can_be_revoked_alike(login, alice, oscar, django_capture_on_commit_callbacks):
    admin = login(alice)
    _invite_on_the_page(admin, oscar.email, django_capture_on_commit_callbacks)
    row = Membership.with_invitees.get(invitee_email=oscar.email)
    response = admin.post(f"/company/members/{row.pk}/revoke/", follow=True)
    assert f"The invitation of {oscar.email} was revoked." in response.content.decode()
    assert not Membership.with_invitees.filter(pk=row.pk).exists()
    assert User.objects.filter(pk=oscar.pk).exists() and oscar.membership.company.name == "Other Co"


def test_another_companys_member_is_told_at_acceptance(
    login, alice, oscar, client, django_capture_on_commit_callbacks
):
    _invite_on_the_page(login(alice), oscar.email, django_capture_on_commit_callbacks)
    link = _link(oscar.email)
    invitee = login(oscar)
    assert invitee.get(link).status_code == 200
    response = invitee.post(link, {"accept_terms": "on"})
    assert "You already belong to a company" in response.content.decode()
    oscar.refresh_from_db()
    assert oscar.membership.company.name == "Other Co"
    assert Membership.with_invitees.get(invitee_email=oscar.email).invitation_status == "pending"

    # Declining frees the inviting company's row and leaves the account as it is.
    invitee.post(link, {"decline": "1"})
    assert not Membership.with_invitees.filter(invitee_email=oscar.email).exists()
    assert User.objects.filter(pk=oscar.pk).exists()
    assert AuditEvent.objects.filter(action="member.invitation_declined", target=oscar.email).exists()


def test_a_person_who_left_their_company_can_accept(
    login, alice, oscar, company, django_capture_on_commit_callbacks
):
    _invite_on_the_page(login(alice), oscar.email, django_capture_on_commit_callbacks)
    link = _link(oscar.email)
    Membership.objects.filter(user=oscar).delete()
    response = login(oscar).post(link, {"accept_terms": "on"})
    assert response.status_code == 302
    joined = Membership.objects.get(user=oscar)
    assert (
        joined.company == company
        and joined.invitation_status == "accepted"
        and joined.role == "fleet_manager"
    )
    assert joined.invitee_email == ""


def test_dealer_staff_are_told_at_acceptance(login, alice, sam, django_capture_on_commit_callbacks):
    _invite_on_the_page(login(alice), sam.user.email, django_capture_on_commit_callbacks)
    response = login(sam.user).post(_link(sam.user.email), {"accept_terms": "on"})
    assert "A dealer staff account cannot join a company" in response.content.decode()
    assert not Membership.objects.filter(user=sam.user).exists()


def test_the_rows_without_a_user_stay_in_the_inviting_companys_pages(
    login, alice, oscar, sam, django_capture_on_commit_callbacks
):
    _invite_on_the_page(login(alice), oscar.email, django_capture_on_commit_callbacks)
    # Everywhere else (dealer pages, drivers, notices) counts people only.
    assert not Membership.objects.filter(invitee_email=oscar.email).exists()
    assert Membership.with_invitees.filter(invitee_email=oscar.email, user=None).exists()


def test_the_role_of_an_invitation_changes_alike(login, alice, oscar, django_capture_on_commit_callbacks):
    admin = login(alice)
    for email in (FRESH, oscar.email):
        _invite_on_the_page(admin, email, django_capture_on_commit_callbacks)
        row = Membership.with_invitees.filter(invitation_status="pending").order_by("-pk").first()
        response = admin.post(f"/company/members/{row.pk}/role/", {"role": "driver"}, follow=True)
        assert f"The role of {email} was changed." in response.content.decode()
        row.refresh_from_db()
        assert row.role == "driver"
