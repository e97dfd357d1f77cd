"""The monthly logbook export: CSV and PDF, the SHA-256 of its content, and the month's lock."""

import datetime
import hashlib

import pytest
import time_machine

from companies.models import AuditEvent
from trips.models import LogbookExport, Trip

from .conftest import make_trip

NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def october(van, dora, dan):
    base = datetime.datetime(2026, 10, 6, 7, 0, tzinfo=datetime.UTC)
    business = make_trip(
        van, dora, started_at=base, category="business", purpose="=HYPERLINK(1)", business_partner="Hansen"
    )
    private = make_trip(van, dan, started_at=base + datetime.timedelta(days=1), category="private")
    november = make_trip(van, dora, started_at=datetime.datetime(2026, 11, 2, 7, 0, tzinfo=datetime.UTC))
    return {"business": business, "private": private, "november": november}


def test_the_csv_export_carries_the_checksum_of_its_content_and_locks_the_month(api, fred, van, october):
    with time_machine.travel(NOW, tick=False):
        response = api(fred).get(f"/api/v1/logbook/{van.vin}/2026-10", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    data = response.content
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[-1].startswith("SHA-256,")
    stated = lines[-1].split(",")[1]
    content = "\n".join(lines[:-1]) + "\n"
    assert hashlib.sha256(content.encode()).hexdigest() == stated == response["X-Logbook-SHA256"]
    text = data.decode("utf-8-sig")
    assert "Dora Dahl" in text and "Copenhagen → Odense" in text and "'=HYPERLINK(1)" in text
    private_row = next(line for line in lines if "Dan Dreyer" in line)
    assert "Copenhagen" not in private_row and "Odense" not in private_row  # private: kilometres only
    assert ",1000.0,1010.0,10.0," in text  # odometer start, end, distance
    export = LogbookExport.objects.get()
    assert (export.sha256, export.trips, export.month) == (stated, 2, datetime.date(2026, 10, 1))
    locked = set(Trip.objects.filter(locked_at__isnull=False).values_list("pk", flat=True))
    assert locked == {october["business"].pk, october["private"].pk}
    assert AuditEvent.objects.filter(action="trips.logbook_exported", target=van.vin).exists()


def test_an_exported_month_cannot_change_any_more(api, fred, dora, van, october):
    trip = make_trip(van, dora, started_at=NOW - datetime.timedelta(days=1))
    api(fred).get(f"/api/v1/logbook/{van.vin}/{NOW:%Y-%m}")
    response = api(dora).patch(f"/api/v1/trips/{trip.pk}", {"category": "private"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "trip_locked"


def test_the_same_month_exported_twice_has_the_same_checksum(api, fred, van, october):
    with time_machine.travel(NOW, tick=False):
        first = api(fred).get(f"/api/v1/logbook/{van.vin}/2026-10")["X-Logbook-SHA256"]
        second = api(fred).get(f"/api/v1/logbook/{van.vin}/2026-10")["X-Logbook-SHA256"]
    assert first == second


def test_the_pdf_export_prints_the_same_checksum(api, fred, van, october):
    with time_machine.travel(NOW, tick=False):
        csv_sum = api(fred).get(f"/api/v1/logbook/{van.vin}/2026-10", {"format": "csv"})["X-Logbook-SHA256"]
        response = api(fred).get(f"/api/v1/logbook/{van.vin}/2026-10", {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["X-Logbook-SHA256"] == csv_sum


@pytest.mark.parametrize(
    ("month", "query", "field"),
    [
        ("2026-13", {}, "month"),
        ("october", {}, "month"),
        ("2027-01", {}, "month"),
        ("2026-10", {"format": "xls"}, "format"),
    ],
)
def test_it_refuses_a_bad_month_or_format_and_locks_nothing(api, fred, van, october, month, query, field):
    with time_machine.travel(NOW, tick=False):
        response = api(fred).get(f"/api/v1/logbook/{van.vin}/{month}", query)
    assert response.status_code == 400 and field in response.json()
    assert not LogbookExport.objects.exists() and not Trip.objects.filter(locked_at__isnull=False).exists()


def test_a_driver_exports_only_the_van_assigned_to_them(api, dora, dan, oscar, van, october):
    assert api(dora).get(f"/api/v1/logbook/{van.vin}/2026-10").status_code == 200
    assert api(dan).get(f"/api/v1/logbook/{van.vin}/2026-10").status_code == 404
    assert api(oscar).get(f"/api/v1/logbook/{van.vin}/2026-10").status_code == 404


def test_the_check_page_recognises_an_export_and_a_changed_file(login, fred, van, october):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(fred)
    with time_machine.travel(NOW, tick=False):
        response = client.post(f"/trips/logbook/{van.vin}/", {"month": "2026-10", "format": "csv"})
    assert response.status_code == 200
    data = response.content
    page = client.post("/trips/logbook-check/", {"file": SimpleUploadedFile("l.csv", data, "text/csv")})
    assert "Unchanged" in page.content.decode() and van.vin in page.content.decode()
    tampered = data.replace(b"Hansen", b"Jensen")
    page = client.post("/trips/logbook-check/", {"file": SimpleUploadedFile("l.csv", tampered, "text/csv")})
    assert "Changed: the content does not match" in page.content.decode()
