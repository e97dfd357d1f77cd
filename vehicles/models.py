from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyScopedQuerySet, Dealer
from users.models import Verification


class Fuel(models.TextChoices):
    COMBUSTION = "combustion", _("Combustion")
    ELECTRIC = "electric", _("Electric")
    UNKNOWN = "unknown", _("Unknown")


class ModuleStatus(models.TextChoices):
    """State of the vehicle's LTE communication module, as the telematics backend reports it."""

    UNKNOWN = "unknown", _("Not yet checked")
    ABSENT = "absent", _("No communication module")
    INACTIVE = "inactive", _("Installed, not activated")
    ACTIVE = "active", _("Active")


class Vehicle(Verification):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="vehicles")
    # Upper case, no spaces; one company at a time holds a VIN.
    vin = models.CharField(_("VIN"), max_length=17, unique=True)
    make = models.CharField(_("make"), max_length=60, blank=True)
    model_family = models.CharField(_("model"), max_length=60, blank=True)
    model_year = models.PositiveSmallIntegerField(_("model year"), null=True, blank=True)
    fuel = models.CharField(_("fuel"), max_length=12, choices=Fuel.choices, default=Fuel.UNKNOWN)
    licence_plate = models.CharField(_("licence plate"), max_length=15, blank=True)
    nickname = models.CharField(_("nickname"), max_length=60, blank=True)
    module_status = models.CharField(
        max_length=10, choices=ModuleStatus.choices, default=ModuleStatus.UNKNOWN
    )
    workshop = models.ForeignKey(
        Dealer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("workshop")
    )
    # The current driver; the history lives in DriverAssignment. unique=True: one vehicle per driver.
    driver = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="driven_vehicle",
        verbose_name=_("driver"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the current holder got the van (added, or transferred in): every read of the van's
    # history (drivers, subscriptions) starts here, so a new holder sees nothing of the previous one.
    held_since = models.DateTimeField(default=timezone.now)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-created_at", "-id"], name="vehicle_company_created_idx"),
            models.Index(fields=["company", "verification_status"], name="vehicle_company_verif_idx"),
            models.Index(fields=["company", "licence_plate"], name="vehicle_company_plate_idx"),
            models.Index(Upper("licence_plate"), name="vehicle_plate_upper_idx"),
            # The fleet overview sorts by these columns and pages with a keyset (value, id).
            models.Index(fields=["company", "vin"], name="vehicle_company_vin_idx"),
            models.Index(fields=["company", "licence_plate", "id"], name="vehicle_company_plate_id_idx"),
            models.Index(fields=["company", "nickname", "id"], name="vehicle_company_nick_idx"),
            models.Index(fields=["company", "model_family", "id"], name="vehicle_company_model_idx"),
            models.Index(fields=["company", "fuel"], name="vehicle_company_fuel_idx"),
            # The company's vans in id order: the connected fleet's lists page by vehicle id, and
            # without it PostgreSQL walked the primary key past every other company's vans.
            models.Index(fields=["company", "id"], name="vehicle_company_id_idx"),
        ]

    def __str__(self) -> str:
        return self.nickname or self.licence_plate or self.vin


class DriverAssignment(models.Model):
    """Who drove which vehicle, from when to when. At most one open assignment per vehicle and
    per driver, enforced by the database."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="assignments")
    driver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_assignment_per_vehicle",
            ),
            models.UniqueConstraint(
                fields=["driver"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_assignment_per_driver",
            ),
        ]
        indexes = [models.Index(fields=["vehicle", "started_at"], name="assignment_vehicle_idx")]


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class VehicleImport(models.Model):
    """A CSV of vehicles (vin,licence_plate,nickname), checked and imported by a task."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="vehicle_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    content = models.TextField()
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # Rows that passed every check (created, or that would be created by a dry run).
    valid = models.PositiveIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"], name="vehicle_import_company_idx")]

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else (100 if self.is_finished else 0)


class EmulatedModule(models.Model):
    """State kept by the telematics emulator (vehicles.telematics.EmulatedBackend): what a real
    backend would hold on its side. Persisted so that every worker process sees the same module.
    Written through the emulator's own database connection (settings.TELEMATICS_DB_ALIAS), outside
    the caller's transaction, as a real backend's records would be."""

    vin = models.CharField(max_length=17, unique=True)
    active_services = models.JSONField(default=list)
    activations = models.PositiveIntegerField(default=0)
    deactivations = models.PositiveIntegerField(default=0)
    handled_requests = models.JSONField(default=list)
    # `manage.py emulator --set FIELD=VALUE`: fields that win over the simulation until cleared.
    overrides = models.JSONField(default=dict, blank=True)
    # `manage.py emulator --trip KM`: trips driven on demand ({"start", "km", "minutes", "bearing"}).
    manual_trips = models.JSONField(default=list, blank=True)
    # A performed service restarts the service-due counters from this odometer reading and day.
    service_reset_km = models.FloatField(null=True, blank=True)
    service_reset_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class EmulatorCall(models.Model):
    """The emulated backend's journal: every activation / deactivation / command it received, with
    what it did. Written outside the caller's transaction, so a worker killed mid-call leaves the
    record a real backend would keep (tests count real backend calls from it)."""

    vin = models.CharField(max_length=17)
    operation = models.CharField(max_length=20)
    request_id = models.CharField(max_length=100)
    attempt = models.PositiveIntegerField(default=0)
    # handled, duplicate (request id seen before), transient_failure, no_module
    outcome = models.CharField(max_length=20)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["vin", "request_id"], name="emulator_call_vin_req_idx")]


class EmulatorClock(models.Model):
    """The emulator's clock (one row): simulated time runs TELEMATICS_TIME_SCALE times faster than
    real time from the anchor. When the scale changes, the clock re-anchors at the current simulated
    time, so simulated time, and with it every odometer, only moves forward."""

    scale = models.FloatField(default=1.0)
    real_anchor = models.DateTimeField()
    sim_anchor = models.DateTimeField()
