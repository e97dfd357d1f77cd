"""The Retail API, against API.md's "Dealer staff (Retail)" table."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from companies.models import AuditEvent, Company
from packs.models import Order
from retail.models import Attestation, SupportPasswordAttempt, SupportSession
from tests import factories as f
from tests.factories import PASSWORD
from users.models import ApiToken
from users.services import MAX_TOKENS
from vehicles.models import Vehicle

from .conftest import SUPPORT_PASSWORD

pytestmark = pytest.mark.django_db

BASE = "/api/v1/retail"
ACME = f"{BASE}/companies/PRO-ACMEXX"


@pytest.fixture
def staff_api(api, sam):
    return api(sam.user)


@pytest.fixture
def attested_api(staff_api, sam, company, attest):
    attest(sam, company)
    return staff_api


def _endpoints(van_vin, member_id):
    return [
        ("get", f"{BASE}/companies?pro_id=PRO-ACMEXX"),
        ("post", f"{BASE}/registrations"),
        ("get", ACME),
        ("post", f"{ACME}/attestations"),
        ("post", f"{ACME}/verify"),
        ("post", f"{ACME}/reject"),
        ("get", f"{ACME}/members"),
        ("post", f"{ACME}/members/{member_id}/verify"),
        ("get", f"{ACME}/vehicles"),
        ("post", f"{ACME}/vehicles"),
        ("post", f"{ACME}/vehicles/{van_vin}/verify"),
        ("post", f"{ACME}/vehicles/{van_vin}/reject"),
        ("post", f"{ACME}/transfers"),
        ("post", f"{ACME}/support-sessions"),
        ("post", f"{ACME}/orders"),
    ]


# --- access -----------------------------------------------------------------------------------------------
def test_it_refuses_anonymous_callers(anon_api, company, alice, van):
    for method, url in _endpoints(van.vin, alice.membership.pk):
        assert getattr(anon_api, method)(url, {}).status_code == 401, url


def test_it_gives_customers_404_on_every_endpoint(api, company, alice, van):
    client = api(alice)
    for method, url in [*_endpoints(van.vin, alice.membership.pk), ("post", f"{BASE}/auth/tokens")]:
        response = getattr(client, method)(url, {"identity_checked": True, "mode": "passport"})
        assert response.status_code == 404, url
    assert not Attestation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_needs_an_attestation_for_company_endpoints(staff_api, company, alice, van):
    for method, url in _endpoints(van.vin, alice.membership.pk):
        if "/companies/PRO-ACMEXX" not in url or url.endswith(("/attestations", "/orders")):
            continue
        if method == "post" and url.endswith("/vehicles"):
            continue
        response = getattr(staff_api, method)(url, {"mode": "passport", "reason": "x"})
        assert response.status_code == 403, url
        assert response.json()["code"] == "attestation_required", url
    company.refresh_from_db()
    alice.refresh_from_db()
    assert company.verification_status == alice.verification_status == "unverified"


def test_it_needs_a_support_session_to_act_for_the_customer(attested_api, company, van, catalogue):
    for url, body in (
        (f"{ACME}/vehicles", {"vin": "W1V9076331P300123"}),
        (f"{ACME}/orders", {"pack": "connect-complete", "vehicles": [van.vin]}),
    ):
        response = attested_api.post(url, body)
        assert response.status_code == 403
        assert response.json()["code"] == "support_session_required"
    assert company.vehicles.count() == 1
    assert not Order.objects.exists()


def test_it_binds_windows_to_their_staff_member(api, sam, sid, company, open_support):
    open_support(sam, company)
    client = api(sid.user)
    assert client.get(ACME).json()["code"] == "attestation_required"
    assert client.post(f"{ACME}/vehicles", {"vin": "W1V9076331P300123"}).status_code == 403


def test_it_answers_404_for_unknown_companies_and_other_companies_objects(
    attested_api, company, other_company, oscar
):
    assert attested_api.get(f"{BASE}/companies/PRO-ZZZZZZ").status_code == 404
    assert attested_api.get(f"{BASE}/companies/bad").status_code == 404
    stranger = f.VehicleFactory(company=other_company)
    assert attested_api.post(f"{ACME}/vehicles/{stranger.vin}/verify").status_code == 404
    assert (
        attested_api.post(f"{ACME}/members/{oscar.membership.pk}/verify", {"mode": "passport"}).status_code
        == 404
    )
    stranger.refresh_from_db()
    oscar.refresh_from_db()
    assert stranger.verification_status == oscar.verification_status == "unverified"


# --- tokens ----------------------------------------------------------------------------------------------
def test_it_issues_a_token_for_a_dealer_id_and_password(anon_api, sam, company):
    response = anon_api.post(
        f"{BASE}/auth/tokens", {"d5_id": "d5sam001", "password": PASSWORD, "name": "desk"}
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "token", "created"}
    assert ApiToken.objects.get(pk=body["id"]).user == sam.user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get(f"{BASE}/companies", {"pro_id": "PRO-ACMEXX"}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"d5_id": "D5SAM001", "password": "wrong", "name": "desk"},
        {"d5_id": "alice@acme.example", "password": PASSWORD, "name": "desk"},
        {"d5_id": "D5SAM001", "password": PASSWORD},
        {"d5_id": "x" * 10_000, "password": PASSWORD, "name": "desk"},
    ],
)
def test_it_refuses_bad_token_requests(anon_api, sam, alice, body):
    response = anon_api.post(f"{BASE}/auth/tokens", body)
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_it_holds_a_staff_member_to_the_token_cap(anon_api, sam):
    # The same cap as a customer's tokens (users.services.api_token_create), not a second door.
    for number in range(MAX_TOKENS):
        ApiToken.issue(user=sam.user, name=f"script {number}")
    response = anon_api.post(
        f"{BASE}/auth/tokens", {"d5_id": "D5SAM001", "password": PASSWORD, "name": "desk"}
    )
    assert response.status_code == 400
    assert "Revoke one" in str(response.json())
    assert ApiToken.objects.filter(user=sam.user).count() == MAX_TOKENS
    assert not ApiToken.objects.filter(name="desk").exists()


# --- search ----------------------------------------------------------------------------------------------
def test_it_searches_companies(staff_api, company):
    expected = [
        {
            "pro_id": "PRO-ACMEXX",
            "name": "ACME Transport ApS",
            "street": "Havnegade 4",
            "postal_code": "8000",
            "city": "Aarhus",
            "country": "DK",
            "verification_status": "unverified",
        }
    ]
    assert staff_api.get(f"{BASE}/companies", {"pro_id": " acmexx "}).json() == expected
    by_place = {"name": " acme transport aps", "postal_code": "8000 ", "city": "AARHUS"}
    assert staff_api.get(f"{BASE}/companies", by_place).json() == expected
    assert staff_api.get(f"{BASE}/companies", {"pro_id": "PRO-NOSUCH"}).json() == []


@pytest.mark.parametrize(
    "query, field",
    [
        ({}, "non_field_errors"),
        ({"name": "ACME Transport ApS", "postal_code": "8000"}, "city"),
        ({"pro_id": "PRO-1234"}, "pro_id"),
        ({"pro_id": "x" * 10_000}, "pro_id"),
        ({"name": "x" * 10_000, "postal_code": "8000", "city": "Aarhus"}, "name"),
    ],
)
def test_it_answers_400_to_incomplete_or_malformed_searches(staff_api, company, query, field):
    response = staff_api.get(f"{BASE}/companies", query)
    assert response.status_code == 400
    assert field in response.json()


def test_it_throttles_searches_with_retry_after(staff_api, company, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "retail_search": "2/min",
        },
    }
    for _ in range(2):
        assert staff_api.get(f"{BASE}/companies", {"pro_id": "PRO-ACMEXX"}).status_code == 200
    response = staff_api.get(f"{BASE}/companies", {"pro_id": "PRO-ACMEXX"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# --- attestation, company --------------------------------------------------------------------------------
def test_it_opens_the_company_with_an_attestation(staff_api, sam, company, alice):
    assert staff_api.post(f"{ACME}/attestations", {"identity_checked": False}).status_code == 400
    assert staff_api.post(f"{ACME}/attestations", {}).status_code == 400
    response = staff_api.post(f"{BASE}/companies/pro-acmexx/attestations", {"identity_checked": True})
    assert response.status_code == 201
    assert set(response.json()) == {"id", "pro_id", "expires_at"}
    body = staff_api.get(ACME).json()
    assert body["pro_id"] == "PRO-ACMEXX" and body["verification_status"] == "unverified"
    assert body["administrator"]["email"] == "alice@acme.example"
    assert body["administrator"]["verification"] == {
        "status": "unverified",
        "mode": "",
        "verified_at": None,
        "grace_until": None,
    }


def test_it_verifies_and_rejects_the_company(attested_api, company):
    response = attested_api.post(f"{ACME}/reject", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()
    assert attested_api.post(f"{ACME}/reject", {}).status_code == 400
    response = attested_api.post(f"{ACME}/reject", {"reason": "Wrong VAT number"})
    assert response.json()["verification_status"] == "rejected"
    assert response.json()["rejection_reason"] == "Wrong VAT number"
    for _ in range(2):
        response = attested_api.post(f"{ACME}/verify")
        assert response.status_code == 200 and response.json()["verification_status"] == "verified"
    assert AuditEvent.objects.filter(action="retail.company_verified").count() == 1
    response = attested_api.post(f"{ACME}/reject", {"reason": "Too late"})
    assert response.status_code == 409 and response.json()["code"] == "already_verified"


# --- members -------------------------------------------------------------------------------------------
def test_it_lists_and_verifies_members(attested_api, company, alice, fred, dora):
    body = attested_api.get(f"{ACME}/members").json()
    assert {m["email"] for m in body["results"]} == {alice.email, fred.email, dora.email}
    assert "next" in body
    url = f"{ACME}/members/{alice.membership.pk}/verify"
    for bad in ({}, {"mode": "driving_licence"}, {"mode": "x" * 10_000}):
        response = attested_api.post(url, bad)
        assert response.status_code == 400 and "mode" in response.json()
    response = attested_api.post(url, {"mode": "passport"})
    assert response.status_code == 200
    assert response.json()["verification"]["status"] == "verified"
    assert response.json()["verification"]["mode"] == "passport"
    attested_api.post(url, {"mode": "id_card"})
    alice.refresh_from_db()
    assert alice.verification_mode == "passport"
    assert AuditEvent.objects.filter(action="retail.member_verified").count() == 1


def test_it_lists_members_in_a_fixed_number_of_queries(
    attested_api, company, alice, django_assert_max_num_queries
):
    for _ in range(15):
        f.MembershipFactory(company=company, role="driver")
    with django_assert_max_num_queries(10):
        assert len(attested_api.get(f"{ACME}/members").json()["results"]) == 16


# --- vehicles -------------------------------------------------------------------------------------------
def test_it_lists_searches_verifies_and_rejects_vehicles(attested_api, company, van):
    other = f.VehicleFactory(company=company)
    body = attested_api.get(f"{ACME}/vehicles").json()
    assert {v["vin"] for v in body["results"]} == {van.vin, other.vin}
    body = attested_api.get(f"{ACME}/vehicles", {"vin": van.vin.lower()}).json()
    assert [v["vin"] for v in body["results"]] == [van.vin]
    assert attested_api.post(f"{ACME}/vehicles/{other.vin}/reject", {"reason": ""}).status_code == 400
    response = attested_api.post(f"{ACME}/vehicles/{other.vin}/reject", {"reason": "Not this customer's van"})
    assert response.json()["verification_status"] == "rejected"
    response = attested_api.post(f"{ACME}/vehicles/{van.vin.lower()}/verify")
    assert response.status_code == 200 and response.json()["verification_status"] == "verified"
    assert response.json()["vin"] == van.vin


def test_it_searches_vehicles_by_a_part_of_the_vin_as_the_page_does(
    attested_api, staff_client, sam, company, van, other_company
):
    other = f.VehicleFactory(company=company, vin="W1V9076331P100777")
    f.VehicleFactory(company=other_company, vin="W1V9076331P700777")
    page_url = f"/retail/companies/{company.pro_id}/vehicles/"
    for query, expected in ((" 100 777 ", [other.vin]), ("p100", [other.vin, van.vin]), ("700777", [])):
        body = attested_api.get(f"{ACME}/vehicles", {"vin": query}).json()
        assert sorted(v["vin"] for v in body["results"]) == sorted(expected), query
        page = staff_client(sam).get(page_url, {"vin": query})
        assert sorted(v.vin for v in page.context["page"]) == sorted(expected), query


def test_it_lists_vehicles_in_a_fixed_number_of_queries(
    attested_api, company, catalogue, django_assert_max_num_queries
):
    for _ in range(20):
        vehicle = f.VehicleFactory(company=company)
        f.SubscriptionFactory(
            order=f.OrderFactory(company=company, pack=catalogue["connect-complete"]), vehicle=vehicle
        )
    with django_assert_max_num_queries(10):
        assert len(attested_api.get(f"{ACME}/vehicles").json()["results"]) == 20


def test_it_starts_activation_when_the_last_verification_comes_through_the_api(
    attested_api, company, alice, van, waiting_subscription, django_capture_on_commit_callbacks
):
    attested_api.post(f"{ACME}/verify")
    attested_api.post(f"{ACME}/members/{alice.membership.pk}/verify", {"mode": "personally_known"})
    with django_capture_on_commit_callbacks(execute=True):
        attested_api.post(f"{ACME}/vehicles/{van.vin}/verify")
    waiting_subscription.refresh_from_db()
    assert waiting_subscription.status == "active"


def test_it_transfers_a_vin(attested_api, sam, company, other_company, oscar, open_support):
    held = f.VehicleFactory(company=other_company)
    refused = attested_api.post(f"{ACME}/transfers", {"vin": held.vin, "registration_checked": True})
    assert refused.status_code == 403 and refused.json()["code"] == "support_session_required"
    held.refresh_from_db()
    assert held.company == other_company
    open_support(sam, company)
    assert attested_api.post(f"{ACME}/transfers", {"vin": held.vin}).status_code == 400
    response = attested_api.post(f"{ACME}/transfers", {"vin": held.vin.lower(), "registration_checked": True})
    assert response.status_code == 201 and response.json()["vin"] == held.vin
    held.refresh_from_db()
    assert held.company == company


# --- support sessions and acting for the customer ------------------------------------------------------------
def test_it_opens_support_sessions_and_limits_wrong_passwords(attested_api, company, support_password):
    url = f"{ACME}/support-sessions"
    assert attested_api.post(url, {}).status_code == 400
    for _ in range(5):
        response = attested_api.post(url, {"support_password": "guess"})
        assert response.status_code == 403
        assert response.json()["code"] == "wrong_support_password"
        assert "guess" not in str(response.json())
    response = attested_api.post(url, {"support_password": SUPPORT_PASSWORD})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert SupportPasswordAttempt.objects.count() == 6
    assert not SupportSession.objects.exists()


def test_it_acts_for_the_customer_in_a_support_session(
    attested_api, sam, company, van, catalogue, pack_terms, support_password
):
    response = attested_api.post(f"{ACME}/support-sessions", {"support_password": SUPPORT_PASSWORD})
    assert response.status_code == 201 and "expires_at" in response.json()
    response = attested_api.post(f"{ACME}/vehicles", {"vin": "w1v9076331p300123", "licence_plate": "cd 1"})
    assert response.status_code == 201
    assert response.json()["vin"] == "W1V9076331P300123" and response.json()["licence_plate"] == "CD 1"
    assert attested_api.post(f"{ACME}/vehicles", {"vin": "W1V9076331P300123"}).status_code == 400
    f.VehicleFactory(company=f.CompanyFactory(), vin="W1V9076331P400009")
    response = attested_api.post(f"{ACME}/vehicles", {"vin": "W1V9076331P400009"})
    assert response.status_code == 409 and response.json()["code"] == "vin_registered"
    response = attested_api.post(
        f"{ACME}/orders", {"pack": "connect-complete", "vehicles": [van.vin, "W1V9076331P300123"]}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["pack"] == "connect-complete" and len(body["subscriptions"]) == 2
    assert body["total"]["currency"] == "DKK"
    assert "Glostrup Van Centre" in body["placed_by"]
    response = attested_api.post(f"{ACME}/orders", {"pack": "connect-complete", "vehicles": [van.vin]})
    assert response.status_code == 409 and response.json()["code"] == "already_subscribed"
    assert Order.objects.count() == 1


# --- registrations ---------------------------------------------------------------------------------------
REGISTRATION = {
    "admin": {
        "email": "karen@nordlys.example",
        "first_name": "Karen",
        "last_name": "Holm",
        "birth_date": "1981-04-02",
        "phone": "+4520304050",
    },
    "company": {
        "name": "Nordlys Kurér ApS",
        "manager_name": "Karen Holm",
        "street": "Vestergade 3",
        "postal_code": "8000",
        "city": "Aarhus C",
        "country": "DK",
        "email": "office@nordlys.example",
        "phone": "+4586120000",
        "accept_terms": True,
    },
}


def test_it_registers_a_company_for_a_customer(staff_api, sam, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(f"{BASE}/registrations", REGISTRATION, format="json")
    assert response.status_code == 201
    pro_id = response.json()["pro_id"]
    company = Company.objects.get(pro_id=pro_id)
    assert company.memberships.get().user.email == "karen@nordlys.example"
    assert [m.to for m in mail.outbox] == [["karen@nordlys.example"]]


def test_it_refuses_bad_registrations_naming_the_part(staff_api, alice):
    bad_admin = {**REGISTRATION, "admin": {**REGISTRATION["admin"], "email": alice.email}}
    response = staff_api.post(f"{BASE}/registrations", bad_admin, format="json")
    assert response.status_code == 400 and "email" in response.json()["admin"]
    bad_company = {**REGISTRATION, "company": {**REGISTRATION["company"], "postal_code": "ABCDEFGHIJ"}}
    response = staff_api.post(f"{BASE}/registrations", bad_company, format="json")
    assert response.status_code == 400 and "postal_code" in response.json()["company"]
    response = staff_api.post(f"{BASE}/registrations", {"admin": {}}, format="json")
    assert response.status_code == 400 and "company" in response.json()
    assert not Company.objects.filter(name="Nordlys Kurér ApS").exists()
    assert not Vehicle.objects.exists()


def test_it_documents_the_retail_api_in_the_schema(client):
    schema = client.get("/api/v1/schema/").content.decode()
    for path in (
        "/api/v1/retail/companies/{pro_id}/support-sessions",
        "/api/v1/retail/registrations",
        "/api/v1/retail/auth/tokens",
    ):
        assert path in schema
