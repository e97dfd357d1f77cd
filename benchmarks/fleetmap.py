"""`make bench` figures of the fleet map's marker feed (`GET /fleet/map/markers.json`) for the
company of 50,000 reporting vans seeded by benchmarks.telematics: the whole fleet and a town-sized
view (the bbox the map asks for). Bytes, time (median of 5), queries and the peak of Python's
allocations while the streamed answer is read (tracemalloc, a separate pass: it slows the code
down): it must stay flat, never 50,000 model instances."""

from __future__ import annotations

import statistics
import time
import tracemalloc

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vehicles.telematics.towns import town_centre

URL = "/fleet/map/markers.json"


def _box(km: float) -> str:
    """About km × km around the centre of the bench company's town (where its vans are based,
    within 4 km of it): the bbox of a map zoomed on that town, or on a district of it."""
    lat, lon = town_centre("Aarhus", "DK")
    dlat, dlon = km / 2 / 111.3, km / 2 / 62.5  # a degree of longitude is ~62 km at 56° north
    return f"{lon - dlon:.4f},{lat - dlat:.4f},{lon + dlon:.4f},{lat + dlat:.4f}"


def _read(client: Client, params: dict) -> tuple[int, int]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.status_code
    size = vans = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        vans += chunk.count(b'"vin":')
    return size, vans


def _measure(client: Client, params: dict) -> dict:
    _read(client, params)  # warm: session, membership, plans
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        size, vans = _read(client, params)
        timings.append((time.perf_counter() - started) * 1000)
    reset_queries()  # with DEBUG the log is capped: a full one would count nothing
    with CaptureQueriesContext(connection) as queries:
        _read(client, params)
    tracemalloc.start()
    try:
        _read(client, params)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return {
        "ms": statistics.median(timings),
        "bytes": size,
        "vans": vans,
        "queries": len(queries.captured_queries),
        "peak_mib": peak / 2**20,
    }


def run(manager, fleet_size: int) -> list[tuple]:
    client = Client()
    client.force_login(manager)
    rows = []
    for label, params in (
        (f"fleet map markers, whole fleet of {fleet_size:,}", {}),
        ("fleet map markers, a town-sized view (bbox 11 × 11 km)", {"bbox": _box(11)}),
        ("fleet map markers, a district (bbox 2 × 2 km)", {"bbox": _box(2)}),
    ):
        found = _measure(client, params)
        rows += [
            ("telematics", f"{label}: {found['vans']:,} vans", f"{found['ms']:.0f}", "ms", ""),
            (
                "telematics",
                f"  bytes / queries / Python's peak allocations while streaming ({found['peak_mib']:.1f} MiB)",
                f"{found['bytes'] / 1024:,.0f} KiB / {found['queries']}",
                "",
                "flat",
            ),
        ]
    return rows
