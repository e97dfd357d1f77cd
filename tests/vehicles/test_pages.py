"""The fleet pages through the Django test client: each for anonymous visitors, another company,
the wrong role, and what it does."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import AuditEvent, Company, Role
from tests import factories as f
from vehicles.models import DriverAssignment, Vehicle, VehicleImport

from .conftest import vin

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"vehicles:{name}", args=args)


# --- access ------------------------------------------------------------------------------------
MANAGER_PAGES = [
    ("add", False),
    ("vin_check", False),
    ("workshops", False),
    ("import", False),
    ("edit", True),
    ("remove", True),
]


@pytest.mark.parametrize("name, by_vin", [("list", False), ("detail", True), *MANAGER_PAGES])
def test_it_sends_anonymous_visitors_to_the_login(client, van, name, by_vin):
    response = client.get(url(name, van.vin) if by_vin else url(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["add", "vin_check", "workshops", "import"])
def test_it_refuses_manager_pages_to_drivers(login, dora, name):
    assert login(dora).get(url(name)).status_code == 403


@pytest.mark.parametrize("name", ["detail", "edit", "remove"])
def test_it_hides_another_companys_van(login, alice, other_van, name):
    assert login(alice).get(url(name, other_van.vin)).status_code == 404


@pytest.mark.parametrize("name", ["edit", "remove", "driver", "driver_release", "module_check"])
def test_it_refuses_van_writes_to_drivers_and_changes_nothing(login, driven_van, dora, name):
    response = login(dora).post(url(name, driven_van.vin), {"licence_plate": "HACK", "member": "1"})
    assert response.status_code == 403
    driven_van.refresh_from_db()
    assert driven_van.licence_plate != "HACK" and driven_van.driver == dora
    assert Vehicle.objects.filter(pk=driven_van.pk).exists()


@pytest.mark.parametrize("name", ["edit", "remove", "driver", "driver_release", "module_check"])
def test_it_hides_another_companys_van_from_writes(login, alice, other_van, dora, name):
    response = login(alice).post(url(name, other_van.vin), {"nickname": "mine", "member": dora.membership.pk})
    assert response.status_code == 404
    other_van.refresh_from_db()
    assert (other_van.nickname, other_van.driver, other_van.module_status) == ("Other van", None, "unknown")
    assert not AuditEvent.objects.filter(target=other_van.vin).exists()


def test_it_refuses_manager_writes_to_drivers_and_changes_nothing(login, dora, company, dealer):
    client = login(dora)
    assert client.post(url("add"), {"vin": vin(700)}).status_code == 403
    assert client.post(url("workshops"), {"dealer_code": dealer.code}).status_code == 403
    upload = SimpleUploadedFile("fleet.csv", f"vin\n{vin(701)}\n".encode())
    assert client.post(url("import"), {"file": upload}).status_code == 403
    assert not Vehicle.objects.exists() and not VehicleImport.objects.exists()
    assert Company.objects.get(pk=company.pk).default_workshop is None


def test_it_shows_a_driver_their_van_without_the_managers_controls(login, dora, driven_van):
    body = login(dora).get(url("detail", driven_van.vin)).content.decode()
    assert driven_van.vin in body
    for name in ("edit", "remove", "driver", "driver_release", "module_check"):
        assert url(name, driven_van.vin) not in body, name


def test_it_sends_dealer_staff_away_from_fleet_pages(login, sam, van):
    assert login(sam.user).get(url("list")).status_code == 404


# --- overview ----------------------------------------------------------------------------------
def test_it_lists_the_companys_vans_only(login, fred, van, other_van, dealer):
    van.company.default_workshop = dealer
    van.company.save()
    response = login(fred).get(url("list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert van.vin in body and other_van.vin not in body
    assert "Not verified" in body and "unverified" in body  # red triangle with text
    assert dealer.name in body
    # Each van links to its page, and its fuel reads as its label (both set once per page).
    assert f'<a class="vin" href="{url("detail", van.vin)}">{van.vin}</a>' in body
    assert f"<td>{van.get_fuel_display()}</td>" in body


def test_it_searches_by_vin_plate_and_nickname(login, fred, company):
    f.VehicleFactory(company=company, vin=vin(11), licence_plate="XY 11 111", nickname="Harbour")
    f.VehicleFactory(company=company, vin=vin(22), licence_plate="ZZ 22 222", nickname="Airport")
    client = login(fred)
    for term in ("w1v9076331p000011", "xy 11", "harb"):
        body = client.get(url("list"), {"search": term}).content.decode()
        assert vin(11) in body and vin(22) not in body, term


def test_it_filters_by_verification_fuel_and_driver(login, fred, company, driven_van):
    verified = f.VehicleFactory(company=company, vin=vin(31), verification_status="verified", fuel="electric")
    client = login(fred)
    body = client.get(url("list"), {"verification_status": "verified"}).content.decode()
    assert verified.vin in body and driven_van.vin not in body
    body = client.get(url("list"), {"fuel": "electric"}).content.decode()
    assert verified.vin in body and driven_van.vin not in body
    body = client.get(url("list"), {"driver": "yes"}).content.decode()
    assert driven_van.vin in body and verified.vin not in body
    body = client.get(url("list"), {"driver": "no"}).content.decode()
    assert verified.vin in body and driven_van.vin not in body


def test_the_filter_form_shows_each_requests_values_and_language(login, fred, company, van):
    """The form's HTML is kept per language and values (vehicles.overview.filters_html): each
    request still shows its own choices selected, in its own language."""
    client = login(fred)
    selected = '<option value="electric" selected>'
    assert selected in client.get(url("list"), {"fuel": "electric"}).content.decode()
    body = client.get(url("list")).content.decode()
    assert selected not in body and 'id="id_fuel"' in body and '<label for="id_fuel">Fuel</label>' in body
    assert 'value="Harbour"' in client.get(url("list"), {"search": "Harbour"}).content.decode()
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    body = client.get(url("list"), {"fuel": "electric"}).content.decode()
    assert selected in body and '<label for="id_fuel">Antrieb</label>' in body


def test_the_filter_form_is_rendered_once_for_the_same_language_and_values(
    login, fred, company, van, monkeypatch
):
    from vehicles import overview

    monkeypatch.setattr(overview, "_FILTERS_HTML", {})
    client = login(fred)
    for _ in range(3):
        client.get(url("list"), {"fuel": "electric"})
    client.get(url("list"))
    assert len(overview._FILTERS_HTML) == 2


def test_it_pages_and_sorts_with_a_keyset(login, fred, company, settings):
    from vehicles import views

    settings.DEBUG = False
    vins = [vin(500 + n) for n in range(7)]
    for n, value in enumerate(vins):
        f.VehicleFactory(company=company, vin=value, nickname=f"Van {n:02d}")
    original = views.PAGE_SIZE
    views.PAGE_SIZE = 3
    try:
        client = login(fred)
        seen, response = [], client.get(url("list"), {"sort": "vin"})
        pages = 0
        while True:
            pages += 1
            page = response.context["page"]
            seen += [v.vin for v in page.items]
            if not page.next_cursor:
                break
            response = client.get(url("list"), {"sort": "vin", "cursor": page.next_cursor})
        assert seen == sorted(vins) and pages == 3
        previous = client.get(url("list"), {"sort": "vin", "cursor": page.previous_cursor}).context["page"]
        assert [v.vin for v in previous.items] == sorted(vins)[3:6]
        descending = client.get(url("list"), {"sort": "-nickname"}).context["page"]
        assert [v.nickname for v in descending.items] == ["Van 06", "Van 05", "Van 04"]
    finally:
        views.PAGE_SIZE = original


def test_it_ignores_a_broken_cursor(login, fred, van):
    response = login(fred).get(url("list"), {"cursor": "not-base64!!", "sort": "nonsense"})
    assert response.status_code == 200 and van.vin in response.content.decode()


def test_it_keeps_the_overview_query_count_flat(login, fred, company, django_assert_max_num_queries, dealer):
    def fill(n):
        for _ in range(n):
            vehicle = f.VehicleFactory(company=company, workshop=dealer)
            f.SubscriptionFactory(order__company=company, vehicle=vehicle, status="active")
            dan = f.UserFactory()
            f.MembershipFactory(user=dan, company=company, role=Role.DRIVER)
            Vehicle.objects.filter(pk=vehicle.pk).update(driver=dan)

    client = login(fred)
    fill(2)
    with django_assert_max_num_queries(10) as few:
        client.get(url("list"))
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("list"))
    assert len(response.context["page"].items) == 22
    assert all(vehicle.driver_id for vehicle in response.context["page"].items)


def test_it_shows_a_driver_their_own_van(login, dora, driven_van):
    response = login(dora).get(url("list"))
    assert response.status_code == 302 and response["Location"] == url("detail", driven_van.vin)
    page = login(dora).get(url("detail", driven_van.vin))
    assert page.status_code == 200 and driven_van.vin in page.content.decode()


def test_it_tells_a_driver_without_van(login, dora, van):
    response = login(dora).get(url("list"))
    assert response.status_code == 200
    assert "No van is assigned to you at the moment." in response.content.decode()
    # The company's free van is offered to take; no other van's page is linked.
    assert f'action="/vehicles/{van.vin}/take/"' in response.content.decode()
    assert f'href="/vehicles/{van.vin}/"' not in response.content.decode()


def test_it_refuses_a_driver_another_van_of_the_company(login, dora, driven_van, van):
    assert login(dora).get(url("detail", van.vin)).status_code == 403


# --- add -----------------------------------------------------------------------------------------
def test_it_adds_a_van(login, fred, company):
    response = login(fred).post(
        url("add"), {"vin": " w1v 9076331p000042 ", "licence_plate": "ab 1", "nickname": "New"}
    )
    vehicle = Vehicle.objects.get(company=company)
    assert vehicle.vin == "W1V9076331P000042"
    assert response.status_code == 302 and response["Location"] == url("detail", vehicle.vin)


@pytest.mark.parametrize(
    "value, text",
    [
        ("W1V907633", "17 characters"),
        ("WF0XXXTTGXKA12345", "Ford"),
        ("W1VI076331P000042", "I, O or Q"),
        ("", "required"),
    ],
)
def test_it_shows_vin_errors_in_the_form_and_keeps_the_input(login, fred, value, text):
    response = login(fred).post(url("add"), {"vin": value, "nickname": "Kept nickname"})
    assert response.status_code == 200
    body = response.content.decode()
    assert text in body and "Kept nickname" in body
    assert not Vehicle.objects.exists()


def test_it_links_to_a_van_already_in_the_fleet(login, fred, van):
    body = login(fred).post(url("add"), {"vin": van.vin}).content.decode()
    assert "already in your fleet" in body and url("detail", van.vin) in body


def test_it_refuses_another_companys_vin_without_naming_it(login, fred, other_van):
    body = login(fred).post(url("add"), {"vin": other_van.vin}).content.decode()
    assert "another company" in body and other_van.company.name not in body
    assert Vehicle.objects.get(vin=other_van.vin).company == other_van.company


def test_it_checks_the_vin_while_typing(login, fred, van, other_van):
    client = login(fred)
    assert client.get(url("vin_check"), {"vin": "w1v9"}).json()["state"] == "incomplete"
    assert client.get(url("vin_check"), {"vin": "W1VO"}).json()["state"] == "invalid"
    ok = client.get(url("vin_check"), {"vin": vin(77)}).json()
    assert ok["state"] == "ok" and ok["decoded"]["model"] == "Sprinter"
    mine = client.get(url("vin_check"), {"vin": van.vin}).json()
    assert mine["state"] == "in_fleet" and mine["url"] == url("detail", van.vin)
    theirs = client.get(url("vin_check"), {"vin": other_van.vin}).json()
    assert theirs["state"] == "registered" and other_van.company.name not in str(theirs)


# --- vehicle page ----------------------------------------------------------------------------
def test_it_shows_the_van_page(login, fred, van, dealer, live_subscription):
    AuditEvent.objects.create(
        company=van.company, actor_kind="user", action="vehicle.added", target=van.vin, actor_name="Fred"
    )
    AuditEvent.objects.create(
        company=f.CompanyFactory(),
        actor_kind="user",
        action="vehicle.removed",
        target=van.vin,
        actor_name="Else",
    )
    body = login(fred).get(url("detail", van.vin)).content.decode()
    assert van.vin in body and "Not yet checked" in body
    assert "Van added" in body and "Van removed" not in body  # history of this company only
    assert live_subscription.pack.name in body
    # Not verified yet: the checklist says so, it never states the missing step as done.
    assert "The van is not verified by a dealer yet (registration document to be checked)" in body
    assert "The van is verified by a dealer" not in body


def test_it_edits_plate_and_nickname(login, fred, van):
    response = login(fred).post(url("edit", van.vin), {"licence_plate": "zz 9", "nickname": "Renamed"})
    assert response.status_code == 302
    van.refresh_from_db()
    assert (van.licence_plate, van.nickname) == ("ZZ 9", "Renamed")


def test_it_shows_edit_errors_without_saving(login, fred, van):
    response = login(fred).post(url("edit", van.vin), {"licence_plate": "X" * 16, "nickname": "Renamed"})
    assert response.status_code == 200 and "at most 15" in response.content.decode()
    van.refresh_from_db()
    assert van.nickname == "Blue van"


def test_it_removes_a_van(login, alice, van):
    assert login(alice).post(url("remove", van.vin)).status_code == 302
    assert not Vehicle.objects.filter(pk=van.pk).exists()


def test_it_refuses_to_remove_a_van_with_live_services_and_says_how(login, alice, live_subscription):
    van = live_subscription.vehicle
    page = login(alice).get(url("remove", van.vin)).content.decode()
    assert live_subscription.pack.name in page and "Cancel" in page
    response = login(alice).post(url("remove", van.vin))
    assert response.status_code == 200 and "live service" in response.content.decode()
    assert Vehicle.objects.filter(pk=van.pk).exists()


def test_it_assigns_changes_and_ends_a_driver(login, fred, van, dora):
    client = login(fred)
    client.post(url("driver", van.vin), {"member": dora.membership.pk})
    van.refresh_from_db()
    assert van.driver == dora
    client.post(url("driver_release", van.vin))
    van.refresh_from_db()
    assert van.driver is None and DriverAssignment.objects.get().ended_at is not None


def test_it_refuses_a_member_who_is_not_a_driver(login, fred, van, alice):
    response = login(fred).post(url("driver", van.vin), {"member": alice.membership.pk}, follow=True)
    assert "Choose a driver" in response.content.decode()
    # The select's empty choice says "Choose a driver" too: the refusal is the whole sentence.
    assert "Choose a driver from the list." in response.content.decode()
    van.refresh_from_db()
    assert van.driver is None


def test_it_checks_the_module_again(login, fred, company):
    without = f.VehicleFactory(company=company, vin=vin(912345))
    login(fred).post(url("module_check", without.vin))
    without.refresh_from_db()
    assert without.module_status == "absent"


# --- workshops -------------------------------------------------------------------------------
def test_it_browses_and_searches_workshops(login, fred, dealer, other_dealer):
    client = login(fred)
    body = client.get(url("workshops")).content.decode()
    assert dealer.name in body and other_dealer.name in body
    for term in ("odense", "5000", "Erhverv"):
        body = client.get(url("workshops"), {"search": term}).content.decode()
        assert other_dealer.name in body and dealer.name not in body, term


def test_it_sets_the_company_default_and_a_vans_workshop(login, fred, van, dealer, other_dealer):
    client = login(fred)
    client.post(url("workshops"), {"dealer_code": dealer.code})
    assert Company.objects.get(pk=van.company_id).default_workshop == dealer
    response = client.post(url("workshops"), {"dealer_code": other_dealer.code, "vehicle": van.vin})
    assert response.status_code == 302
    van.refresh_from_db()
    assert van.workshop == other_dealer


def test_it_says_a_workshop_code_is_unknown_and_changes_nothing(login, fred, van, dealer):
    client = login(fred)
    client.post(url("workshops"), {"dealer_code": dealer.code})
    response = client.post(url("workshops"), {"dealer_code": "NOPE", "vehicle": van.vin})
    assert response.status_code == 200
    assert "There is no workshop with this code." in response.content.decode()
    van.refresh_from_db()
    assert van.workshop is None
    assert Company.objects.get(pk=van.company_id).default_workshop == dealer


def test_it_offers_the_drive_only_while_the_vin_leaves_it_unknown(login, fred, company):
    unknown = f.VehicleFactory(company=company, vin=vin(601), fuel="unknown")
    verified = f.VehicleFactory(company=company, vin=vin(602), fuel="unknown", verification_status="verified")
    client = login(fred)
    assert 'name="fuel"' in client.get(url("edit", unknown.vin)).content.decode()
    assert 'name="fuel"' not in client.get(url("edit", verified.vin)).content.decode()
    client.post(url("edit", verified.vin), {"licence_plate": "", "nickname": "", "fuel": "electric"})
    verified.refresh_from_db()
    assert verified.fuel == "unknown"
    client.post(url("edit", unknown.vin), {"licence_plate": "", "nickname": "", "fuel": "electric"})
    unknown.refresh_from_db()
    assert unknown.fuel == "electric"


def test_it_refuses_to_choose_a_workshop_for_another_companys_van(login, fred, other_van, dealer):
    assert (
        login(fred).post(url("workshops"), {"dealer_code": dealer.code, "vehicle": other_van.vin}).status_code
        == 404
    )
    other_van.refresh_from_db()
    assert other_van.workshop is None


# --- import ----------------------------------------------------------------------------------
def test_it_imports_through_the_page_and_downloads_the_errors(
    login, fred, company, django_capture_on_commit_callbacks
):
    client = login(fred)
    upload = SimpleUploadedFile(
        "fleet.csv", f"vin,licence_plate,nickname\n{vin(1)},A,One\nBAD,B,Two\n".encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("import"), {"file": upload})
    vehicle_import = VehicleImport.objects.get(company=company)
    assert response["Location"] == url("import_detail", vehicle_import.pk)
    page = client.get(url("import_detail", vehicle_import.pk)).content.decode()
    assert "BAD" in page
    status = client.get(url("import_status", vehicle_import.pk)).json()
    assert (status["status"], status["created"], status["error_count"], status["percent"]) == (
        "done",
        1,
        1,
        100,
    )
    csv_body = client.get(url("import_errors", vehicle_import.pk)).content.decode("utf-8-sig")
    assert csv_body.splitlines()[0] == "row,vin,licence_plate,nickname,error"
    assert csv_body.splitlines()[1].startswith("3,BAD,B,Two,")


def test_it_polls_the_import_progress_without_reading_the_file(login, fred, company):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    vehicle_import = VehicleImport.objects.create(
        company=company, content="vin\n" + f"{vin(1)}\n" * 1000, total=1000, processed=250, status="running"
    )
    client = login(fred)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url("import_status", vehicle_import.pk)).json()
    assert (body["status"], body["processed"], body["percent"], body["finished"]) == (
        "running",
        250,
        25,
        False,
    )
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "vehicles_vehicleimport"' in q["sql"]]
    assert len(reads) == 1 and '"content"' not in reads[0]


def test_the_error_file_neutralises_spreadsheet_formulas(
    login, fred, company, django_capture_on_commit_callbacks
):
    client = login(fred)
    rows = '=HYPERLINK("http://x.example";"y"),A,=cmd|' + "' /C calc'!A0\n" + "-2+3,@SUM(A1),+1\n"
    upload = SimpleUploadedFile("fleet.csv", ("vin,licence_plate,nickname\n" + rows).encode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("import"), {"file": upload})
    vehicle_import = VehicleImport.objects.get(company=company)
    body = client.get(url("import_errors", vehicle_import.pk)).content.decode("utf-8-sig")
    cells = [cell for line in list(csv.reader(io.StringIO(body)))[1:] for cell in line[1:4]]
    assert '\'=HYPERLINK("HTTP://X.EXAMPLE";"Y")' in cells  # the VIN is read in capitals
    assert "'-2+3" in cells and "'@SUM(A1)" in cells and "'+1" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


def test_it_shows_file_errors_on_the_upload_page(login, fred):
    response = login(fred).post(url("import"), {"file": SimpleUploadedFile("x.csv", b"")})
    assert response.status_code == 200
    assert "empty" in response.content.decode()
    assert not VehicleImport.objects.exists()


def test_it_runs_a_confirmed_dry_run(login, fred, company, django_capture_on_commit_callbacks):
    client = login(fred)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("import"), {"file": SimpleUploadedFile("f.csv", f"vin\n{vin(1)}\n".encode()), "dry_run": "on"}
        )
    dry = VehicleImport.objects.get()
    assert "would be created" in client.get(url("import_detail", dry.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("import_confirm", dry.pk))
    assert Vehicle.objects.filter(company=company, vin=vin(1)).exists()


def test_it_hides_another_companys_import(login, oscar, fred, company):
    vehicle_import = VehicleImport.objects.create(company=company, content="vin\n", total=0)
    client = login(oscar)
    for name in ("import_detail", "import_status", "import_errors"):
        assert client.get(url(name, vehicle_import.pk)).status_code == 404
    assert client.post(url("import_confirm", vehicle_import.pk)).status_code == 404
    assert login(fred).get(url("import_detail", vehicle_import.pk)).status_code == 200


@pytest.mark.parametrize("name", ["import_detail", "import_status", "import_errors", "import_confirm"])
def test_it_guards_the_import_pages(client, login, dora, company, name):
    vehicle_import = VehicleImport.objects.create(
        company=company, content="vin\n", total=0, dry_run=True, status="done"
    )
    anonymous = (
        client.post(url(name, vehicle_import.pk))
        if name == "import_confirm"
        else client.get(url(name, vehicle_import.pk))
    )
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    as_driver = login(dora)
    response = (
        as_driver.post(url(name, vehicle_import.pk))
        if name == "import_confirm"
        else as_driver.get(url(name, vehicle_import.pk))
    )
    assert response.status_code == 403
    assert VehicleImport.objects.count() == 1
