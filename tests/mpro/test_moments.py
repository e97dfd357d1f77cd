"""mpro.api.moment_formatter: the lean list bodies write times exactly as DRF's DateTimeField."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from mpro.api import moment_formatter

UTC = datetime.UTC
TIMES = [
    None,
    datetime.datetime(2026, 11, 24, 6, 30, tzinfo=UTC),
    datetime.datetime(2026, 7, 1, 23, 59, 59, 123456, tzinfo=UTC),
    datetime.datetime(2026, 3, 29, 1, 0, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
    datetime.datetime(2026, 11, 24, 6, 30),  # naive: DRF makes it aware in the current zone
]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Copenhagen", "America/New_York", "Asia/Kolkata"])
def test_it_writes_what_the_serializer_field_writes(zone):
    field = serializers.DateTimeField()
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        moment = moment_formatter()
        for value in TIMES:
            assert moment(value) == (field.to_representation(value) if value else None)
    assert moment_formatter()(TIMES[1]).endswith("Z")
