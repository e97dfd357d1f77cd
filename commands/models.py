"""Remote commands to a van (lock, unlock, charging, pre-climatisation): one row per command, with
its lifecycle queued → sent → succeeded | failed | expired. At most one unfinished command per van
(a partial unique constraint, so two racing requests cannot both pass)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyScopedQuerySet
from vehicles.models import Vehicle


class CommandKind(models.TextChoices):
    LOCK = "lock", _("Lock")
    UNLOCK = "unlock", _("Unlock")
    CHARGE_START = "charge_start", _("Start charging")
    CHARGE_STOP = "charge_stop", _("Stop charging")
    PRECONDITION = "precondition", _("Pre-climatise")


class CommandStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent to the van")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


UNFINISHED = [CommandStatus.QUEUED, CommandStatus.SENT]


class Command(models.Model):
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="commands")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=CommandKind.choices)
    departure_at = models.DateTimeField(null=True, blank=True)
    # A repeating departure (pre-climatisation): at `departure_time` local to `time_zone` (the
    # company's when sent) on `departure_days` ("mon" … "sun"); empty days: one-off or none.
    departure_time = models.TimeField(null=True, blank=True)
    departure_days = models.JSONField(default=list, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    target_temp_c = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=CommandStatus.choices, default=CommandStatus.QUEUED)
    failure_reason = models.CharField(max_length=300, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # Sent to the backend with the command: it deduplicates, so a redelivered task acts once.
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"], condition=Q(status__in=UNFINISHED), name="command_one_unfinished_per_van"
            )
        ]
        indexes = [
            models.Index(fields=["vehicle", "-created_at"], name="command_vehicle_created_idx"),
            models.Index(fields=["created_by", "vehicle", "created_at"], name="command_rate_idx"),
            models.Index(
                fields=["expires_at"], condition=Q(status__in=UNFINISHED), name="command_unfinished_exp_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.vehicle_id} ({self.status})"

    @property
    def failure_reason_text(self) -> str:
        """The stored (English) reason in the active language, when the catalogue has it."""
        from django.utils.translation import gettext

        return gettext(self.failure_reason) if self.failure_reason else ""

    @property
    def repeating(self) -> bool:
        return bool(self.departure_days and self.departure_time)

    def next_departure_at(self, now=None):
        """The one-off departure, or the next occurrence of a repeating one after `now`."""
        if not self.repeating:
            return self.departure_at
        from django.utils import timezone

        from vehicles.telematics.departures import next_departure

        return next_departure(
            self.departure_time, self.departure_days, self.time_zone or "UTC", after=now or timezone.now()
        )

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED
