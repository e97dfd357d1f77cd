"""A fleet manager invites and removes drivers, and only drivers (issue 11, "Also"): one rule
(companies.permissions.MANAGED_ROLES, checked in companies.services) behind the page and the API."""

import pytest
from django.core import mail

from companies.models import AuditEvent, Membership, Role
from tests import factories as f

NEW_DRIVER = {"email": "new.driver@acme.example", "first_name": "Nils", "last_name": "Nygaard"}


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def second_fm(company):
    user = f.UserFactory(email="fiona@acme.example", first_name="Fiona", last_name="Fjord")
    f.MembershipFactory(user=user, company=company, role=Role.FLEET_MANAGER)
    return user


# --- the page ---------------------------------------------------------------------------------
def test_it_lets_a_fleet_manager_invite_a_driver_on_the_page(login, fred, alice, committing):
    client = login(fred)
    page = client.get("/company/members/invite/").content.decode()
    assert 'value="driver"' in page and 'value="admin"' not in page and 'value="fleet_manager"' not in page
    with committing():
        response = client.post("/company/members/invite/", {**NEW_DRIVER, "role": "driver"})
    assert response.status_code == 302
    assert Membership.objects.get(user__email=NEW_DRIVER["email"]).role == "driver"
    assert mail.outbox[0].to == [NEW_DRIVER["email"]]
    assert AuditEvent.objects.get(action="member.invited").actor == fred


@pytest.mark.parametrize("role", ["admin", "fleet_manager"])
def test_it_refuses_a_fleet_manager_inviting_other_roles_on_the_page(login, fred, alice, role, committing):
    before = Membership.objects.count()
    with committing():
        response = login(fred).post("/company/members/invite/", {**NEW_DRIVER, "role": role})
    assert response.status_code == 200 and "role" in response.context["form"].errors
    assert Membership.objects.count() == before and not mail.outbox


def test_it_lets_a_fleet_manager_remove_a_driver_but_not_a_manager_on_the_page(
    login, fred, dora, alice, second_fm
):
    client = login(fred)
    page = client.get("/company/members/").content.decode()
    assert f"/company/members/{dora.membership.pk}/remove/" in page
    assert f"/company/members/{second_fm.membership.pk}/remove/" not in page
    assert f"/company/members/{alice.membership.pk}/role/" not in page  # no role changes for him

    client.post(f"/company/members/{second_fm.membership.pk}/remove/")
    client.post(f"/company/members/{alice.membership.pk}/remove/")
    client.post(f"/company/members/{dora.membership.pk}/role/", {"role": "fleet_manager"})
    assert Membership.objects.filter(user__in=[second_fm, alice]).count() == 2
    dora.membership.refresh_from_db()
    assert dora.membership.role == "driver"
    assert not AuditEvent.objects.filter(action__in=["member.removed", "member.role_changed"]).exists()

    client.post(f"/company/members/{dora.membership.pk}/remove/")
    assert not Membership.objects.filter(user=dora).exists()
    assert AuditEvent.objects.get(action="member.removed").target == dora.email


def test_it_lets_a_fleet_manager_revoke_a_drivers_invitation_only(login, fred, company, committing):
    driver = f.MembershipFactory(company=company, role=Role.DRIVER, invitation_status="pending")
    manager = f.MembershipFactory(company=company, role=Role.FLEET_MANAGER, invitation_status="pending")
    client = login(fred)
    client.post(f"/company/members/{manager.pk}/revoke/")
    assert Membership.objects.filter(pk=manager.pk).exists()
    client.post(f"/company/members/{driver.pk}/revoke/")
    assert not Membership.objects.filter(pk=driver.pk).exists()


# --- the API ----------------------------------------------------------------------------------
def test_it_lets_a_fleet_manager_invite_and_remove_a_driver_in_the_api(api, fred, dora, committing):
    client = api(fred)
    assert client.get("/api/v1/company/members").status_code == 200
    with committing():
        response = client.post("/api/v1/company/members", {**NEW_DRIVER, "role": "driver"}, format="json")
    assert response.status_code == 201 and response.json()["role"] == "driver"
    assert client.delete(f"/api/v1/company/members/{dora.membership.pk}").status_code == 204
    assert not Membership.objects.filter(user=dora).exists()


@pytest.mark.parametrize("role", ["admin", "fleet_manager"])
def test_it_refuses_a_fleet_manager_other_roles_in_the_api(api, fred, alice, second_fm, role, committing):
    client = api(fred)
    before = Membership.objects.count()
    with committing():
        response = client.post("/api/v1/company/members", {**NEW_DRIVER, "role": role}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "role_not_managed"
    assert client.delete(f"/api/v1/company/members/{second_fm.membership.pk}").status_code == 403
    assert client.delete(f"/api/v1/company/members/{alice.membership.pk}").status_code == 403
    assert Membership.objects.count() == before and not mail.outbox


def test_it_refuses_a_fleet_manager_promoting_a_driver_in_the_api(api, fred, dora):
    response = api(fred).patch(
        f"/api/v1/company/members/{dora.membership.pk}", {"role": "fleet_manager"}, format="json"
    )
    assert response.status_code == 403
    dora.membership.refresh_from_db()
    assert dora.membership.role == "driver"


def test_it_refuses_a_fleet_manager_promoting_himself(api, fred):
    response = api(fred).patch(
        f"/api/v1/company/members/{fred.membership.pk}", {"role": "admin"}, format="json"
    )
    assert response.status_code == 403
    fred.membership.refresh_from_db()
    assert fred.membership.role == "fleet_manager"


def test_it_still_lets_an_administrator_manage_every_role(api, alice, fred):
    response = api(alice).patch(
        f"/api/v1/company/members/{fred.membership.pk}", {"role": "admin"}, format="json"
    )
    assert response.status_code == 200 and response.json()["role"] == "admin"


def test_it_answers_404_for_another_companys_member(api, fred, oscar):
    assert api(fred).delete(f"/api/v1/company/members/{oscar.membership.pk}").status_code == 404
    assert Membership.objects.filter(user=oscar).exists()
