"""What the vans report: the latest state of each van (one row, updated in place) and the history
of readings (appended in batches; on PostgreSQL a table range-partitioned by day).

Both carry the company that held the van when the report arrived: every read starts from
`for_company(company)`, so a transferred van starts a clean record for its new holder."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyScopedQuerySet
from vehicles.models import Vehicle


class Gear(models.TextChoices):
    PARK = "P", _("Park")
    REVERSE = "R", _("Reverse")
    NEUTRAL = "N", _("Neutral")
    DRIVE = "D", _("Drive")


class VehicleState(models.Model):
    """The latest report of one van, validated. The fields are those of GET /vehicles/{vin}/status,
    plus what commands will check before acting (plug, RFID card, bonnet, gear)."""

    vehicle = models.OneToOneField(Vehicle, primary_key=True, on_delete=models.CASCADE, related_name="state")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    reported_at = models.DateTimeField()
    received_at = models.DateTimeField()
    # Set when the module stopped answering (backend timeout); cleared by the next good report.
    unreachable_since = models.DateTimeField(null=True, blank=True)

    odometer_km = models.FloatField()
    fuel_percent = models.FloatField(null=True, blank=True)
    battery_percent = models.FloatField(null=True, blank=True)
    range_km = models.FloatField(null=True, blank=True)

    lat = models.FloatField()
    lon = models.FloatField()
    heading = models.PositiveSmallIntegerField(null=True, blank=True)
    speed_kmh = models.FloatField(default=0)

    ignition = models.BooleanField(default=False)
    doors_locked = models.BooleanField(default=True)
    doors_closed = models.BooleanField(default=True)
    windows_closed = models.BooleanField(default=True)
    bonnet_closed = models.BooleanField(default=True)
    gear = models.CharField(max_length=1, choices=Gear.choices, default=Gear.PARK)
    # Electric vans only; null on a combustion van.
    plug_inserted = models.BooleanField(null=True, blank=True)
    plug_locked = models.BooleanField(null=True, blank=True)
    plug_connected = models.BooleanField(null=True, blank=True)
    charging = models.BooleanField(null=True, blank=True)
    rfid_authorised = models.BooleanField(null=True, blank=True)

    outside_temp_c = models.FloatField(null=True, blank=True)
    cabin_temp_c = models.FloatField(null=True, blank=True)
    service_due_days = models.IntegerField(null=True, blank=True)
    service_due_km = models.IntegerField(null=True, blank=True)

    # When the last Reading was appended (parked vans append one only every heartbeat).
    last_reading_at = models.DateTimeField(null=True, blank=True)
    # Reports of this van refused by validation (logged each time).
    rejected_reports = models.PositiveIntegerField(default=0)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            # GET /fleet/status pages by vehicle id; the filters narrow by these columns.
            models.Index(fields=["company", "vehicle"], name="vstate_company_vehicle_idx"),
            models.Index(fields=["company", "reported_at"], name="vstate_company_reported_idx"),
            models.Index(fields=["company", "fuel_percent"], name="vstate_company_fuel_idx"),
            models.Index(fields=["company", "battery_percent"], name="vstate_company_battery_idx"),
            models.Index(fields=["company", "service_due_days"], name="vstate_company_service_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} at {self.reported_at:%Y-%m-%d %H:%M}"

    @property
    def plug(self) -> dict | None:
        return self.plug_of(self)

    @staticmethod
    def plug_of(state) -> dict | None:
        """The charging plug's report, of a state or of a row with the same column names."""
        if state.plug_inserted is None:
            return None
        return {
            "inserted": state.plug_inserted,
            "locked": state.plug_locked,
            "connected": state.plug_connected,
        }

    @property
    def moving(self) -> bool:
        return self.speed_kmh > 0


class Reading(models.Model):
    """One point of a van's history. On PostgreSQL the table is partitioned by `at` (one partition
    per day, created ahead and dropped after TELEMATICS_RETENTION_DAYS by a task); its primary key
    is (id, at) there, which Django need not know. No database foreign keys: inserts stay cheap and
    dropping a partition never waits on a referencing table."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    at = models.DateTimeField()
    lat = models.FloatField()
    lon = models.FloatField()
    speed_kmh = models.FloatField(default=0)
    heading = models.PositiveSmallIntegerField(null=True, blank=True)
    odometer_km = models.FloatField()
    fuel_percent = models.FloatField(null=True, blank=True)
    battery_percent = models.FloatField(null=True, blank=True)
    ignition = models.BooleanField(default=False)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["vehicle", "at"], name="reading_vehicle_at_idx")]

    def __str__(self) -> str:
        return f"{self.vehicle_id} at {self.at:%Y-%m-%d %H:%M}"
