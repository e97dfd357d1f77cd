"""Alerts of the connected vans: what a company watches for (its thresholds and geofences), what
was raised, and who wants to hear about it by e-mail.

An alert is one *occurrence* of a condition on a van: raised when the condition starts, open until
someone acknowledges it or the condition clears (then `cleared_at`). While a condition holds, its
occurrence stays the same row: a partial unique constraint allows one uncleared alert per van,
kind and subject, so the same low tank never raises twice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyScopedQuerySet
from vehicles.models import Vehicle


class AlertKind(models.TextChoices):
    FUEL_LOW = "fuel_low", _("Fuel low")
    BATTERY_LOW = "battery_low", _("Battery low")
    SERVICE_DUE = "service_due", _("Service due")
    GEOFENCE_EXIT = "geofence_exit", _("Left a geofence")
    MOVED_IGNITION_OFF = "moved_ignition_off", _("Moving with the ignition off")


class AlertSettings(models.Model):
    """A company's thresholds. A company that never changed them has no row: the defaults apply."""

    company = models.OneToOneField(Company, primary_key=True, on_delete=models.CASCADE, related_name="+")
    fuel_low_percent = models.PositiveSmallIntegerField(_("fuel low below (%)"), default=15)
    battery_low_percent = models.PositiveSmallIntegerField(_("battery low below (%)"), default=20)
    service_due_days = models.PositiveSmallIntegerField(_("service due within (days)"), default=14)
    service_due_km = models.PositiveIntegerField(_("service due within (km)"), default=1000)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"alert settings of {self.company_id}"


class Geofence(models.Model):
    """A circle a company draws on the map; a van that was inside and leaves it raises an alert."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    radius_m = models.PositiveIntegerField(_("radius (m)"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="geofence_company_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class GeofencePresence(models.Model):
    """A van inside a geofence at its last report. Only vans inside some geofence have rows, so a
    reporting round writes only when a van crosses a boundary."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="+")
    geofence = models.ForeignKey(Geofence, on_delete=models.CASCADE, related_name="presences")
    since = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "geofence"], name="geofence_presence_unique"),
        ]


class Alert(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=AlertKind.choices)
    # What the occurrence is about within its kind: "" or "geofence:<id>" (a van may have left two).
    subject = models.CharField(max_length=40, blank=True, default="")
    geofence = models.ForeignKey(Geofence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The reading that raised it: a percentage, days, or km/h, by kind.
    value = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    raised_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "kind", "subject"],
                condition=Q(cleared_at__isnull=True),
                name="alert_one_uncleared_per_occurrence",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "-raised_at"], name="alert_company_raised_idx"),
            models.Index(
                fields=["company", "vehicle"],
                condition=Q(cleared_at__isnull=True, acknowledged_at__isnull=True),
                name="alert_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.vehicle_id} at {self.raised_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None and self.acknowledged_at is None


class AlertEmailOptIn(models.Model):
    """An administrator or fleet manager who wants alerts by e-mail (off unless they opt in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"alert e-mails for {self.user_id}"
