"""`field__in=` for thousands of ids, as one parameter.

Django prepares every value of an `__in` list one by one and sends as many parameters: for the
2,000 vans of a reporting batch that is a twentieth of a second of Python per query. On PostgreSQL
`among(ids)` sends one array instead (`IN (SELECT unnest(%s))`); elsewhere it is the plain list.

    Alert.objects.filter(vehicle_id__in=among(vehicle_ids))
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def among(ids: Iterable[int]) -> list[int] | RawSQL:
    values = list(ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (values,))
    return values
