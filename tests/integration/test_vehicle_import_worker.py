"""The CSV import through a real Celery worker (Redis broker, PostgreSQL test database)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from companies.audit import Actor
from companies.models import AuditEvent
from tests.integration.conftest import wait_for
from vehicles import imports
from vehicles.models import ModuleStatus, Vehicle, VehicleImport

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_it_imports_a_csv_in_a_real_worker(celery_worker, company, alice, other_company):
    Vehicle.objects.create(company=other_company, vin="W1V9076331P700003")
    celery_worker()
    rows = ["vin;licence_plate;nickname"]
    rows += [f"W1V9076331P7{n:05d};AB {n};Van {n}" for n in range(200)]
    rows += ["W1V907633;;too short", "W1V9076331P700001;;duplicate", "W1V9076331P900001;;no module"]
    upload = SimpleUploadedFile("fleet.csv", ("\n".join(rows) + "\n").encode("utf-8-sig"))

    vehicle_import = imports.vehicle_import_create(
        company=company, uploaded_file=upload, dry_run=False, actor=Actor.customer(alice)
    )

    def finished():
        vehicle_import.refresh_from_db()
        return vehicle_import.is_finished

    assert wait_for(finished, timeout=60)
    assert (vehicle_import.status, vehicle_import.total, vehicle_import.processed) == ("done", 203, 203)
    assert vehicle_import.created == 200  # 199 fresh + the van without module; 3 refused
    assert {e["row"] for e in vehicle_import.errors} == {5, 202, 203}
    assert Vehicle.objects.filter(company=company).count() == 200
    assert AuditEvent.objects.filter(company=company, action="vehicle.added").count() == 200

    # The worker also reads the communication modules of the new vans.
    assert wait_for(
        lambda: not Vehicle.objects.filter(company=company, module_status=ModuleStatus.UNKNOWN).exists(),
        timeout=90,
    )
    assert Vehicle.objects.get(vin="W1V9076331P900001").module_status == ModuleStatus.ABSENT
    assert VehicleImport.objects.get(pk=vehicle_import.pk).failure_reason == ""
