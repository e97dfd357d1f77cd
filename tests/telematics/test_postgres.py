"""PostgreSQL only (marker `postgres`): the readings table is natively partitioned by day, a day of a
van's positions is read through the (vehicle_id, at) index of that day's partition only, old
partitions are dropped, and the emulator's journal survives a rollback of the caller's transaction."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from telematics import partitions
from telematics.models import Reading
from telematics.selectors import positions
from tests import factories as f
from vehicles.models import EmulatedModule, EmulatorCall
from vehicles.telematics import EmulatedBackend

pytestmark = [pytest.mark.postgres]


def _scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_it_partitions_the_readings_by_day():
    assert _scalar("SELECT relkind FROM pg_class WHERE relname = 'telematics_reading'") == "p"
    assert (
        _scalar(
            "SELECT partstrat FROM pg_partitioned_table t JOIN pg_class c ON c.oid = t.partrelid WHERE c.relname = 'telematics_reading'"
        )
        == "r"
    )
    today = timezone.now().astimezone(datetime.UTC).date()
    assert today in partitions.existing_partitions()


@pytest.mark.django_db
def test_it_reads_a_days_positions_through_the_index_of_that_days_partition(company):
    partitions.maintain()
    van = f.VehicleFactory(company=company)
    day = timezone.now().astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with connection.cursor() as cursor:
        # 400 vans × one reading a minute for 4 hours of today, 20 for yesterday.
        cursor.execute(
            "INSERT INTO telematics_reading (vehicle_id, company_id, at, lat, lon, speed_kmh, odometer_km, ignition) "
            "SELECT v, %s, %s + (m * interval '1 minute'), 55, 12, 30, m, true "
            "FROM generate_series(%s, %s + 399) v, generate_series(0, 239) m",
            [company.pk, day, van.pk, van.pk],
        )
        cursor.execute(
            "INSERT INTO telematics_reading (vehicle_id, company_id, at, lat, lon, speed_kmh, odometer_km, ignition) "
            "SELECT %s, %s, %s - (m * interval '1 minute'), 55, 12, 30, m, true FROM generate_series(1, 20) m",
            [van.pk, company.pk, day],
        )
        cursor.execute("ANALYZE telematics_reading")
    qs = positions(van, since=day, until=day + datetime.timedelta(days=1))
    assert qs.count() == 240
    plan = qs.explain()
    assert "Index" in plan and "Seq Scan" not in plan, plan
    assert f"telematics_reading_p{day:%Y%m%d}" in plan
    assert f"telematics_reading_p{day - datetime.timedelta(days=1):%Y%m%d}" not in plan  # pruned


@pytest.mark.django_db
def test_it_drops_partitions_past_the_retention(settings):
    settings.TELEMATICS_RETENTION_DAYS = 2
    today = timezone.now().astimezone(datetime.UTC).date()
    outcome = partitions.maintain(today=today + datetime.timedelta(days=4))
    assert partitions.partition_name(today) in outcome["dropped"]
    assert today not in partitions.existing_partitions()
    Reading.objects.count()  # the parent table still answers


@pytest.mark.django_db(transaction=True, databases=["default", "telematics"])
def test_the_emulators_journal_survives_the_callers_rollback(settings):
    settings.TELEMATICS_DB_ALIAS = "telematics"
    backend = EmulatedBackend(latency_ms=0, failure_rate=0)
    with pytest.raises(RuntimeError), transaction.atomic():
        backend.activate("W1V9076331P700001", ["fleet-management"], request_id="r-1")
        raise RuntimeError("the worker dies before committing")
    assert EmulatorCall.objects.filter(request_id="r-1", outcome="handled").count() == 1
    assert EmulatedModule.objects.get(vin="W1V9076331P700001").activations == 1
    backend.activate("W1V9076331P700001", ["fleet-management"], request_id="r-1")  # the retry
    assert list(EmulatorCall.objects.filter(request_id="r-1").values_list("outcome", flat=True)) == [
        "handled",
        "duplicate",
    ]
    assert EmulatedModule.objects.get(vin="W1V9076331P700001").activations == 1
