import datetime

import pytest
from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from companies.models import AuditEvent
from tests.factories import PASSWORD
from users.models import ApiToken


def test_it_creates_a_token_shown_once_and_stored_hashed(anon_api, alice):
    response = anon_api.post(
        "/api/v1/auth/tokens",
        {"email": "ALICE@acme.example", "password": PASSWORD, "name": "fleet script"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "token", "created"}
    secret = body["token"]
    stored = ApiToken.objects.get(pk=body["id"])
    assert secret not in stored.key_hash and len(stored.key_hash) == 64

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == "alice@acme.example"
    listed = client.get("/api/v1/auth/tokens/").json()
    assert listed[0]["name"] == "fleet script" and "token" not in listed[0]


def test_it_refuses_wrong_credentials_with_400(anon_api, alice):
    response = anon_api.post(
        "/api/v1/auth/tokens", {"email": "alice@acme.example", "password": "nope", "name": "x"}
    )
    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert not ApiToken.objects.exists()


def test_it_refuses_an_unconfirmed_email(anon_api, alice):
    EmailAddress.objects.filter(user=alice).update(verified=False)
    response = anon_api.post(
        "/api/v1/auth/tokens", {"email": "alice@acme.example", "password": PASSWORD, "name": "x"}
    )
    assert response.status_code == 400 and "Confirm your e-mail" in str(response.json())


def test_it_revokes_a_token(anon_api, alice):
    body = anon_api.post(
        "/api/v1/auth/tokens", {"email": "alice@acme.example", "password": PASSWORD, "name": "x"}
    ).json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.delete(f"/api/v1/auth/tokens/{body['id']}").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_it_keeps_other_peoples_tokens_private(api, alice, oscar):
    token, _secret = ApiToken.issue(user=oscar, name="oscar's")
    assert api(alice).delete(f"/api/v1/auth/tokens/{token.pk}").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_it_answers_401_without_credentials(anon_api):
    response = anon_api.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")


def test_it_shows_me_with_company_and_verification(api, alice, company):
    body = api(alice).get("/api/v1/me").json()
    assert body["company"] == {"pro_id": "PRO-ACMEXX", "name": "ACME Transport ApS", "role": "admin"}
    assert body["verification"] == {
        "status": "unverified",
        "mode": "",
        "verified_at": None,
        "grace_until": None,
    }
    assert "support_password" not in body


def test_it_shows_me_without_company(api, newcomer):
    assert api(newcomer).get("/api/v1/me").json()["company"] is None


def test_it_updates_me(api, alice):
    response = api(alice).patch("/api/v1/me", {"mobile": "20 30 40 50", "language": "da"}, format="json")
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.mobile == "+4520304050"  # read in the company's country (DK)
    assert alice.language == "da"


def test_it_answers_field_errors_in_the_callers_language(api, alice):
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = api(alice).patch(
        "/api/v1/me", {"birth_date": future}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {"birth_date": ["The date of birth cannot be in the future."]}
    alice.refresh_from_db()
    assert alice.birth_date == datetime.date(1985, 5, 17)


def test_it_sets_the_support_password_without_ever_returning_it(api, alice):
    client = api(alice)
    response = client.put(
        "/api/v1/me/support-password",
        {"support_password": "van-help-99", "current_password": PASSWORD},
        format="json",
    )
    assert response.status_code == 204
    alice.refresh_from_db()
    assert alice.check_support_password("van-help-99")
    assert "van-help-99" not in client.get("/api/v1/me").content.decode()
    assert AuditEvent.objects.filter(action="user.support_password_set", actor=alice).exists()


def test_it_refuses_a_support_password_without_the_current_password(api, alice):
    response = api(alice).put(
        "/api/v1/me/support-password",
        {"support_password": "van-help-99", "current_password": "wrong"},
        format="json",
    )
    assert response.status_code == 400 and "current_password" in response.json()
    alice.refresh_from_db()
    assert not alice.has_support_password


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/me/support-password"])
def test_it_answers_404_to_dealer_staff_on_customer_endpoints(api, sam, path):
    # Permissions run before the method is looked up: staff get 404 whatever the method.
    assert api(sam.user).get(path).status_code == 404
    assert api(sam.user).put(path, {}).status_code == 404
