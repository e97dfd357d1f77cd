"""allauth's pages and e-mails speak the portal's words (and German "Sie")."""

from django.core import mail


def test_it_sends_a_sign_up_email_that_names_the_product(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject == "[mpro] Confirm your e-mail address"
    assert "mpro" in message.body and "Hello from" not in message.body
    assert "testserver" not in message.body.split("http://testserver/accounts/confirm-email/")[0]


def test_it_shows_the_log_in_page_in_the_portals_words(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "<h1>Log in</h1>" in html and "Sign In" not in html


def test_it_addresses_german_readers_with_sie(client, db):
    client.cookies["django_language"] = "de"
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert 'lang="de"' in html
        for informal in (" du ", " Du ", " dein", " Dein", " dir ", "Gib ", "erstelle "):
            assert informal not in html, (path, informal)


def test_it_shows_every_registration_error_in_one_round(login, newcomer):
    from companies.models import Company

    client = login(newcomer)
    client.post(
        "/company/register/",
        {"first_name": "Nina", "last_name": "New", "birth_date": "1990-01-01", "phone": "+45 20 30 40 50"},
    )
    response = client.post(
        "/company/register/company/",
        {
            "name": "Nordvarer ApS",
            "manager_name": "Nina New",
            "street": "Havnen 1",
            "postal_code": "80000",
            "city": "Aarhus",
            "country": "DK",
            "email": "n@example.com",
            "phone": "12",
            "vat_number": "XX",
            "accept_terms": "",
        },
    )
    html = response.content.decode()
    assert "Accept the terms" in html
    assert html.count('class="errorlist') >= 4  # terms, postal code, phone, VAT number
    assert not Company.objects.exists()


def test_it_accepts_a_national_phone_number_in_the_companys_country(login, newcomer):
    from companies.models import Company

    client = login(newcomer)
    client.post(
        "/company/register/",
        {"first_name": "Nina", "last_name": "New", "birth_date": "1990-01-01", "phone": "+45 20 30 40 50"},
    )
    client.post(
        "/company/register/company/",
        {
            "name": "Nordvarer ApS",
            "manager_name": "Nina New",
            "street": "Havnen 1",
            "postal_code": "8000",
            "city": "Aarhus",
            "country": "DK",
            "email": "n@example.com",
            "phone": "12345678",
            "accept_terms": "on",
        },
    )
    assert Company.objects.get().phone == "+4512345678"
