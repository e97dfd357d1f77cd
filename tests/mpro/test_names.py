"""Names are stored as NFC and refuse invisible and control characters, through every door
(issue 17, item 19): the customer API and pages, invitations, vans (API, page, CSV import) and the
Retail registration."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from companies.models import Company, Membership
from mpro.names import clean_name
from tests.companies.test_api import COMPANY
from tests.retail.test_api import BASE, REGISTRATION
from vehicles.models import Vehicle

pytestmark = pytest.mark.django_db

BAD = {
    "right-to-left override": "\u202eenaJ",
    "zero-width space": "Ja\u200bne",
    "zero-width joiner": "Ja\u200dne",
    "left-to-right isolate": "\u2066Jane\u2069",
    "bell (C0)": "Ja\x07ne",
    "escape (C0)": "Ja\x1bne",
    "byte-order mark": "\ufeffJane",
}
DECOMPOSED = "Rene\u0301"  # "René" typed with a combining accent


@pytest.mark.parametrize("name", BAD.values(), ids=BAD.keys())
def test_the_rule_refuses_invisible_characters(name):
    with pytest.raises(ValidationError):
        clean_name(name)


def test_the_rule_normalises_to_nfc_and_keeps_real_names():
    assert clean_name(DECOMPOSED) == "René" and unicodedata.is_normalized("NFC", clean_name(DECOMPOSED))
    for name in ("Søren Ørsted", "Zoë O'Brien-Müller", "Łukasz Żółć", "محمد", "李小龍"):
        assert clean_name(f"  {name} ") == name


@pytest.mark.parametrize("name", BAD.values(), ids=BAD.keys())
def test_the_api_refuses_them_in_every_name_of_a_company_registration(api, newcomer, name):
    for field in ("name", "manager_name"):
        response = api(newcomer).post("/api/v1/company", {**COMPANY, field: name}, format="json")
        assert response.status_code == 400 and field in response.json(), field
        assert "invisible" in response.json()[field][0]
    assert not Company.objects.filter(manager_name__contains="Jane").exists()


def test_the_api_stores_company_names_as_nfc(api, newcomer):
    response = api(newcomer).post("/api/v1/company", {**COMPANY, "manager_name": DECOMPOSED}, format="json")
    assert response.status_code == 201
    assert Company.objects.get().manager_name == "René"


def test_the_profile_page_and_api_refuse_them(login, api, alice):
    response = api(alice).patch("/api/v1/me", {"last_name": BAD["right-to-left override"]}, format="json")
    assert response.status_code == 400 and "last_name" in response.json()
    response = login(alice).post(
        "/account/profile/",
        {
            "first_name": "Ali\u200bce",
            "last_name": "Andersen",
            "birth_date": "1985-05-17",
            "phone": "86 12 34 56",
            "mobile": "",
            "licence_category": "C1",
            "language": "en",
        },
    )
    assert response.status_code == 200 and "invisible" in response.content.decode()
    alice.refresh_from_db()
    assert alice.first_name == "Alice"
    assert api(alice).patch("/api/v1/me", {"first_name": DECOMPOSED}, format="json").status_code == 200
    alice.refresh_from_db()
    assert alice.first_name == "René"


def test_invitations_refuse_them(api, alice):
    response = api(alice).post(
        "/api/v1/company/members",
        {"email": "jane@acme.example", "first_name": "\u202eenaJ", "last_name": "Doe", "role": "driver"},
        format="json",
    )
    assert response.status_code == 400 and "first_name" in response.json()
    assert not Membership.objects.filter(user__email="jane@acme.example").exists()


def test_van_nicknames_refuse_them_through_the_api_and_the_page(api, login, alice, van):
    response = api(alice).patch(f"/api/v1/vehicles/{van.vin}", {"nickname": "Blue\u202evan"}, format="json")
    assert response.status_code == 400 and "nickname" in response.json()
    response = login(alice).post(
        f"/vehicles/{van.vin}/edit/", {"licence_plate": "AB 10 001", "nickname": "Blue\u200bvan"}
    )
    assert response.status_code in (200, 400) and "invisible" in response.content.decode()
    van.refresh_from_db()
    assert van.nickname == "Blue van"


def test_the_retail_registration_refuses_them(api, sam):
    staff_api = api(sam.user)
    registration = {
        **REGISTRATION,
        "company": {**REGISTRATION["company"], "manager_name": "\u202eenaJ"},
        "admin": {**REGISTRATION["admin"], "last_name": "Ja\u200bne"},
    }
    response = staff_api.post(f"{BASE}/registrations", registration, format="json")
    assert response.status_code == 400
    assert not Company.objects.filter(name=REGISTRATION["company"]["name"]).exists()
    assert not Vehicle.objects.exists()
