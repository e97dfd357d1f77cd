"""Maintenance management: each occurrence of a van's service coming due (a due item, opened when
the van reaches "soon", closed by a recorded service or when the counters start again), the
appointments its workshop proposes, the services performed, and the company's one switch.

The counters themselves are the van's (telematics.VehicleState.service_due_days / _km): nothing
here copies them, so every page reads the latest report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyScopedQuerySet, Dealer
from vehicles.models import Vehicle


class Level(models.TextChoices):
    OK = "ok", _("OK")
    SOON = "soon", _("Soon")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")


# Order of gravity: the overview sorts and filters by it.
LEVEL_RANK = {Level.OK: 0, Level.SOON: 1, Level.DUE: 2, Level.OVERDUE: 3}


class MaintenanceSettings(models.Model):
    """The company's choices for maintenance. One row per company, created on first change (a
    company without a row has the defaults), so the companies app needs no migration."""

    company = models.OneToOneField(
        Company, primary_key=True, on_delete=models.CASCADE, related_name="maintenance_settings"
    )
    inform_workshop = models.BooleanField(
        _("inform the workshop automatically"),
        default=True,
        help_text=_(
            "When a van's service comes due, its workshop sees it in its queue and can propose a date."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("maintenance settings")
        verbose_name_plural = _("maintenance settings")

    def __str__(self) -> str:
        return f"maintenance settings of {self.company_id}"


class DueItem(models.Model):
    """One occurrence of a van's service coming due. At most one open item per van (a partial
    unique constraint: two report batches racing cannot open two)."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    # The outlet in charge: the van's workshop, else the company's default. Moves with a change.
    dealer = models.ForeignKey(Dealer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField()
    due_in_days = models.IntegerField(null=True, blank=True)
    due_in_km = models.IntegerField(null=True, blank=True)
    # When the workshop was informed (None while the company's switch is off).
    informed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"], condition=Q(closed_at__isnull=True), name="maint_one_open_item_per_van"
            )
        ]
        indexes = [
            models.Index(
                fields=["dealer", "opened_at"],
                condition=Q(closed_at__isnull=True, informed_at__isnull=False),
                name="maint_open_by_dealer_idx",
            )
        ]

    def __str__(self) -> str:
        return f"service due of {self.vehicle_id} since {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class AppointmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Appointment(models.Model):
    """A date the workshop proposes for a van's service; the fleet accepts or declines it."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    dealer = models.ForeignKey(Dealer, on_delete=models.PROTECT, related_name="+")
    due_item = models.ForeignKey(
        DueItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    proposed_at = models.DateTimeField(_("date and time"))
    note = models.TextField(_("note"), blank=True, max_length=1000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.PROPOSED
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_message = models.TextField(_("message"), blank=True, max_length=1000)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["vehicle", "proposed_at"], name="maint_appt_vehicle_idx")]

    def __str__(self) -> str:
        return f"appointment {self.pk} for {self.vehicle_id} at {self.proposed_at:%Y-%m-%d %H:%M}"


class ServiceRecord(models.Model):
    """A service the workshop performed (and told the van's module about)."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    dealer = models.ForeignKey(Dealer, on_delete=models.PROTECT, related_name="+")
    performed_on = models.DateField(_("performed on"))
    odometer_km = models.PositiveIntegerField(_("odometer (km)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["vehicle", "performed_on"], name="maint_service_vehicle_idx")]

    def __str__(self) -> str:
        return f"service of {self.vehicle_id} on {self.performed_on}"
