import pytest

from tests.factories import PASSWORD
from users.models import ApiToken


def test_it_asks_to_reauthenticate_before_the_support_password(client, alice):
    client.force_login(alice)
    response = client.get("/account/support-password/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response.url

    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/account/support-password/")
    assert page.status_code == 200 and "dealer" in page.content.decode()

    response = client.post(
        "/account/support-password/", {"support_password": "tall-van-7", "support_password2": "tall-van-7"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_support_password("tall-van-7")
    assert "tall-van-7" not in client.get("/account/profile/").content.decode()


def test_it_refuses_a_support_password_equal_to_the_login_password(client, alice):
    client.force_login(alice)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post(
        "/account/support-password/", {"support_password": PASSWORD, "support_password2": PASSWORD}
    )
    assert "different from your login password" in response.content.decode()
    alice.refresh_from_db()
    assert not alice.has_support_password


def test_it_edits_the_profile_and_reads_local_numbers_in_the_companys_country(login, alice):
    response = login(alice).post(
        "/account/profile/",
        {
            "first_name": "Alice",
            "last_name": "Andersen",
            "birth_date": "1985-05-17",
            "phone": "86 12 34 56",
            "mobile": "",
            "licence_category": "C1",
            "language": "en",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.phone == "+4586123456" and alice.licence_category == "C1"


def test_it_remembers_the_language_on_the_user(login, alice):
    client = login(alice)
    client.post("/i18n/setlang/", {"language": "de", "next": "/company/"})
    alice.refresh_from_db()
    assert alice.language == "de"
    # A new session (another browser) speaks German too.
    other = login(alice)
    assert other.get("/company/").headers["Content-Language"] == "de"


def test_it_creates_and_revokes_tokens_in_the_portal(login, alice):
    client = login(alice)
    page = client.post("/account/tokens/", {"name": "report"}).content.decode()
    token = ApiToken.objects.get(user=alice)
    assert "mpro_" in page and token.name == "report"
    client.post(f"/account/tokens/{token.pk}/revoke/")
    assert not ApiToken.objects.exists()


def test_it_keeps_other_peoples_tokens(login, alice, oscar):
    token, _ = ApiToken.issue(user=oscar, name="x")
    assert login(alice).post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize("path", ["/account/profile/", "/account/tokens/", "/account/support-password/"])
def test_it_sends_anonymous_visitors_to_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/account/profile/", "/company/", "/company/register/", "/dashboard/"])
def test_it_gives_dealer_staff_no_customer_pages(login, sam, path):
    assert login(sam.user).get(path).status_code == 404
