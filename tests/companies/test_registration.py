import datetime
import re

import pytest
from django.core import mail

from companies import services
from companies.audit import Actor
from companies.models import AuditEvent, Company, ContractGeneration, IssuedProId, Membership, TermsAcceptance
from mpro.errors import ConflictError, FieldErrors

PERSON = {
    "first_name": "Nina",
    "last_name": "Nielsen",
    "birth_date": "1984-02-03",
    "phone": "+45 20 30 40 50",
    "mobile": "",
    "licence_category": "B",
}
COMPANY = {
    "name": "Nielsen Kurer ApS",
    "manager_name": "Nina Nielsen",
    "street": "Vestergade 3",
    "postal_code": "8000",
    "city": "Aarhus",
    "country": "DK",
    "email": "kontor@nielsen.example",
    "phone": "+45 86 12 34 56",
    "vat_number": "dk 12 34 56 78",
    "accept_terms": "on",
}


def test_it_walks_the_three_registration_steps(login, newcomer):
    client = login(newcomer)
    assert client.get("/dashboard/").url == "/company/register/"

    response = client.post("/company/register/", PERSON)
    assert response.status_code == 302 and response.url == "/company/register/company/"
    newcomer.refresh_from_db()
    assert newcomer.birth_date == datetime.date(1984, 2, 3)
    assert newcomer.phone == "+4520304050"  # stored in E.164

    response = client.post("/company/register/company/", COMPANY)
    assert response.status_code == 302 and response.url == "/company/register/support-password/"
    company = Company.objects.get()
    assert re.fullmatch(r"PRO-[A-Z]{6}", company.pro_id)
    assert company.vat_number == "DK12345678"
    assert company.verification_status == "unverified"
    membership = Membership.objects.get(user=newcomer)
    assert (membership.company, membership.role, membership.is_primary_admin) == (company, "admin", True)
    assert set(TermsAcceptance.objects.filter(user=newcomer).values_list("document", flat=True)) == {
        "terms_of_use",
        "pack_terms",
    }
    assert ContractGeneration.objects.filter(company=company, number=1).exists()
    assert IssuedProId.objects.filter(pro_id=company.pro_id).exists()
    assert AuditEvent.objects.filter(company=company, action="company.registered", actor=newcomer).exists()

    response = client.post(
        "/company/register/support-password/",
        {"support_password": "blue-van-42", "support_password2": "blue-van-42"},
    )
    assert response.url == "/company/register/done/"
    newcomer.refresh_from_db()
    assert newcomer.check_support_password("blue-van-42")
    assert "blue-van-42" not in newcomer.support_password

    page = client.get("/company/register/done/").content.decode()
    assert company.pro_id in page
    assert "must verify" in page or "has to verify" in page
    assert "registration document" in page


def test_it_marks_required_fields(login, newcomer):
    page = login(newcomer).get("/company/register/").content.decode()
    assert page.count('class="required"') >= 4


def test_it_requires_the_terms(login, newcomer):
    client = login(newcomer)
    client.post("/company/register/", PERSON)
    response = client.post("/company/register/company/", {**COMPANY, "accept_terms": ""})
    assert response.status_code == 200
    assert "Accept the terms" in response.content.decode()
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    ("country", "good", "bad"),
    [
        ("FR", "75015", "7501"),
        ("DK", "8000", "80000"),
        ("DE", "10115", "1011"),
        ("BE", "1000", "10000"),
        ("NL", "1012 AB", "1012"),
        ("AT", "1010", "101"),
        ("ES", "28001", "2800"),
        ("IT", "00184", "184"),
        ("GB", "SW1A 1AA", "12345"),
    ],
)
def test_it_checks_the_postal_code_against_the_country(newcomer, country, good, bad):
    data = {**COMPANY, "country": country, "phone": "+33145580000", "accept_terms": True, "vat_number": ""}
    with pytest.raises(FieldErrors) as error:
        services.company_register(
            user=newcomer, actor=Actor.customer(newcomer), **{**data, "postal_code": bad}
        )
    assert "postal_code" in error.value.errors
    company = services.company_register(
        user=newcomer, actor=Actor.customer(newcomer), **{**data, "postal_code": good}
    )
    assert company.postal_code == good


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "2999-01-01", "future"),
        ("birth_date", "2015-01-01", "at least 18"),
        ("phone", "12", "valid phone"),
        ("first_name", "x" * 101, "at most 100"),
    ],
)
def test_it_refuses_bad_personal_data_with_a_message(login, newcomer, field, value, message):
    response = login(newcomer).post("/company/register/", {**PERSON, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.first_name == "Nina"  # nothing saved


def test_it_refuses_over_long_company_values_without_saving(login, newcomer):
    client = login(newcomer)
    client.post("/company/register/", PERSON)
    response = client.post("/company/register/company/", {**COMPANY, "name": "N" * 201})
    assert response.status_code == 200
    assert "at most 200" in response.content.decode()
    assert not Company.objects.exists() and not Membership.objects.exists()


def test_it_refuses_a_second_company(alice, company):
    with pytest.raises(ConflictError) as error:
        services.company_register(
            user=alice, actor=Actor.customer(alice), **{**COMPANY, "accept_terms": True}
        )
    assert error.value.code == "company_exists"
    assert Company.objects.count() == 1


def test_it_sends_a_member_with_a_company_away_from_the_wizard(login, alice):
    assert login(alice).get("/company/register/company/").url == "/company/"


def test_it_never_reuses_a_pro_id(newcomer, monkeypatch):
    IssuedProId.objects.create(pro_id="PRO-TAKENA")  # issued to a company deleted since
    draws = iter(["PRO-TAKENA", "PRO-FRESHB"])
    monkeypatch.setattr(services._common, "new_pro_id", lambda: next(draws))
    company = services.company_register(
        user=newcomer, actor=Actor.customer(newcomer), **{**COMPANY, "accept_terms": True}
    )
    assert company.pro_id == "PRO-FRESHB"


def test_it_lets_a_visitor_sign_up_and_confirm_the_email(client, db):
    response = client.post(
        "/accounts/signup/",
        {"email": "Van.Owner@Example.com", "password1": "Sprinter-2026!", "password2": "Sprinter-2026!"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    response = client.post(path)
    assert response.status_code == 302
    assert client.get("/dashboard/").url == "/company/register/"


def test_it_does_not_reveal_that_an_email_has_an_account(client, alice):
    response = client.post(
        "/accounts/signup/",
        {"email": "alice@acme.example", "password1": "Sprinter-2026!", "password2": "Sprinter-2026!"},
    )
    # Same answer as for a new address; the owner gets an e-mail instead.
    assert response.status_code == 302
    assert mail.outbox and mail.outbox[0].to == ["alice@acme.example"]
