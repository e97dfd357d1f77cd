"""Dealer login with a dealer ID (D5) and password, on a layout of its own."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/retail/login/"


def test_it_shows_a_login_of_its_own_that_says_it_is_the_dealer_site(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="d5_id"' in html and 'name="password"' in html
    assert "Retail · dealer site" in html
    assert 'class="retail"' in html
    assert "css/retail.css" in html


def test_it_logs_staff_in_with_their_dealer_id_in_any_case(client, sam):
    response = client.post(LOGIN, {"d5_id": " d5sam001 ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("retail:dashboard")
    page = client.get(reverse("retail:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Glostrup Van Centre" in html and "DK00001" in html  # the outlet, in the top bar
    assert "Select a company" in html and "Register a company" in html and "Knowledge bank" in html


def test_it_goes_back_to_the_page_asked_for(client, sam):
    response = client.get(reverse("retail:knowledge"))
    assert response["Location"] == f"{LOGIN}?next=/retail/knowledge/"
    response = client.post(LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD, "next": "/retail/knowledge/"})
    assert response["Location"] == "/retail/knowledge/"


def test_it_never_sends_to_another_site_after_login(client, sam):
    response = client.post(
        LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("retail:dashboard")


@pytest.mark.parametrize(
    "d5_id, password",
    [("D5SAM001", "wrong"), ("D5NOBODY", PASSWORD), ("", PASSWORD), ("x" * 10_000, PASSWORD)],
)
def test_it_refuses_wrong_credentials_with_a_clear_message(client, sam, d5_id, password):
    response = client.post(LOGIN, {"d5_id": d5_id, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_it_does_not_let_customers_log_in_with_their_e_mail(client, alice):
    response = client.post(LOGIN, {"d5_id": alice.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_it_locks_a_dealer_id_after_repeated_failures(client, sam):
    for _ in range(10):
        client.post(LOGIN, {"d5_id": "D5SAM001", "password": "wrong"})
    response = client.post(LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_refuses_inactive_staff(client, sam):
    sam.user.is_active = False
    sam.user.save()
    client.post(LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_it_logs_staff_out(staff_client, sam):
    client = staff_client(sam)
    response = client.post(reverse("retail:logout"))
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_it_sends_staff_who_use_the_portal_login_to_the_retail_dashboard(client, sam):
    response = client.post(reverse("account_login"), {"login": sam.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("retail:dashboard")


def test_it_locks_a_dealer_id_guessed_from_many_addresses(client, sam):
    for n in range(50):
        client.post(LOGIN, {"d5_id": "D5SAM001", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}")
    response = client.post(LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD}, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_locks_the_token_endpoint_after_failures_on_the_login_page(client, anon_api, sam):
    from users.models import ApiToken

    for _ in range(10):
        client.post(LOGIN, {"d5_id": "D5SAM001", "password": "wrong"})
    response = anon_api.post(
        "/api/v1/retail/auth/tokens", {"d5_id": "d5sam001", "password": PASSWORD, "name": "desk"}
    )
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"
    assert int(response["Retry-After"]) > 0
    assert not ApiToken.objects.exists()


def test_it_counts_token_endpoint_failures_towards_the_login_lock(client, anon_api, sam):
    for _ in range(10):
        response = anon_api.post(
            "/api/v1/retail/auth/tokens", {"d5_id": "D5SAM001", "password": "wrong", "name": "desk"}
        )
        assert response.status_code == 400
    response = client.post(LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_forgets_failures_after_a_successful_login(client, sam):
    for _ in range(9):
        client.post(LOGIN, {"d5_id": "D5SAM001", "password": "wrong"})
    assert client.post(LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD}).status_code == 302
    client.post(reverse("retail:logout"))
    for _ in range(9):
        client.post(LOGIN, {"d5_id": "D5SAM001", "password": "wrong"})
    assert client.post(LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD}).status_code == 302


# --- Issue 17 item 16: no way round a locked dealer ID -----------------------------------------
def test_a_locked_dealer_id_cannot_log_in_at_the_customer_login(client, sam):
    for _ in range(10):
        client.post(LOGIN, {"d5_id": "D5SAM001", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": sam.user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_dealer_id_locked_from_everywhere_is_refused_at_the_customer_login_too(client, sam):
    for n in range(50):
        client.post(LOGIN, {"d5_id": "D5SAM001", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}")
    client.post(
        reverse("account_login"), {"login": sam.user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.9.9"
    )
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_at_the_customer_login_lock_the_dealer_id(client, sam):
    for _ in range(10):
        client.post(reverse("account_login"), {"login": sam.user.email.upper(), "password": "wrong"})
    response = client.post(LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_on_the_customer_token_endpoint_lock_the_dealer_id(client, anon_api, sam):
    for _ in range(10):
        anon_api.post("/api/v1/auth/tokens", {"email": sam.user.email, "password": "wrong", "name": "x"})
    assert client.post(LOGIN, {"d5_id": "D5SAM001", "password": PASSWORD}).status_code == 429


def test_an_unlocked_dealer_still_logs_in_at_the_customer_login(client, sam):
    for _ in range(3):
        client.post(LOGIN, {"d5_id": "D5SAM001", "password": "wrong"})
    client.post(reverse("account_login"), {"login": sam.user.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session
