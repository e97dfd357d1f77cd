"""The fleet REST API (API.md) through DRF's APIClient."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from companies.models import AuditEvent, Role
from tests import factories as f
from vehicles.models import Vehicle, VehicleImport

from .conftest import vin

pytestmark = pytest.mark.django_db

FIELDS = {
    "vin",
    "make",
    "model",
    "model_year",
    "fuel",
    "licence_plate",
    "nickname",
    "verification_status",
    "module_status",
    "workshop",
    "driver",
    "subscriptions",
}


def path(suffix=""):
    return f"/api/v1/vehicles{suffix}"


# --- access ---------------------------------------------------------------------------------------
ENDPOINTS = [
    ("get", "/api/v1/vehicles"),
    ("post", "/api/v1/vehicles"),
    ("get", "/api/v1/vehicles/{vin}"),
    ("patch", "/api/v1/vehicles/{vin}"),
    ("delete", "/api/v1/vehicles/{vin}"),
    ("put", "/api/v1/vehicles/{vin}/driver"),
    ("delete", "/api/v1/vehicles/{vin}/driver"),
    ("put", "/api/v1/vehicles/{vin}/workshop"),
    ("post", "/api/v1/vehicles/imports"),
    ("get", "/api/v1/vehicles/imports/1"),
    ("get", "/api/v1/dealers"),
]


@pytest.mark.parametrize("method, template", ENDPOINTS)
def test_it_requires_credentials(anon_api, van, method, template):
    response = getattr(anon_api, method)(template.format(vin=van.vin), {"nickname": "anon"})
    assert response.status_code in (401, 403)
    assert response.status_code == 401  # API.md: 401 without credentials
    van.refresh_from_db()
    assert Vehicle.objects.filter(pk=van.pk).exists()
    assert van.nickname == "Blue van" and Vehicle.objects.count() == 1


@pytest.mark.parametrize("method, template", [e for e in ENDPOINTS if "{vin}" in e[1]])
def test_it_hides_another_companys_van(api, alice, other_van, method, template):
    before = (other_van.licence_plate, other_van.nickname, other_van.driver_id, other_van.workshop_id)
    response = getattr(api(alice), method)(
        template.format(vin=other_van.vin), {"nickname": "mine", "dealer_code": "X", "member_id": 1}
    )
    assert response.status_code == 404
    other_van.refresh_from_db()
    assert (other_van.licence_plate, other_van.nickname, other_van.driver_id, other_van.workshop_id) == before


@pytest.mark.parametrize(
    "method, template",
    [
        ("post", "/api/v1/vehicles"),
        ("patch", "/api/v1/vehicles/{vin}"),
        ("delete", "/api/v1/vehicles/{vin}"),
        ("put", "/api/v1/vehicles/{vin}/workshop"),
        ("post", "/api/v1/vehicles/imports"),
        ("get", "/api/v1/vehicles/imports/1"),
        ("get", "/api/v1/dealers"),
    ],
)
def test_it_refuses_manager_endpoints_to_drivers(api, dora, driven_van, dealer, method, template):
    response = getattr(api(dora), method)(
        template.format(vin=driven_van.vin), {"vin": vin(5), "nickname": "x", "dealer_code": dealer.code}
    )
    assert response.status_code == 403
    driven_van.refresh_from_db()
    assert driven_van.nickname == "Dora's van" and driven_van.workshop is None
    assert not Vehicle.objects.filter(vin=vin(5)).exists()


def test_it_refuses_dealer_staff_on_customer_endpoints(api, sam, van):
    assert api(sam.user).get(path()).status_code == 404


def test_it_refuses_users_without_company(api, newcomer):
    assert api(newcomer).get(path()).status_code == 403


# --- list ------------------------------------------------------------------------------------------
def test_it_lists_the_companys_vans_with_the_contract_fields(
    api, fred, van, other_van, dealer, live_subscription
):
    van.company.default_workshop = dealer
    van.company.save()
    body = api(fred).get(path()).json()
    assert set(body) == {"next", "previous", "results"}
    assert [v["vin"] for v in body["results"]] == [van.vin]
    item = body["results"][0]
    assert FIELDS <= set(item)
    assert item["workshop"]["code"] == dealer.code and item["workshop_source"] == "company_default"
    assert item["subscriptions"] == [
        {"id": live_subscription.pk, "pack": live_subscription.pack.code, "status": "active"}
    ]
    assert item["driver"] is None


def test_it_filters_the_list(api, fred, company, driven_van):
    electric = f.VehicleFactory(
        company=company, vin=vin(41), fuel="electric", verification_status="verified", licence_plate="EL 1"
    )
    client = api(fred)

    def vins(**params):
        return {v["vin"] for v in client.get(path(), params).json()["results"]}

    assert vins(fuel="electric") == {electric.vin}
    assert vins(verification_status="verified") == {electric.vin}
    assert vins(driver="yes") == {driven_van.vin}
    assert vins(driver="no") == {electric.vin}
    assert vins(search="el 1") == {electric.vin}
    assert vins(search=driven_van.vin.lower()) == {driven_van.vin}
    assert client.get(path(), {"fuel": "steam"}).status_code == 400


def test_it_pages_with_a_cursor(api, fred, company):
    for n in range(5):
        f.VehicleFactory(company=company, vin=vin(60 + n))
    client = api(fred)
    first = client.get(path(), {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert not {v["vin"] for v in first["results"]} & {v["vin"] for v in second["results"]}


def test_it_keeps_the_list_query_count_flat(api, fred, company, dealer, django_assert_max_num_queries):
    def fill(n):
        for _ in range(n):
            vehicle = f.VehicleFactory(company=company, workshop=dealer)
            f.SubscriptionFactory(order__company=company, vehicle=vehicle)
            dan = f.UserFactory()
            f.MembershipFactory(user=dan, company=company, role=Role.DRIVER)
            Vehicle.objects.filter(pk=vehicle.pk).update(driver=dan)

    client = api(fred)
    fill(2)
    with django_assert_max_num_queries(10) as few:
        assert client.get(path()).status_code == 200
    fill(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(path()).json()
    assert len(body["results"]) == 27
    assert all(v["driver"]["member_id"] for v in body["results"])


def test_the_lean_list_says_exactly_what_the_van_serializer_says(
    api, fred, company, dealer, other_dealer, driven_van, van, live_subscription
):
    """GET /vehicles builds its page from plain rows (vehicles.api.vehicle_list_data); every
    item must be what VehicleSerializer gives for the same van, whatever it points to."""
    from vehicles.api import VehicleSerializer
    from vehicles.selectors import vehicle_for_page

    company.default_workshop = dealer
    company.save()
    own = f.VehicleFactory(company=company, vin=vin(77), workshop=other_dealer, model_year=2024)
    f.SubscriptionFactory(order__company=company, vehicle=own, status="cancelled")
    f.SubscriptionFactory(order__company=company, vehicle=own, status="active")
    f.SubscriptionFactory(order__company=company, vehicle=van, status="expired")
    nameless = f.UserFactory(first_name="", last_name="")
    f.MembershipFactory(user=nameless, company=company, role=Role.DRIVER)
    bare = f.VehicleFactory(company=company, vin=vin(78))
    Vehicle.objects.filter(pk=bare.pk).update(driver=nameless)

    def expected():
        items = api(fred).get(path()).json()["results"]
        assert len(items) == 4
        company.refresh_from_db()
        return items, [VehicleSerializer(vehicle_for_page(company, item["vin"])).data for item in items]

    items, serialized = expected()
    assert items == serialized
    assert [list(item) for item in items] == [list(data) for data in serialized]  # same key order
    company.default_workshop = None
    company.save()
    items, serialized = expected()
    assert items == serialized and any(item["workshop"] is None for item in items)


def test_it_shows_a_driver_only_the_free_vans(api, dora, driven_van, van):
    body = api(dora).get(path()).json()
    assert [v["vin"] for v in body["results"]] == [van.vin]


# --- one van ---------------------------------------------------------------------------------------
def test_it_adds_a_van(api, fred, company):
    response = api(fred).post(
        path(), {"vin": " w1v9076331p000321 ", "licence_plate": "ab 3", "nickname": "API van"}
    )
    assert response.status_code == 201
    body = response.json()
    assert FIELDS <= set(body)
    assert (body["vin"], body["make"], body["model"], body["licence_plate"]) == (
        "W1V9076331P000321",
        "Mercedes-Benz",
        "Sprinter",
        "AB 3",
    )
    assert body["verification_status"] == "unverified" and body["subscriptions"] == []
    assert Vehicle.objects.filter(company=company, vin="W1V9076331P000321").exists()


@pytest.mark.parametrize(
    "value", ["W1V907633", "WF0XXXTTGXKA12345", "W1VO076331P000321", "ZZZ9076331P000123", ""]
)
def test_it_answers_400_for_bad_vins(api, fred, value):
    response = api(fred).post(path(), {"vin": value})
    assert response.status_code == 400
    assert "vin" in response.json()
    assert not Vehicle.objects.exists()


def test_it_answers_400_for_a_vin_already_in_the_fleet(api, fred, van):
    response = api(fred).post(path(), {"vin": van.vin})
    assert response.status_code == 400 and "already in your fleet" in response.json()["vin"][0]


def test_it_answers_409_for_a_vin_of_another_company(api, fred, other_van):
    response = api(fred).post(path(), {"vin": other_van.vin.lower()})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "vin_registered" and other_van.company.name not in body["detail"]
    assert Vehicle.objects.get(vin=other_van.vin).company == other_van.company


def test_it_gets_a_van_by_vin_in_any_case(api, fred, van):
    response = api(fred).get(path(f"/{van.vin.lower()}"))
    assert response.status_code == 200 and response.json()["vin"] == van.vin
    assert api(fred).get(path(f"/{van.vin}/")).status_code == 200


def test_it_lets_a_driver_read_their_van_but_not_others_that_are_taken(api, dora, driven_van, company):
    client = api(dora)
    assert client.get(path(f"/{driven_van.vin}")).json()["driver"]["email"] == "dora@acme.example"
    dan = f.UserFactory()
    f.MembershipFactory(user=dan, company=company, role=Role.DRIVER)
    taken = f.VehicleFactory(company=company, driver=dan)
    assert client.get(path(f"/{taken.vin}")).status_code == 403


def test_it_patches_plate_and_nickname(api, fred, van):
    response = api(fred).patch(path(f"/{van.vin}"), {"nickname": "Renamed"})
    assert response.status_code == 200 and response.json()["nickname"] == "Renamed"
    van.refresh_from_db()
    assert (van.nickname, van.licence_plate) == ("Renamed", "AB 10 001")


def test_it_answers_400_for_a_too_long_plate(api, fred, van):
    response = api(fred).patch(path(f"/{van.vin}"), {"licence_plate": "X" * 16})
    assert response.status_code == 400 and "licence_plate" in response.json()
    van.refresh_from_db()
    assert van.licence_plate == "AB 10 001"


def test_it_deletes_a_van(api, alice, van):
    assert api(alice).delete(path(f"/{van.vin}")).status_code == 204
    assert not Vehicle.objects.filter(pk=van.pk).exists()


def test_it_answers_409_when_deleting_a_van_with_a_live_service(api, alice, live_subscription):
    response = api(alice).delete(path(f"/{live_subscription.vehicle.vin}"))
    assert response.status_code == 409 and response.json()["code"] == "live_subscription"
    assert Vehicle.objects.filter(pk=live_subscription.vehicle_id).exists()


# --- driver ----------------------------------------------------------------------------------------
def test_it_assigns_and_releases_a_driver(api, fred, van, dora):
    client = api(fred)
    response = client.put(path(f"/{van.vin}/driver"), {"member_id": dora.membership.pk})
    assert response.status_code == 200 and response.json()["driver"]["member_id"] == dora.membership.pk
    assert client.delete(path(f"/{van.vin}/driver")).status_code == 204
    van.refresh_from_db()
    assert van.driver is None


def test_it_answers_400_for_a_member_who_is_not_a_driver(api, fred, van, alice, oscar):
    client = api(fred)
    response = client.put(path(f"/{van.vin}/driver"), {"member_id": alice.membership.pk})
    assert response.status_code == 400 and "member_id" in response.json()
    response = client.put(path(f"/{van.vin}/driver"), {"member_id": oscar.membership.pk})
    assert response.status_code == 400 and "member_id" in response.json()
    assert client.put(path(f"/{van.vin}/driver"), {}).status_code == 400
    van.refresh_from_db()
    assert van.driver is None


def test_it_lets_a_driver_take_a_free_van_and_give_it_back(api, dora, van):
    client = api(dora)
    response = client.put(path(f"/{van.vin}/driver"), {})
    assert response.status_code == 200 and response.json()["driver"]["email"] == dora.email
    assert client.delete(path(f"/{van.vin}/driver")).status_code == 204
    van.refresh_from_db()
    assert van.driver is None
    assert AuditEvent.objects.filter(action="driver.assigned", actor=dora).exists()


def test_it_refuses_a_driver_a_taken_van_or_assigning_someone_else(api, dora, driven_van, company, van):
    dan = f.UserFactory()
    f.MembershipFactory(user=dan, company=company, role=Role.DRIVER)
    client = api(dan)
    assert client.put(path(f"/{driven_van.vin}/driver"), {}).status_code == 403
    assert client.delete(path(f"/{driven_van.vin}/driver")).status_code == 403
    assert client.put(path(f"/{van.vin}/driver"), {"member_id": dora.membership.pk}).status_code == 403
    driven_van.refresh_from_db()
    van.refresh_from_db()
    assert driven_van.driver == dora and van.driver is None


# --- workshop ----------------------------------------------------------------------------------------
def test_it_chooses_and_clears_a_workshop(api, fred, van, dealer):
    client = api(fred)
    response = client.put(path(f"/{van.vin}/workshop"), {"dealer_code": dealer.code.lower()})
    assert response.status_code == 200 and response.json()["workshop"]["code"] == dealer.code
    assert response.json()["workshop_source"] == "vehicle"
    assert (
        client.put(path(f"/{van.vin}/workshop"), {"dealer_code": None}, format="json").json()["workshop"]
        is None
    )


def test_it_answers_400_for_an_unknown_workshop(api, fred, van):
    response = api(fred).put(path(f"/{van.vin}/workshop"), {"dealer_code": "NOPE"})
    assert response.status_code == 400 and "dealer_code" in response.json()


# --- imports ---------------------------------------------------------------------------------------
def test_it_imports_a_csv(api, fred, company, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile(
        "fleet.csv", f"vin;licence_plate;nickname\n{vin(1)};A;One\nW1V;B;Two\n".encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api(fred).post(path("/imports"), {"file": upload, "dry_run": "false"}, format="multipart")
    assert response.status_code == 202
    body = response.json()
    assert {"id", "status", "total", "processed", "created", "errors"} <= set(body)
    assert (body["status"], body["total"]) == ("pending", 2)  # the task runs after the commit
    again = api(fred).get(path(f"/imports/{body['id']}")).json()
    assert (again["status"], again["processed"], again["created"]) == ("done", 2, 1)
    assert again["errors"] == [{"row": 3, "vin": "W1V", "message": again["errors"][0]["message"]}]
    assert "17 characters" in again["errors"][0]["message"]


def test_it_answers_400_for_an_unusable_file(api, fred):
    response = api(fred).post(
        path("/imports"), {"file": SimpleUploadedFile("x.csv", b"nothing,here\n1,2\n")}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()
    assert not VehicleImport.objects.exists()


def test_it_reads_an_import_without_its_file(api, fred, company):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    vehicle_import = VehicleImport.objects.create(
        company=company, content="vin\n" + f"{vin(1)}\n" * 1000, total=1000, processed=500, status="running"
    )
    client = api(fred)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(path(f"/imports/{vehicle_import.pk}")).json()
    assert (body["id"], body["status"], body["processed"]) == (vehicle_import.pk, "running", 500)
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "vehicles_vehicleimport"' in q["sql"]]
    assert len(reads) == 1 and '"content"' not in reads[0]


def test_it_hides_another_companys_import(api, oscar, company):
    vehicle_import = VehicleImport.objects.create(company=company, content="vin\n", total=0)
    assert api(oscar).get(path(f"/imports/{vehicle_import.pk}")).status_code == 404


# --- dealers -----------------------------------------------------------------------------------------
def test_it_lists_and_searches_dealers(api, fred, dealer, other_dealer):
    client = api(fred)
    body = client.get("/api/v1/dealers").json()
    assert {d["code"] for d in body["results"]} == {dealer.code, other_dealer.code}
    assert set(body["results"][0]) == {"code", "name", "street", "postal_code", "city", "country", "phone"}
    assert [d["code"] for d in client.get("/api/v1/dealers", {"city": " odense "}).json()["results"]] == [
        other_dealer.code
    ]
    assert [d["code"] for d in client.get("/api/v1/dealers", {"postal_code": "26"}).json()["results"]] == [
        dealer.code
    ]
    assert [d["code"] for d in client.get("/api/v1/dealers", {"search": "glostrup"}).json()["results"]] == [
        dealer.code
    ]


def test_it_answers_400_for_a_file_over_the_limit(api, fred, settings):
    settings.VEHICLE_IMPORT_MAX_BYTES = 2048
    big = SimpleUploadedFile("big.csv", b"vin\n" + b"W1V9076331P000001\n" * 500)
    response = api(fred).post(path("/imports"), {"file": big}, format="multipart")
    assert response.status_code == 400 and "limit" in response.json()["file"][0]
    assert not VehicleImport.objects.exists() and not Vehicle.objects.exists()


def test_it_answers_400_for_a_missing_file_or_bad_flag(api, fred):
    assert "file" in api(fred).post(path("/imports"), {}, format="multipart").json()
    upload = SimpleUploadedFile("f.csv", b"vin\nW1V9076331P000001\n")
    response = api(fred).post(path("/imports"), {"file": upload, "dry_run": "perhaps"}, format="multipart")
    assert response.status_code == 400 and "dry_run" in response.json()
    assert not VehicleImport.objects.exists()


def test_it_answers_400_for_a_broken_cursor(api, fred, van):
    # A cursor is input like any other: a bad one is a 400 with the field named (issue 17, item 10).
    response = api(fred).get(path(), {"cursor": "garbage"})
    assert response.status_code == 400 and "cursor" in response.json()


def test_it_finds_dealers_by_postal_code_in_any_case(api, alice):
    from companies.models import Dealer

    Dealer.objects.create(
        code="GB001",
        name="London Vans",
        street="1 High St",
        postal_code="SW1A 1AA",
        city="London",
        country="GB",
    )
    for query in ("postal_code=sw1a", "postal_code=SW1A", "search=sw1a 1"):
        codes = [d["code"] for d in api(alice).get(f"/api/v1/dealers?{query}").json()["results"]]
        assert codes == ["GB001"], query
