import re

import pytest
from django.core import mail

from companies.models import AuditEvent, Company, Membership

COMPANY = {
    "name": "Nielsen Kurer ApS",
    "manager_name": "Nina Nielsen",
    "street": "Vestergade 3",
    "postal_code": "8000",
    "city": "Aarhus",
    "country": " dk ",
    "email": "kontor@nielsen.example",
    "phone": "+45 86 12 34 56",
    "accept_terms": True,
}


def test_it_registers_a_company(api, newcomer):
    response = api(newcomer).post("/api/v1/company", COMPANY, format="json")
    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"PRO-[A-Z]{6}", body["pro_id"])
    assert body["verification_status"] == "unverified" and body["country"] == "DK"
    assert Membership.objects.get(user=newcomer).role == "admin"


def test_it_refuses_a_second_company_with_409(api, alice):
    response = api(alice).post("/api/v1/company", COMPANY, format="json")
    assert response.status_code == 409 and response.json()["code"] == "company_exists"
    assert Company.objects.count() == 1


def test_it_names_each_bad_field(api, newcomer):
    response = api(newcomer).post(
        "/api/v1/company",
        {**COMPANY, "postal_code": "80", "phone": "1", "accept_terms": False},
        format="json",
    )
    assert response.status_code == 400
    assert not Company.objects.exists()


def test_it_requires_accepted_terms(api, newcomer):
    response = api(newcomer).post("/api/v1/company", {**COMPANY, "accept_terms": False}, format="json")
    assert response.status_code == 400 and "accept_terms" in response.json()


def test_it_refuses_a_country_change(api, alice, company):
    response = api(alice).patch("/api/v1/company", {"country": "FR"}, format="json")
    assert response.status_code == 400 and "country" in response.json()
    company.refresh_from_db()
    assert company.country == "DK"


def test_it_updates_the_company(api, alice, company):
    response = api(alice).patch("/api/v1/company/", {"city": "Aarhus C"}, format="json")
    assert response.status_code == 200 and response.json()["contract_generation"] == 2


@pytest.mark.parametrize("persona", ["fred", "dora"])
def test_it_refuses_company_changes_to_other_roles(request, api, persona, company):
    client = api(request.getfixturevalue(persona))
    # A fleet manager reads the company; a driver may not (issue 17 item 14, API.md).
    assert client.get("/api/v1/company").status_code == (200 if persona == "fred" else 403)
    assert client.patch("/api/v1/company", {"city": "Elsewhere"}, format="json").status_code == 403
    company.refresh_from_db()
    assert company.city == "Aarhus"


def test_it_keeps_members_from_drivers(api, dora):
    client = api(dora)
    assert client.get("/api/v1/company/members").status_code == 403
    assert client.post("/api/v1/company/members", {}, format="json").status_code == 403


def test_it_invites_lists_and_changes_members(api, alice, django_capture_on_commit_callbacks):
    client = api(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/company/members",
            {
                "email": "Fleet.Two@acme.example",
                "first_name": "Ft",
                "last_name": "Two",
                "role": "fleet_manager",
            },
            format="json",
        )
    assert response.status_code == 201
    member = response.json()
    assert member["email"] == "fleet.two@acme.example" and member["invitation_status"] == "pending"
    assert mail.outbox[0].to == ["fleet.two@acme.example"]

    listed = client.get("/api/v1/company/members").json()
    assert {m["email"] for m in listed["results"]} == {"alice@acme.example", "fleet.two@acme.example"}
    assert set(listed) == {"next", "previous", "results"}

    changed = client.patch(f"/api/v1/company/members/{member['id']}", {"role": "driver"}, format="json")
    assert changed.status_code == 200 and changed.json()["role"] == "driver"
    assert client.delete(f"/api/v1/company/members/{member['id']}").status_code == 204
    assert not Membership.objects.filter(pk=member["id"]).exists()


def test_it_refuses_an_unknown_role(api, alice):
    response = api(alice).post(
        "/api/v1/company/members",
        {"email": "x@acme.example", "first_name": "X", "last_name": "Y", "role": "owner"},
        format="json",
    )
    assert response.status_code == 400 and "role" in response.json()


def test_it_answers_404_for_another_companys_member(api, alice, oscar):
    client = api(alice)
    target = oscar.membership.pk
    assert (
        client.patch(f"/api/v1/company/members/{target}", {"role": "driver"}, format="json").status_code
        == 404
    )
    assert client.delete(f"/api/v1/company/members/{target}").status_code == 404
    assert Membership.objects.get(pk=target).role == "admin"


def test_it_refuses_removing_the_last_administrator(api, alice):
    response = api(alice).delete(f"/api/v1/company/members/{alice.membership.pk}")
    assert response.status_code == 400
    assert Membership.objects.filter(user=alice).exists()


def test_it_lists_events_newest_first(api, alice, company, sam, oscar, other_company):
    from companies.audit import Actor, record

    record(actor=Actor.customer(alice), company=company, action="company.updated", target="older")
    record(
        actor=Actor.dealer_staff(user=sam.user, dealer=sam.dealer, acting_under="attestation #3"),
        company=company,
        action="company.updated",
        target="newer",
    )
    record(actor=Actor.customer(oscar), company=other_company, action="company.updated", target="not-yours")
    results = api(alice).get("/api/v1/company/events").json()["results"]
    assert [r["target"] for r in results] == ["newer", "older"]
    assert results[0]["actor"]["kind"] == "dealer_staff"
    assert results[0]["actor"]["acting_under"] == "attestation #3"
    assert set(results[0]) >= {"at", "actor", "action", "target", "details"}


def test_it_pages_events_with_a_cursor(api, alice, company):
    from companies.audit import Actor, record

    for index in range(7):
        record(actor=Actor.customer(alice), company=company, action="company.updated", target=str(index))
    first = api(alice).get("/api/v1/company/events?page_size=5").json()
    assert len(first["results"]) == 5 and first["next"]
    second = api(alice).get(first["next"]).json()
    assert len(second["results"]) == 2 and not second["next"]


def test_it_records_an_audit_event_for_every_write(api, newcomer):
    api(newcomer).post("/api/v1/company", COMPANY, format="json")
    assert AuditEvent.objects.filter(action="company.registered").count() == 1


def test_it_tells_a_customer_without_a_company_what_to_do(api, newcomer):
    response = api(newcomer).get("/api/v1/company/members", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "Sie gehören noch keinem Unternehmen an. Registrieren Sie zuerst Ihr Unternehmen."
    )
