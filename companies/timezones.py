"""Which clock a company reads: its own choice, else its country's. Pages show times in it."""

from functools import cache
from zoneinfo import available_timezones

# The markets' capitals; every market has a single zone on the mainland.
COUNTRY_TIME_ZONES = {
    "AT": "Europe/Vienna",
    "BE": "Europe/Brussels",
    "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen",
    "ES": "Europe/Madrid",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "IT": "Europe/Rome",
    "NL": "Europe/Amsterdam",
}


def for_country(country: str) -> str:
    return COUNTRY_TIME_ZONES.get(country, "UTC")


@cache
def choices() -> list[tuple[str, str]]:
    """Europe's zones plus the Atlantic islands and UTC: where the markets' vans are based."""
    names = sorted(
        name
        for name in available_timezones()
        if name.startswith(("Europe/", "Atlantic/Canary", "Atlantic/Madeira", "Atlantic/Faroe"))
    )
    return [(name, name.replace("_", " ")) for name in [*names, "UTC"]]


def is_valid(name: str) -> bool:
    return name in available_timezones()
