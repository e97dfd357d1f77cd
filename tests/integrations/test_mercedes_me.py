"""Log in with Mercedes me, end to end: the authorisation-code flow with PKCE between the portal
(django-allauth) and a real OpenID provider (tests/integrations/idp.py) on the live test server."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from oauth2_provider.models import Application

from companies.models import AuditEvent
from tests import factories as f
from users.models import User

from . import idp

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "rp-secret-for-tests"


@pytest.fixture
def provider(live_server, settings):
    """The IdP on 127.0.0.1, the portal on localhost, the portal configured to use the IdP."""
    port = urlsplit(live_server.url).port
    portal, issuer = f"http://localhost:{port}", f"http://127.0.0.1:{port}/idp"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.ROOT_URLCONF = "tests.integrations.idp"
    settings.OAUTH2_PROVIDER = {
        **django_settings.OAUTH2_PROVIDER,
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": pem,
        "OIDC_ISS_ENDPOINT": issuer,
        "SCOPES": {**django_settings.OAUTH2_PROVIDER["SCOPES"], "openid": "OpenID", "email": "E-mail"},
        "OAUTH2_VALIDATOR_CLASS": "tests.integrations.idp.Validator",
    }
    Application.objects.create(
        name="mpro portal",
        client_id="mpro-portal",
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{portal}/accounts/oidc/mercedes-me/login/callback/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "mercedes-me",
                    "name": "Mercedes me",
                    "client_id": "mpro-portal",
                    "secret": SECRET,
                    "settings": {"server_url": issuer, "scope": ["openid", "email"]},
                }
            ],
        }
    }
    return {"portal": portal, "issuer": issuer}


def mercedes_me_person(email: str) -> User:
    """Someone with a Mercedes me account asserting `email`."""
    person = f.UserFactory(email=f"idp-{len(idp.IDENTITIES)}@idp.example")
    person.set_password("mercedes-me-pw")
    person.save()
    idp.IDENTITIES[person.pk] = email
    return person


def csrf(session, host):
    return session.cookies.get("csrftoken", domain=urlsplit(host).hostname) or session.cookies.get(
        "csrftoken", domain=urlsplit(host).hostname + ".local"
    )


def log_in_with_mercedes_me(provider, person: User) -> requests.Response:
    """Drives the browser's part: the button, the provider's login, back to the portal."""
    session = requests.Session()
    portal = provider["portal"]
    page = session.get(f"{portal}/accounts/login/")
    assert "Mercedes me" in page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    at_idp = session.post(f"{portal}/accounts/oidc/mercedes-me/login/", data={"csrfmiddlewaretoken": token})
    assert at_idp.url.startswith(f"{provider['issuer']}/login/"), at_idp.url
    authorize = parse_qs(urlsplit(parse_qs(urlsplit(at_idp.url).query)["next"][0]).query)
    # PKCE: the portal sent a S256 challenge, and the provider will insist on the verifier.
    assert authorize["code_challenge_method"] == ["S256"] and authorize["code_challenge"][0]
    assert sorted(authorize["scope"][0].split()) == ["email", "openid"]  # no profile asked for
    answer = session.post(
        f"{provider['issuer']}/login/",
        data={
            "email": person.email,
            "password": "mercedes-me-pw",
            "next": parse_qs(urlsplit(at_idp.url).query)["next"][0],
        },
    )
    answer.session = session
    return answer


def test_the_button_shows_only_when_configured(client):
    assert "Mercedes me" not in client.get("/accounts/login/").content.decode()


def test_a_first_login_creates_an_account_with_only_email_and_subject(provider):
    person = mercedes_me_person("new.driver@fleet.example")
    answer = log_in_with_mercedes_me(provider, person)
    assert answer.status_code == 200
    assert urlsplit(answer.url).path == "/company/register/"  # then registers the company as usual
    user = User.objects.get(email="new.driver@fleet.example")
    assert (user.first_name, user.last_name) == ("", "")  # no profile data taken
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "mercedes-me" and account.uid == str(person.pk)
    assert account.extra_data == {"sub": str(person.pk), "email": "new.driver@fleet.example"}
    assert EmailAddress.objects.get(user=user).verified


def test_the_second_login_opens_the_same_account(provider):
    person = mercedes_me_person("again@fleet.example")
    log_in_with_mercedes_me(provider, person)
    answer = log_in_with_mercedes_me(provider, person)
    assert urlsplit(answer.url).path == "/company/register/"
    assert User.objects.filter(email="again@fleet.example").count() == 1


def test_an_existing_address_links_only_with_the_mpro_password(provider, alice):
    alice.set_password("alice-mpro-pw")
    alice.save()
    person = mercedes_me_person(alice.email)
    answer = log_in_with_mercedes_me(provider, person)
    assert urlsplit(answer.url).path == "/integrations/mercedes-me/link/"
    assert "alice@acme.example" in answer.text
    session, portal = answer.session, provider["portal"]
    assert session.get(f"{portal}/dashboard/").url.startswith(
        f"{portal}/accounts/login/"
    )  # not logged in yet

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text).group(1)
    wrong = session.post(answer.url, data={"csrfmiddlewaretoken": token, "password": "guess"})
    assert wrong.status_code == 200 and "not correct" in wrong.text
    assert not SocialAccount.objects.exists()

    right = session.post(answer.url, data={"csrfmiddlewaretoken": token, "password": "alice-mpro-pw"})
    assert urlsplit(right.url).path == "/dashboard/"
    assert SocialAccount.objects.get().user == alice
    assert AuditEvent.objects.filter(action="integrations.mercedes_me_linked", actor=alice).exists()
    alice.refresh_from_db()
    assert (alice.first_name, alice.last_name) == ("Alice", "Andersen")

    # From now on Mercedes me opens alice's account directly.
    again = log_in_with_mercedes_me(provider, person)
    assert urlsplit(again.url).path == "/dashboard/"


def test_the_link_page_without_a_pending_login_sends_to_the_login(client):
    response = client.get("/integrations/mercedes-me/link/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
