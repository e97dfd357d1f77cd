"""What the logbook keeps about people, for the retention runner and the personal-data registries
(mpro.retention, mpro.personal_data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mpro import personal_data as pd
from mpro import retention

from .models import PrivateModePeriod, Trip, TripChange

WHY_TRIPS = _(
    "A logbook is a tax record: it is kept as long as the tax law of the company's country asks "
    "(10 years in Germany), with its start and end places only."
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def trips_section(user) -> dict:
    """The trips the person drove (with their places: they are theirs), the classification changes
    they made, and their private-mode periods."""
    trips = Trip.objects.filter(driver=user).select_related("vehicle").order_by("started_at", "id")
    return {
        "trips": [
            {
                "vehicle": trip.vehicle.vin,
                "started_at": _iso(trip.started_at),
                "ended_at": _iso(trip.ended_at),
                "start": {"lat": trip.start_lat, "lon": trip.start_lon, "place": trip.start_place},
                "end": {"lat": trip.end_lat, "lon": trip.end_lon, "place": trip.end_place},
                "distance_km": trip.distance_km,
                "odometer_start_km": trip.odometer_start_km,
                "odometer_end_km": trip.odometer_end_km,
                "category": trip.category,
                "purpose": trip.purpose,
                "business_partner": trip.business_partner,
                "private_mode": trip.private_mode,
            }
            for trip in trips
        ],
        "classification_changes": [
            {
                "trip_started_at": _iso(c.trip.started_at),
                "changed_at": _iso(c.changed_at),
                "before": c.before,
                "after": c.after,
            }
            for c in TripChange.objects.filter(changed_by=user)
            .select_related("trip")
            .order_by("changed_at", "id")
        ],
        "private_mode": [
            {
                "vehicle": p.vehicle.vin,
                "started_at": _iso(p.started_at),
                "ends_at": _iso(p.ends_at),
                "ended_at": _iso(p.ended_at),
            }
            for p in PrivateModePeriod.objects.filter(driver=user)
            .select_related("vehicle")
            .order_by("started_at")
        ],
    }


def _plan_person(user) -> list[pd.Item]:
    return [
        pd.Item(_("Trips you drove (logbook)"), Trip.objects.filter(driver=user).count(), pd.KEPT, WHY_TRIPS),
        pd.Item(
            _("Your private-mode periods"), PrivateModePeriod.objects.filter(driver=user).count(), pd.DELETED
        ),
    ]


def _erase_person(user, ctx: pd.ErasureContext) -> None:
    # Trips stay with the account row, whose name the account step replaces by the pseudonym.
    PrivateModePeriod.objects.filter(driver=user).delete()


def _plan_company(company) -> list[pd.Item]:
    return [pd.Item(_("Trips and logbook exports"), Trip.objects.filter(company=company).count(), pd.DELETED)]


def register_all() -> None:
    pd.register_section(pd.Section("trips", _("Trips and logbook"), trips_section, order=50))
    pd.register_person_step(pd.Step("trips", _plan_person, _erase_person, order=40))
    pd.register_company_step(pd.Step("trips", _plan_company, None, order=50))
    retention.register(
        retention.RetentionRule(
            key="trips",
            label=_("Trips (digital logbook)"),
            setting="RETENTION_TRIPS_DAYS",
            default_days=3650,
            queryset=lambda: Trip.objects.all(),
            field="started_at",
            why=WHY_TRIPS,
        )
    )
    retention.register(
        retention.RetentionRule(
            key="private_mode_periods",
            label=_("Drivers' private-mode periods"),
            setting="RETENTION_PRIVATE_MODE_DAYS",
            default_days=90,
            queryset=lambda: PrivateModePeriod.objects.all(),
            field="started_at",
        )
    )
