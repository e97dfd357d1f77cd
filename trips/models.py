"""Trips (from the module's ignition on / off), their classification history, the monthly logbook
exports, the drivers' private-mode periods and the company's working hours."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyScopedQuerySet
from vehicles.models import Vehicle

TEXT_MAX = 200


class Category(models.TextChoices):
    UNCLASSIFIED = "unclassified", _("Not classified")
    BUSINESS = "business", _("Business")
    PRIVATE = "private", _("Private")
    COMMUTE = "commute", _("Commute")


class Trip(models.Model):
    """One drive from ignition on to ignition off. The driver is whoever was assigned to the van
    when it started; the distance comes from the odometer. A trip that started while private mode
    was on has no places at all (only the odometer)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="trips")
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="trips"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)  # null while driving
    odometer_start_km = models.FloatField()
    odometer_end_km = models.FloatField(null=True, blank=True)
    start_lat = models.FloatField(null=True, blank=True)
    start_lon = models.FloatField(null=True, blank=True)
    start_place = models.CharField(max_length=120, blank=True)
    end_lat = models.FloatField(null=True, blank=True)
    end_lon = models.FloatField(null=True, blank=True)
    end_place = models.CharField(max_length=120, blank=True)
    private_mode = models.BooleanField(default=False)
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.UNCLASSIFIED)
    purpose = models.CharField(max_length=TEXT_MAX, blank=True)
    business_partner = models.CharField(max_length=TEXT_MAX, blank=True)
    # Set when the month's logbook was exported: from then on the trip cannot change.
    locked_at = models.DateTimeField(null=True, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"], condition=Q(ended_at__isnull=True), name="trip_one_open_per_van"
            )
        ]
        indexes = [
            models.Index(fields=["company", "-started_at"], name="trip_company_started_idx"),
            models.Index(fields=["vehicle", "-started_at"], name="trip_vehicle_started_idx"),
            models.Index(fields=["driver", "-started_at"], name="trip_driver_started_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def distance_km(self) -> float | None:
        if self.odometer_end_km is None:
            return None
        return round(max(self.odometer_end_km - self.odometer_start_km, 0.0), 1)

    @property
    def duration(self):
        return None if self.ended_at is None else self.ended_at - self.started_at

    @property
    def duration_minutes(self) -> int | None:
        return (
            None if self.ended_at is None else round((self.ended_at - self.started_at).total_seconds() / 60)
        )

    @property
    def is_private(self) -> bool:
        return self.category == Category.PRIVATE or self.private_mode


class TripChange(models.Model):
    """One classification change, kept for ever with the trip (append-only: never updated)."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["trip", "changed_at"], name="tripchange_trip_idx")]


class LogbookExport(models.Model):
    """A monthly logbook of one van as exported: it locked the month's trips; `sha256` is the
    checksum printed in the file, kept here so that a file can be checked later."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="logbook_exports")
    month = models.DateField()  # the first day of the month
    format = models.CharField(max_length=3)
    sha256 = models.CharField(max_length=64)
    trips = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["vehicle", "month"], name="logbook_vehicle_month_idx"),
            models.Index(fields=["company", "sha256"], name="logbook_company_sha_idx"),
        ]


class PrivateModePeriod(models.Model):
    """A driver's private mode on a van: no positions are recorded from `started_at` until it is
    switched off (`ended_at`) or working hours begin (`ends_at`), whichever comes first."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="private_mode_periods")
    driver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["vehicle", "started_at"], name="privatemode_vehicle_idx")]

    @property
    def until(self):
        return min(self.ends_at, self.ended_at) if self.ended_at else self.ends_at


class WorkingHours(models.Model):
    """The company's working hours, per weekday (Monday first), in the company's time zone:
    `days` holds seven `["08:00", "17:00"]` pairs or null for a day off."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="working_hours")
    days = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)
