"""The bulk import: the service that accepts a file, the task that checks and creates rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from companies.audit import Actor
from companies.models import AuditEvent
from mpro.errors import DomainError
from vehicles import imports
from vehicles.models import ImportStatus, Vehicle, VehicleImport

from .conftest import vin

pytestmark = pytest.mark.django_db


def upload(text: str | bytes, name: str = "fleet.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def run_import(company, user, text, *, dry_run=False, capture=None) -> VehicleImport:
    with capture(execute=True):
        vehicle_import = imports.vehicle_import_create(
            company=company, uploaded_file=upload(text), dry_run=dry_run, actor=Actor.customer(user)
        )
    vehicle_import.refresh_from_db()
    return vehicle_import


def test_it_creates_the_valid_rows_and_reports_the_others(
    company, alice, other_van, django_capture_on_commit_callbacks
):
    text = "\n".join(
        [
            "vin,licence_plate,nickname",
            f"{vin(1)},AB 1,One",
            f"{vin(2).lower()}, cd 2 ,Two",
            "W1V907633,,short",
            f"{vin(1)},XX,duplicate",
            "WF0XXXTTGXKA12345,,ford",
            f"{other_van.vin},,theirs",
            "ZZZ9076331P000123,,unknown",
            f"{vin(3)[:5]}O{vin(3)[6:]},,letter O",
        ]
    )
    result = run_import(company, alice, text, capture=django_capture_on_commit_callbacks)
    assert (result.status, result.total, result.processed, result.created, result.valid) == (
        "done",
        8,
        8,
        2,
        2,
    )
    assert set(Vehicle.objects.filter(company=company).values_list("vin", flat=True)) == {vin(1), vin(2)}
    assert Vehicle.objects.get(vin=vin(2)).licence_plate == "CD 2"
    by_row = {error["row"]: error["message"] for error in result.errors}
    assert sorted(by_row) == [4, 5, 6, 7, 8, 9]
    assert "17 characters" in by_row[4]
    assert "line 2" in by_row[5]
    assert "Ford" in by_row[6]
    assert "another company" in by_row[7]
    assert "ZZZ" in by_row[8]
    assert "“O”" in by_row[9]
    assert AuditEvent.objects.filter(action="vehicle.added", company=company).count() == 2
    assert AuditEvent.objects.filter(action="vehicle_import.finished").exists()


def test_it_accepts_semicolons_a_bom_and_crlf(company, alice, django_capture_on_commit_callbacks):
    text = "\ufeffVIN;Licence_Plate;Nickname\r\n" + f"{vin(5)};AB 5;Fünf\r\n" + f"{vin(6)};;\r\n"
    result = run_import(company, alice, text.encode("utf-8"), capture=django_capture_on_commit_callbacks)
    assert result.created == 2 and result.errors == []
    assert Vehicle.objects.get(vin=vin(5)).nickname == "Fünf"


def test_it_accepts_a_file_with_only_the_vin_column(company, alice, django_capture_on_commit_callbacks):
    result = run_import(company, alice, f"vin\n{vin(7)}\n", capture=django_capture_on_commit_callbacks)
    assert result.created == 1


def test_it_changes_nothing_on_a_dry_run(company, alice, django_capture_on_commit_callbacks):
    result = run_import(
        company,
        alice,
        f"vin,licence_plate,nickname\n{vin(1)},,\nBAD,,\n",
        dry_run=True,
        capture=django_capture_on_commit_callbacks,
    )
    assert (result.status, result.valid, result.created, len(result.errors)) == ("done", 1, 0, 1)
    assert not Vehicle.objects.exists()
    outcomes = imports.import_row_outcomes(result)
    assert [(row["row"], row["ok"]) for row in outcomes] == [(2, True), (3, False)]


def test_it_imports_a_dry_run_for_real_on_confirmation(company, alice, django_capture_on_commit_callbacks):
    dry = run_import(
        company, alice, f"vin\n{vin(1)}\n{vin(2)}\n", dry_run=True, capture=django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        real = imports.vehicle_import_confirm(vehicle_import=dry, actor=Actor.customer(alice))
    real.refresh_from_db()
    assert (real.dry_run, real.created) == (False, 2)
    with pytest.raises(DomainError):
        imports.vehicle_import_confirm(vehicle_import=real, actor=Actor.customer(alice))


def test_it_changes_nothing_when_no_row_is_valid(company, alice, van, django_capture_on_commit_callbacks):
    before = Vehicle.objects.count()
    result = run_import(company, alice, f"vin\n{van.vin}\nNOPE\n", capture=django_capture_on_commit_callbacks)
    assert (result.status, result.created, len(result.errors)) == ("done", 0, 2)
    assert Vehicle.objects.count() == before
    assert not AuditEvent.objects.filter(action="vehicle.added").exists()


@pytest.mark.parametrize(
    "content, code",
    [
        (b"", "import_empty"),
        (b"   \n\n", "import_empty"),
        (b"vin,licence_plate,nickname\n", "import_empty"),
        (f"{vin(1)},AB,Van\n".encode(), "import_header"),
        (b"vin,colour\nW1V9076331P000001,red\n", "import_header"),
        ("vin,nickname\nW1V9076331P000001,Søren\n".encode("latin-1"), "import_encoding"),
        (b"PK\x03\x04\x00\x00binary spreadsheet", "import_not_text"),
    ],
)
def test_it_refuses_unusable_files_as_a_whole(company, alice, content, code):
    with pytest.raises(DomainError) as caught:
        imports.vehicle_import_create(
            company=company, uploaded_file=upload(content), dry_run=False, actor=Actor.customer(alice)
        )
    assert (caught.value.field, caught.value.code) == ("file", code)
    assert not VehicleImport.objects.exists() and not Vehicle.objects.exists()


def test_it_refuses_files_over_the_size_limit(company, alice, settings):
    settings.VEHICLE_IMPORT_MAX_BYTES = 1024
    content = ("vin\n" + f"{vin(1)}\n" * 100).encode()
    with pytest.raises(DomainError) as caught:
        imports.vehicle_import_create(
            company=company, uploaded_file=upload(content), dry_run=False, actor=Actor.customer(alice)
        )
    assert caught.value.code == "import_too_large"
    assert not VehicleImport.objects.exists()


def test_it_runs_an_import_only_once(company, alice, django_capture_on_commit_callbacks):
    result = run_import(company, alice, f"vin\n{vin(1)}\n", capture=django_capture_on_commit_callbacks)
    from vehicles.tasks import vehicle_import_run

    vehicle_import_run.delay(result.pk)  # a duplicate delivery
    result.refresh_from_db()
    assert result.created == 1
    assert Vehicle.objects.count() == 1
    assert AuditEvent.objects.filter(action="vehicle_import.finished").count() == 1


def test_it_restarts_an_import_whose_worker_died(company, alice):
    vehicle_import = VehicleImport.objects.create(
        company=company, created_by=alice, content=f"vin\n{vin(1)}\n", total=1, status=ImportStatus.RUNNING
    )
    imports.vehicle_import_run(vehicle_import_id=vehicle_import.pk, actor=Actor.customer(alice))
    vehicle_import.refresh_from_db()
    assert (vehicle_import.status, vehicle_import.created) == ("done", 1)


def test_it_reports_vins_taken_between_the_check_and_the_creation(company, alice, other_company, monkeypatch):
    vehicle_import = VehicleImport.objects.create(
        company=company, created_by=alice, content=f"vin\n{vin(1)}\n{vin(2)}\n", total=2
    )
    original = imports._check_rows

    def check_then_someone_adds(*args, **kwargs):
        result = original(*args, **kwargs)
        Vehicle.objects.create(company=other_company, vin=vin(2))
        return result

    monkeypatch.setattr(imports, "_check_rows", check_then_someone_adds)
    imports.vehicle_import_run(vehicle_import_id=vehicle_import.pk, actor=Actor.customer(alice))
    vehicle_import.refresh_from_db()
    assert vehicle_import.created == 1
    assert [e["row"] for e in vehicle_import.errors] == [3]
    assert Vehicle.objects.get(vin=vin(2)).company == other_company


def test_it_marks_the_import_failed_when_the_task_breaks(company, alice, monkeypatch):
    from vehicles.tasks import vehicle_import_run

    vehicle_import = VehicleImport.objects.create(
        company=company, created_by=alice, content=f"vin\n{vin(1)}\n", total=1
    )

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(imports, "_check_rows", explode)
    with pytest.raises(RuntimeError):
        vehicle_import_run.delay(vehicle_import.pk)
    vehicle_import.refresh_from_db()
    assert vehicle_import.status == "failed" and vehicle_import.failure_reason
    assert not Vehicle.objects.exists()


def test_it_names_the_first_line_of_a_vin_taken_during_the_import(company, alice, other_company, monkeypatch):
    # Line 3 holds the VIN that passed the check; line 4 repeats it and was refused as a repeat.
    vehicle_import = VehicleImport.objects.create(
        company=company, created_by=alice, content=f"vin\n{vin(1)}\n{vin(2)}\n{vin(2)}\n", total=3
    )
    original = imports._check_rows

    def check_then_someone_adds(*args, **kwargs):
        result = original(*args, **kwargs)
        Vehicle.objects.create(company=other_company, vin=vin(2))
        return result

    monkeypatch.setattr(imports, "_check_rows", check_then_someone_adds)
    imports.vehicle_import_run(vehicle_import_id=vehicle_import.pk, actor=Actor.customer(alice))
    vehicle_import.refresh_from_db()
    by_row = {error["row"]: error["message"] for error in vehicle_import.errors}
    assert sorted(by_row) == [3, 4]
    assert "another company" in by_row[3] and "line 3" in by_row[4]
    assert vehicle_import.created == 1 and Vehicle.objects.get(vin=vin(2)).company == other_company


def test_it_writes_the_row_messages_in_the_uploaders_language(company, alice, monkeypatch):
    from django.utils.translation import gettext

    from vehicles.tasks import vehicle_import_run

    alice.language = "fr"
    alice.save(update_fields=["language"])
    with translation.override("fr"):
        too_short = gettext("A VIN has 17 characters; this one has %(count)d.") % {"count": 9}
        stopped = gettext(
            "The import stopped on an unexpected error. Nothing was imported; please try again."
        )
    assert too_short != "A VIN has 17 characters; this one has 9."  # the French catalogue is there
    vehicle_import = VehicleImport.objects.create(
        company=company, created_by=alice, content="vin\nW1V907633\n", total=1
    )
    with translation.override("en"):  # a worker has no request language of its own
        vehicle_import_run.delay(vehicle_import.pk)
    vehicle_import.refresh_from_db()
    assert vehicle_import.errors == [{"row": 2, "vin": "W1V907633", "message": too_short}]

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    broken = VehicleImport.objects.create(company=company, created_by=alice, content="vin\nW1V\n", total=1)
    monkeypatch.setattr(imports, "_check_rows", explode)
    with translation.override("en"), pytest.raises(RuntimeError):
        vehicle_import_run.delay(broken.pk)
    broken.refresh_from_db()
    assert broken.failure_reason == stopped


def _reltuples(model) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_bulk_import_leaves_the_planner_statistics_fresh(
    company, alice, settings, django_capture_on_commit_callbacks
):
    """An import of BULK_ANALYZE_ROWS rows or more analyses the vehicles table once it commits
    (mpro.statistics): PostgreSQL's own row estimate then counts the new vans."""
    settings.BULK_ANALYZE_ROWS = 3
    rows = "\n".join(["vin"] + [vin(n) for n in range(1, 5)])
    result = run_import(company, alice, rows, capture=django_capture_on_commit_callbacks)
    assert result.created == 4
    assert _reltuples(Vehicle) == Vehicle.objects.count() >= 4


@pytest.mark.postgres
def test_a_small_import_leaves_the_analysis_to_autovacuum(
    company, alice, settings, django_capture_on_commit_callbacks
):
    settings.BULK_ANALYZE_ROWS = 3
    before = _reltuples(Vehicle)
    result = run_import(
        company, alice, f"vin\n{vin(1)}\n{vin(2)}", capture=django_capture_on_commit_callbacks
    )
    assert result.created == 2
    assert _reltuples(Vehicle) == before
