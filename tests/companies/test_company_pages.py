from companies.models import AuditEvent, Company, ContractGeneration

FORM = {
    "name": "ACME Transport ApS",
    "manager_name": "Karen Holm",
    "street": "Havnegade 4",
    "postal_code": "8000",
    "city": "Aarhus",
    "email": "office@acme.example",
    "phone": "+4586123456",
    "vat_number": "DK12345678",
}


def test_it_shows_the_company_with_what_the_dealer_must_verify(login, alice, company):
    page = login(alice).get("/company/").content.decode()
    assert company.pro_id in page
    assert "Company not verified" in page and "Administrator not verified" in page


def test_it_shows_no_notice_once_verified(login, alice, verified_company):
    page = login(alice).get("/company/").content.decode()
    assert "Company not verified" not in page


def test_it_starts_a_contract_generation_when_the_address_changes(login, alice, company):
    response = login(alice).post("/company/edit/", {**FORM, "street": "Nørregade 9"})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.street == "Nørregade 9" and company.contract_generation == 2
    assert ContractGeneration.objects.filter(
        company=company, number=2, base_data__street="Nørregade 9"
    ).exists()
    assert AuditEvent.objects.filter(company=company, action="company.new_contract_generation").exists()


def test_it_keeps_the_generation_for_other_changes(login, alice, company):
    login(alice).post("/company/edit/", {**FORM, "phone": "+45 86 11 11 11"})
    company.refresh_from_db()
    assert company.phone == "+4586111111" and company.contract_generation == 1


def test_it_never_changes_the_country(login, alice, company):
    login(alice).post("/company/edit/", {**FORM, "country": "FR", "postal_code": "75015"})
    company.refresh_from_db()
    assert company.country == "DK"


def test_it_shows_bad_input_as_form_errors_and_keeps_it(login, alice, company):
    response = login(alice).post("/company/edit/", {**FORM, "postal_code": "ABC", "name": "New Name"})
    page = response.content.decode()
    assert response.status_code == 200 and "does not fit Denmark" in page
    assert 'value="New Name"' in page
    assert Company.objects.get(pk=company.pk).name == "ACME Transport ApS"


def test_it_lets_only_administrators_edit(login, fred, company):
    assert login(fred).post("/company/edit/", {**FORM, "name": "Hijack"}).status_code == 403
    assert Company.objects.get(pk=company.pk).name == "ACME Transport ApS"


def test_it_lists_activity_newest_first_with_dealer_context(login, alice, company, sam):
    from companies.audit import Actor, record

    record(actor=Actor.customer(alice), company=company, action="company.updated", target="event-older")
    record(
        actor=Actor.dealer_staff(user=sam.user, dealer=sam.dealer, acting_under="support session #7"),
        company=company,
        action="company.updated",
        target="event-newer",
    )
    page = login(alice).get("/company/activity/").content.decode()
    assert page.index("event-newer") < page.index("event-older")
    assert "Glostrup Van Centre" in page and "support session #7" in page


def test_it_keeps_the_activity_query_count_flat(login, alice, company, django_assert_max_num_queries):
    from companies.audit import Actor, record

    client = login(alice)
    for index in range(60):
        record(actor=Actor.customer(alice), company=company, action="company.updated", target=str(index))
    with django_assert_max_num_queries(12):
        assert client.get("/company/activity/").status_code == 200
