"""Service appointments in the personal-data registries, through the real entry points: the
person's export (`/api/v1/me/export`), the erasure's dry run, a company's closure and
`manage.py purge_expired`."""

import datetime
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from maintenance.models import Appointment
from mpro import personal_data as pd
from packs.models import Subscription

from .test_api import propose, soon


@pytest.fixture
def answered(api, sam, fred, due_van):
    """sam's proposal for ACME's van, with a note; fred declined it with a message."""
    appointment_id = propose(api, sam, due_van, note="Bring the spare key, please.").json()["id"]
    response = api(fred).post(
        f"/api/v1/vehicles/{due_van.vin}/appointments/{appointment_id}/decline",
        {"message": "The van is on the road that week."},
        format="json",
    )
    assert response.status_code == 200
    return Appointment.objects.get(pk=appointment_id)


def export(api, user) -> dict:
    response = api(user).get("/api/v1/me/export")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("mpro-personal-data.json"))["sections"]


def test_the_answering_member_and_the_proposing_staff_member_each_get_their_side(
    api, fred, sam, dora, answered, due_van
):
    fleet_side = export(api, fred)["appointments"]
    assert fleet_side["proposed"] == []
    [row] = fleet_side["answered"]
    assert row["vehicle"] == due_van.vin and row["dealer"] == "DK00001" and row["status"] == "declined"
    assert row["message"] == "The van is on the road that week."
    assert "note" not in row  # the staff member's words are theirs, not fred's

    # Dealer staff have no self-service export (it is the customers'); an operator's archive for
    # them is built from the same registry section.
    workshop_side = pd.SECTIONS["appointments"].collect(sam.user)
    assert workshop_side["answered"] == []
    [row] = workshop_side["proposed"]
    assert row["note"] == "Bring the spare key, please." and row["company"] == "PRO-ACMEXX"
    assert "message" not in row

    assert export(api, dora)["appointments"] == {"answered": [], "proposed": []}


def test_erasing_the_account_keeps_the_appointments_as_the_vans_history(api, fred, answered):
    plan = api(fred).get("/api/v1/me/erasure").json()
    [item] = [i for i in plan["items"] if i["what"] == "Service appointments you proposed or answered"]
    assert item["count"] == 1 and item["outcome"] == "kept" and item["why"]


def test_closing_the_company_deletes_its_appointments(api, alice, answered, company):
    Subscription.objects.filter(order__company=company).update(status="cancelled")
    plan = api(alice).get("/api/v1/company/closure").json()
    deleted = {i["what"]: i["count"] for i in plan["items"] if i["outcome"] == "deleted"}
    assert deleted["Service appointments"] == 1
    response = api(alice).post("/api/v1/company/closure", {"confirm_pro_id": company.pro_id}, format="json")
    assert response.status_code == 204, response.content
    assert not Appointment.objects.exists()


def test_appointments_are_purged_a_year_after_their_date(api, sam, due_van, settings):
    settings.RETENTION_APPOINTMENTS_DAYS = 365
    old = propose(api, sam, due_van, proposed_at=soon(days=5).isoformat()).json()["id"]
    Appointment.objects.filter(pk=old).update(proposed_at=timezone.now() - datetime.timedelta(days=366))
    new = propose(api, sam, due_van, proposed_at=soon(days=6).isoformat()).json()["id"]

    out = StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert Appointment.objects.count() == 2
    call_command("purge_expired", stdout=out)
    assert list(Appointment.objects.values_list("pk", flat=True)) == [new]


def test_the_privacy_page_lists_how_long_appointments_are_kept(client):
    html = client.get("/privacy/").content.decode()
    assert "Service appointments" in html
