import io
import json
import zipfile

import pytest

from companies.models import AuditEvent
from mpro import personal_data
from tests.privacy.conftest import traces_of

pytestmark = pytest.mark.django_db


def unpack(response) -> tuple[dict, str]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = archive.read("mpro-personal-data.json").decode()
    for name in archive.namelist():
        if name.startswith("sections/"):
            assert json.loads(archive.read(name)) is not None
    return json.loads(text), text


def test_it_exports_every_kind_of_data_about_the_person(api, dora, acme_world):
    data, text = unpack(api(dora).get("/api/v1/me/export"))
    sections = data["sections"]
    assert set(sections) == set(personal_data.SECTIONS)
    profile = sections["profile"]
    assert profile["email"] == "dora@acme.example"
    assert (profile["first_name"], profile["last_name"]) == ("Dora", "Dahl")
    assert (profile["birth_date"], profile["phone"], profile["mobile"]) == (
        "1990-02-03",
        "+4540111222",
        "+4520987654",
    )
    assert profile["licence_category"] == "C1"
    assert [t["name"] for t in profile["api_tokens"]] == ["dora's script"]
    assert [t["document"] for t in profile["terms_accepted"]] == ["terms_of_use"]
    assert profile["email_addresses"][0]["email"] == "dora@acme.example"
    assert sections["memberships"][0]["company"]["pro_id"] == "PRO-ACMEXX"
    assert sections["memberships"][0]["role"] == "driver"
    assert sections["verification"]["mode"] == "id_card"
    assert [a["vin"] for a in sections["driving"]["assignments"]] == ["W1V9076331P300001"]
    assert [o["id"] for o in sections["driving"]["orders_placed"]] == [acme_world["order"].pk]
    actions = sorted(e["action"] for e in sections["audit_events"])
    assert actions == ["driver.assigned", "member.invited", "retail.member_verified", "user.profile_updated"]
    staff_event = next(e for e in sections["audit_events"] if e["action"] == "retail.member_verified")
    assert staff_event["actor"] == "dealer_staff" and staff_event["dealer"] == "Glostrup Van Centre"


def test_it_exports_nothing_about_anyone_else(api, dora, alice, fred, oscar, sam, acme_world):
    _, text = unpack(api(dora).get("/api/v1/me/export"))
    for person in (alice, fred, oscar, sam.user):
        for trace in traces_of(person):
            assert trace not in text, (person.email, trace)
    assert "W1V9076331P300002" not in text  # a van she does not drive
    assert "alice's script" not in text


def test_it_records_the_download_in_the_activity_log(api, dora, acme_world):
    api(dora).get("/api/v1/me/export")
    assert AuditEvent.objects.filter(action="privacy.export_downloaded", actor=dora).count() == 1


def test_it_exports_for_a_person_without_a_company(api, newcomer):
    data, _ = unpack(api(newcomer).get("/api/v1/me/export/"))
    assert data["sections"]["memberships"] == []
    assert data["sections"]["profile"]["email"] == "newcomer@example.com"


def test_it_downloads_the_same_archive_from_the_account_page(login, dora, acme_world):
    client = login(dora)
    page = client.get("/privacy/me/")
    assert page.status_code == 200
    assert b"/privacy/me/export/" in page.content
    assert b"/privacy/me/" in client.get("/account/profile/").content
    data, _ = unpack(client.get("/privacy/me/export/"))
    assert data["sections"]["profile"]["email"] == "dora@acme.example"


def test_it_checks_ownership_of_the_export(client, api, login, sam):
    before = AuditEvent.objects.count()
    assert api().get("/api/v1/me/export").status_code in (401, 403)
    assert api(sam.user).get("/api/v1/me/export").status_code == 404
    response = client.get("/privacy/me/export/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert login(sam.user).get("/privacy/me/export/").status_code == 404
    assert login(sam.user).get("/privacy/me/").status_code == 404
    assert AuditEvent.objects.count() == before


def test_it_builds_the_export_with_a_flat_number_of_queries(
    api, dora, acme_world, django_assert_max_num_queries
):
    from companies.audit import Actor, record

    for n in range(30):
        record(
            actor=Actor.customer(dora),
            company=dora.membership.company,
            action="user.profile_updated",
            target=f"x{n}",
        )
    with django_assert_max_num_queries(25):
        api(dora).get("/api/v1/me/export")
