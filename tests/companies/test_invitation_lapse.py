"""Issue 17 item 15 (part): an invitation that expired (or was revoked) no longer holds the person:
they can register their own company or be invited by another one."""

import datetime

import pytest
from django.utils import timezone

from companies.models import AuditEvent, Invitation, Membership
from tests.companies.test_api import COMPANY

pytestmark = pytest.mark.django_db


def invite(api, admin, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(admin).post(
            "/api/v1/company/members",
            {"email": email, "first_name": "Nina", "last_name": "Nielsen", "role": "driver"},
            format="json",
        )
    assert response.status_code == 201, response.content


def test_a_pending_invitation_holds_until_it_expires(
    api, alice, newcomer, django_capture_on_commit_callbacks
):
    invite(api, alice, newcomer.email, django_capture_on_commit_callbacks)
    assert api(newcomer).post("/api/v1/company", COMPANY, format="json").status_code == 409
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = api(newcomer).post("/api/v1/company", COMPANY, format="json")
    assert response.status_code == 201
    assert Membership.objects.get(user=newcomer).role == "admin"
    assert AuditEvent.objects.filter(action="member.invitation_lapsed", target=newcomer.email).exists()


def test_another_company_can_invite_once_the_first_invitation_expired(
    api, alice, oscar, newcomer, django_capture_on_commit_callbacks
):
    invite(api, alice, newcomer.email, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    invite(api, oscar, newcomer.email, django_capture_on_commit_callbacks)
    assert Membership.objects.get(user=newcomer).company == oscar.membership.company


def test_an_invitee_declines_and_is_free(api, client, alice, newcomer, django_capture_on_commit_callbacks):
    """Issue 17 item 15: a pending invitation can be declined with its link."""
    import re

    from django.core import mail

    invite(api, alice, newcomer.email, django_capture_on_commit_callbacks)
    path = re.search(r"/company/invitations/[\w-]+/", mail.outbox[-1].body).group(0)
    client.force_login(newcomer)
    assert "Decline the invitation" in client.get(path).content.decode()
    response = client.post(path, {"decline": "1"})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=newcomer).exists()
    assert AuditEvent.objects.filter(
        action="member.invitation_declined", target=newcomer.email, company=alice.membership.company
    ).exists()
    assert client.get(path).status_code == 410
    assert api(newcomer).post("/api/v1/company", COMPANY, format="json").status_code == 201


def test_a_new_person_declines_without_an_account_left_behind(
    api, client, alice, django_capture_on_commit_callbacks
):
    import re

    from django.core import mail

    from users.models import User

    invite(api, alice, "stranger@example.org", django_capture_on_commit_callbacks)
    path = re.search(r"/company/invitations/[\w-]+/", mail.outbox[-1].body).group(0)
    assert client.post(path, {"decline": "1"}).status_code == 302
    assert not User.objects.filter(email="stranger@example.org").exists()
