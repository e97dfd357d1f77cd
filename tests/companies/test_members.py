import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from companies.models import AuditEvent, Invitation, Membership, TermsAcceptance
from users.models import User


def invitation_path(message) -> str:
    return re.search(r"/company/invitations/[\w-]+/", message.body).group(0)


@pytest.fixture(autouse=True)
def _committing(django_capture_on_commit_callbacks):
    # Invitations are e-mailed once the transaction commits: run those callbacks at once.
    global committing
    committing = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731


def invite(client, **overrides):
    data = {
        "email": "new.driver@acme.example",
        "first_name": "Nils",
        "last_name": "Nygaard",
        "role": "driver",
    }
    with committing():
        return client.post("/company/members/invite/", {**data, **overrides})


def test_it_invites_a_member_who_joins_with_the_link(login, alice, client):
    response = invite(login(alice))
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.driver@acme.example")
    assert membership.invitation_status == "pending" and membership.role == "driver"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.driver@acme.example"]

    path = invitation_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200 and "ACME Transport ApS" in page.content.decode()
    response = client.post(
        path, {"password1": "Van-Driver-77", "password2": "Van-Driver-77", "accept_terms": "on"}
    )
    assert response.status_code == 302 and response.url == "/dashboard/"
    membership.refresh_from_db()
    assert membership.invitation_status == "accepted"
    user = membership.user
    assert user.check_password("Van-Driver-77")
    assert TermsAcceptance.objects.filter(user=user, document="terms_of_use").exists()
    assert user.emailaddress_set.get().verified
    assert AuditEvent.objects.filter(action="member.joined", target=user.email).exists()

    # The link is single use.
    client.logout()
    assert client.get(path).status_code == 410


def test_it_refuses_an_expired_invitation(login, alice, client):
    invite(login(alice))
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(invitation_path(mail.outbox[0]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_it_resends_and_the_old_link_stops_working(login, alice, client):
    admin = login(alice)
    invite(admin)
    membership = Membership.objects.get(user__email="new.driver@acme.example")
    with committing():
        admin.post(f"/company/members/{membership.pk}/resend/")
    assert len(mail.outbox) == 2
    assert client.get(invitation_path(mail.outbox[0])).status_code == 410
    assert client.get(invitation_path(mail.outbox[1])).status_code == 200


def test_it_revokes_an_invitation(login, alice, client):
    admin = login(alice)
    invite(admin)
    membership = Membership.objects.get(user__email="new.driver@acme.example")
    admin.post(f"/company/members/{membership.pk}/revoke/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not User.objects.filter(email="new.driver@acme.example").exists()
    assert client.get(invitation_path(mail.outbox[0])).status_code == 410


def test_it_refuses_inviting_oneself_as_driver(login, alice):
    response = invite(login(alice), email="alice@acme.example")
    assert response.status_code == 200
    assert "second e-mail address" in response.content.decode()
    assert Membership.objects.filter(user=alice).get().role == "admin"
    assert not mail.outbox


def test_it_changes_a_role(login, alice, fred):
    membership = fred.membership
    login(alice).post(f"/company/members/{membership.pk}/role/", {"role": "admin"})
    membership.refresh_from_db()
    assert membership.role == "admin"
    assert AuditEvent.objects.filter(action="member.role_changed", details__to="admin").exists()


def test_it_never_removes_the_last_administrator(login, alice, fred):
    admin = login(alice)
    response = admin.post(f"/company/members/{alice.membership.pk}/remove/", follow=True)
    assert "cannot be removed" in response.content.decode()
    assert Membership.objects.filter(user=alice).exists()
    response = admin.post(f"/company/members/{alice.membership.pk}/role/", {"role": "driver"}, follow=True)
    assert Membership.objects.get(user=alice).role == "admin"


def test_it_removes_a_member(login, alice, fred):
    login(alice).post(f"/company/members/{fred.membership.pk}/remove/")
    assert not Membership.objects.filter(user=fred).exists()
    assert AuditEvent.objects.filter(action="member.removed", target=fred.email).exists()


def test_it_lists_members_with_their_status(login, alice, fred, dora):
    page = login(alice).get("/company/members/").content.decode()
    for person in (alice, fred, dora):
        assert person.email in page
    assert "Fleet manager" in page


def test_it_checks_the_role_on_member_pages(login, dora, alice):
    client = login(dora)
    assert client.get("/company/members/").status_code == 403
    before = Membership.objects.count()
    assert invite(client).status_code == 403
    assert Membership.objects.count() == before and not mail.outbox


def test_it_checks_ownership_of_members(login, alice, oscar):
    client = login(alice)
    target = oscar.membership
    for action in ("remove", "resend", "revoke"):
        assert client.post(f"/company/members/{target.pk}/{action}/").status_code == 404
    assert client.post(f"/company/members/{target.pk}/role/", {"role": "driver"}).status_code == 404
    target.refresh_from_db()
    assert target.role == "admin"


def test_it_ends_the_driver_assignment_of_a_removed_member(login, alice, dora, company):
    from companies.audit import Actor
    from tests.factories import VehicleFactory
    from vehicles.services import driver_assign

    vehicle = VehicleFactory(company=company)
    driver_assign(vehicle=vehicle, driver=dora, actor=Actor.customer(alice))
    login(alice).post(f"/company/members/{dora.membership.pk}/remove/")
    vehicle.refresh_from_db()
    assert vehicle.driver is None
    assert vehicle.assignments.get().ended_at is not None


def test_it_ends_the_driver_assignment_when_the_role_changes(login, alice, dora, company):
    from companies.audit import Actor
    from tests.factories import VehicleFactory
    from vehicles.services import driver_assign

    vehicle = VehicleFactory(company=company)
    driver_assign(vehicle=vehicle, driver=dora, actor=Actor.customer(alice))
    login(alice).post(f"/company/members/{dora.membership.pk}/role/", {"role": "fleet_manager"})
    vehicle.refresh_from_db()
    assert vehicle.driver is None


def test_it_requires_the_support_password_of_a_first_administrator_registered_by_a_dealer(client, sam):
    from companies import services
    from companies.audit import Actor
    from mpro.errors import FieldErrors

    actor = Actor.dealer_staff(user=sam.user, dealer=sam.dealer, acting_under="registration")
    with committing():
        company = services.company_register_for_customer(
            admin={
                "email": "owner@kurer.example",
                "first_name": "Ole",
                "last_name": "Kurer",
                "birth_date": "1980-01-02",
                "phone": "+4520304050",
            },
            company={
                "name": "Kurer ApS",
                "manager_name": "Ole Kurer",
                "street": "Vej 1",
                "postal_code": "8000",
                "city": "Aarhus",
                "country": "DK",
                "email": "k@kurer.example",
                "phone": "+4586123456",
            },
            actor=actor,
        )
    token = invitation_path(mail.outbox[-1]).rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(FieldErrors) as error:
        services.invitation_accept(
            token=token, password="Kurer-Pass-2026", accept_terms=True, accept_pack_terms=True
        )
    assert "support_password" in error.value.errors
    membership = Membership.objects.get(company=company)
    assert membership.invitation_status == "pending"  # nothing claimed, the link still works
    assert client.get(invitation_path(mail.outbox[-1])).status_code == 200

    services.invitation_accept(
        token=token,
        password="Kurer-Pass-2026",
        accept_terms=True,
        accept_pack_terms=True,
        support_password="kurer-help-1",
    )
    membership.refresh_from_db()
    assert membership.invitation_status == "accepted"
    assert membership.user.check_support_password("kurer-help-1")
