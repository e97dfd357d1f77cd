"""Jobs a fleet manager sends to a driver (API-CONNECTED.md, "Jobs between fleet manager and
driver"): one row per job, with the time of each status change. Company-scoped like everything else."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyScopedQuerySet
from vehicles.models import Vehicle

TITLE_MAX = 120
NOTES_MAX = 2000
ADDRESS_MAX = 200
REASON_MAX = 300


class JobStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    READ = "read", _("Read")
    ACCEPTED = "accepted", _("Accepted")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


# What the addressed driver may move a job to, from each status. Done and declined are final.
TRANSITIONS: dict[str, set[str]] = {
    JobStatus.SENT: {JobStatus.READ, JobStatus.ACCEPTED, JobStatus.DECLINED},
    JobStatus.READ: {JobStatus.ACCEPTED, JobStatus.DECLINED},
    JobStatus.ACCEPTED: {JobStatus.DONE, JobStatus.DECLINED},
    JobStatus.DONE: set(),
    JobStatus.DECLINED: set(),
}
OPEN = [JobStatus.SENT, JobStatus.READ, JobStatus.ACCEPTED]


class Job(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    driver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX, blank=True)
    destination = models.CharField(_("destination"), max_length=ADDRESS_MAX, blank=True)
    destination_lat = models.FloatField(null=True, blank=True)
    destination_lon = models.FloatField(null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.SENT)
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=REASON_MAX, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["company", "-sent_at"], name="job_company_sent_idx"),
            models.Index(fields=["company", "status", "-sent_at"], name="job_company_status_idx"),
            models.Index(fields=["driver", "-sent_at"], name="job_driver_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def has_place(self) -> bool:
        return self.destination_lat is not None and self.destination_lon is not None

    @property
    def geo_uri(self) -> str:
        """A `geo:` link the phone opens in its maps app (RFC 5870; `q=` carries the address)."""
        from urllib.parse import quote

        if self.has_place:
            uri = f"geo:{self.destination_lat:.6f},{self.destination_lon:.6f}"
            return uri + (f"?q={quote(self.destination)}" if self.destination else "")
        return f"geo:0,0?q={quote(self.destination)}" if self.destination else ""

    @property
    def allowed_next(self) -> set[str]:
        return TRANSITIONS.get(self.status, set())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def changed_at(self, status: str):
        return getattr(self, f"{status}_at", None)

    def timeline(self) -> list[tuple[str, object]]:
        """(status label, when) of every change so far, in order."""
        return [
            (label, when)
            for value, label in JobStatus.choices
            if (when := self.changed_at(value)) is not None
        ]
