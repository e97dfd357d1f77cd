"""Register a company for a customer, in two steps (main user, then company)."""

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import AuditEvent, Company, Membership
from retail.models import RetailRegistration

pytestmark = pytest.mark.django_db

ADMIN = {
    "email": "Karen@Nordlys.example",
    "first_name": "Karen",
    "last_name": "Holm",
    "birth_date": "1981-04-02",
    "phone": "+45 20 30 40 50",
}
COMPANY = {
    "name": "Nordlys Kurér ApS",
    "manager_name": "Karen Holm",
    "street": "Vestergade 3",
    "postal_code": "8000",
    "city": "Aarhus C",
    "country": "DK",
    "email": "office@nordlys.example",
    "phone": "+45 86 12 00 00",
    "vat_number": "DK11223344",
}


def test_it_registers_a_company_in_two_steps_and_shows_the_new_pro_id(
    staff_client, sam, django_capture_on_commit_callbacks
):
    client = staff_client(sam)
    step1 = client.get(reverse("retail:register"))
    assert "Main user" in step1.content.decode()
    response = client.post(reverse("retail:register"), ADMIN)
    assert response["Location"] == reverse("retail:register_company")
    page = client.get(reverse("retail:register_company"))
    assert "Karen Holm" in page.content.decode()
    assert page.context["form"]["country"].value() == "DK"  # the outlet's country
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("retail:register_company"), COMPANY)
    company = Company.objects.get(name="Nordlys Kurér ApS")
    assert response["Location"] == reverse("retail:register_done", args=[company.pro_id])
    done = client.get(response["Location"]).content.decode()
    assert company.pro_id in done and 'id="new-pro-id"' in done
    membership = Membership.objects.get(company=company)
    assert membership.user.email == "karen@nordlys.example" and membership.is_primary_admin
    assert company.verification_status == "unverified"
    registration = RetailRegistration.objects.get(company=company)
    assert (registration.staff, registration.dealer) == (sam, sam.dealer)
    event = AuditEvent.objects.get(company=company, action="company.registered")
    assert (event.actor, event.dealer, event.acting_under) == (sam.user, sam.dealer, "company registration")
    assert [m.to for m in mail.outbox] == [["karen@nordlys.example"]]
    assert "retail_registration_admin" not in client.session


def test_it_keeps_step_one_when_going_back(staff_client, sam):
    client = staff_client(sam)
    client.post(reverse("retail:register"), ADMIN)
    form = client.get(reverse("retail:register")).context["form"]
    assert form["first_name"].value() == "Karen"


def test_it_starts_with_the_main_user(staff_client, sam):
    response = staff_client(sam).get(reverse("retail:register_company"))
    assert response["Location"] == reverse("retail:register")


@pytest.mark.parametrize(
    "field, value",
    [
        ("email", "not-an-e-mail"),
        ("birth_date", "31/31/1980"),
        ("first_name", ""),
        ("last_name", "x" * 10_000),
    ],
)
def test_it_refuses_a_bad_main_user(staff_client, sam, field, value):
    response = staff_client(sam).post(reverse("retail:register"), {**ADMIN, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]


@pytest.mark.parametrize(
    "field, value",
    [
        ("postal_code", "ABCDEFGHIJ"),
        ("phone", "123"),
        ("country", "US"),
        ("name", ""),
        ("street", "x" * 10_000),
    ],
)
def test_it_refuses_a_bad_company_and_registers_nothing(staff_client, sam, field, value):
    client = staff_client(sam)
    client.post(reverse("retail:register"), ADMIN)
    response = client.post(reverse("retail:register_company"), {**COMPANY, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Company.objects.filter(name="Nordlys Kurér ApS").exists()
    assert not mail.outbox


def test_it_says_when_the_main_users_e_mail_has_an_account_already(staff_client, sam, alice):
    client = staff_client(sam)
    client.post(reverse("retail:register"), {**ADMIN, "email": alice.email})
    response = client.post(reverse("retail:register_company"), COMPANY)
    assert response.status_code == 200
    assert "Main user:" in response.content.decode()
    assert not Company.objects.filter(name="Nordlys Kurér ApS").exists()


def test_it_asks_the_page_and_the_api_for_the_same_fields():
    # retail.registration routes a refusal to the main user or the company by these names, for the
    # page's two steps and the API's two parts alike.
    from retail.api.serializers import RetailRegistrationAdminInput, RetailRegistrationCompanyInput
    from retail.forms import RegistrationAdminForm, RegistrationCompanyForm
    from retail.registration import ADMIN_FIELDS, COMPANY_FIELDS

    assert (
        set(RegistrationAdminForm.base_fields) == set(RetailRegistrationAdminInput().fields) == ADMIN_FIELDS
    )
    assert set(RegistrationCompanyForm.base_fields) == COMPANY_FIELDS
    assert set(RetailRegistrationCompanyInput().fields) == COMPANY_FIELDS | {"accept_terms"}
