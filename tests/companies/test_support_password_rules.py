"""Issue 17 item 4: the support password is set without re-authentication only once, by the
company's first administrator at the end of the registration; afterwards only re-authenticated
(the account page behind allauth's re-authentication, the API with the current password)."""

import pytest
from django.urls import reverse

from companies import services
from companies.audit import Actor
from mpro.errors import ForbiddenError

pytestmark = pytest.mark.django_db

STEP = reverse("companies:register_support_password")


def post_step(client, value):
    return client.post(STEP, {"support_password": value, "support_password2": value})


def test_the_first_administrator_sets_it_once_at_registration(login, alice):
    client = login(alice)
    assert client.get(STEP).status_code == 200
    assert post_step(client, "first-secret").status_code == 302
    alice.refresh_from_db()
    assert alice.check_support_password("first-secret")
    # A second time through the registration page: refused, nothing changed.
    response = post_step(client, "second-secret")
    alice.refresh_from_db()
    assert alice.check_support_password("first-secret")
    assert response.status_code == 302 and response["Location"] == reverse("companies:registered")


@pytest.mark.parametrize("member", ["dora", "fred"])
def test_other_members_cannot_set_it_at_the_registration_step(login, request, member, alice):
    person = request.getfixturevalue(member)
    response = post_step(login(person), "member-secret")
    person.refresh_from_db()
    assert not person.has_support_password
    assert response.status_code == 302


def test_a_second_administrator_cannot_set_it_at_the_registration_step(login, company, alice):
    from tests import factories as f

    second = f.UserFactory()
    f.MembershipFactory(user=second, company=company, role="admin")
    post_step(login(second), "second-secret")
    second.refresh_from_db()
    assert not second.has_support_password


def test_the_service_refuses_a_change_without_re_authentication(alice):
    with pytest.raises(ForbiddenError):
        services.support_password_set(user=alice, support_password="sneaky-one", actor=Actor.customer(alice))
    alice.refresh_from_db()
    assert not alice.has_support_password


def test_the_api_needs_the_current_password(api, alice):
    from tests.factories import PASSWORD

    client = api(alice)
    wrong = client.put(
        "/api/v1/me/support-password", {"support_password": "api-secret", "current_password": "x"}
    )
    assert wrong.status_code == 400
    missing = client.put("/api/v1/me/support-password", {"support_password": "api-secret"})
    assert missing.status_code == 400
    ok = client.put(
        "/api/v1/me/support-password", {"support_password": "api-secret", "current_password": PASSWORD}
    )
    assert ok.status_code == 204


def test_guessing_the_current_password_on_the_api_is_locked_out(settings, api, alice):
    from tests.factories import PASSWORD

    settings.LOGIN_LOCK_FAILURES = 3
    client = api(alice)
    for n in range(3):
        body = {"support_password": "api-secret", "current_password": f"guess{n}"}
        assert client.put("/api/v1/me/support-password", body).status_code == 400
    body = {"support_password": "api-secret", "current_password": PASSWORD}
    refused = client.put("/api/v1/me/support-password", body)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    alice.refresh_from_db()
    assert not alice.has_support_password
