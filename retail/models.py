from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Dealer


def normalize_d5_id(raw: str | None) -> str:
    """A dealer ID as stored: without surrounding spaces, upper case (d5ab1234 → D5AB1234)."""
    return (raw or "").strip().upper()


class DealerStaff(models.Model):
    """An employee of a dealer outlet. Logs in to the Retail site with a dealer ID ("D5" ID)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dealer_staff"
    )
    dealer = models.ForeignKey(Dealer, on_delete=models.PROTECT, related_name="staff")
    d5_id = models.CharField(_("dealer ID"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("dealer staff member")
        verbose_name_plural = _("dealer staff")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.email} ({self.d5_id}, {self.dealer.code})"


class OpenWindowQuerySet(models.QuerySet):
    def open_for(self, *, staff: DealerStaff, company: Company):
        return self.filter(staff=staff, company=company, expires_at__gt=timezone.now())


class Attestation(models.Model):
    """The staff member confirmed the customer employee's identity; opens the company to them."""

    staff = models.ForeignKey(DealerStaff, on_delete=models.CASCADE, related_name="attestations")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="attestations")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = OpenWindowQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["staff", "company", "expires_at"], name="attestation_open_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How audit events name it (`acting_under`). Stored data, so not translated."""
        return f"attestation #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.expires_at > timezone.now()


class SupportSession(models.Model):
    """Opened with the customer's support password: lets one staff member act for one company."""

    staff = models.ForeignKey(DealerStaff, on_delete=models.CASCADE, related_name="support_sessions")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="support_sessions")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = OpenWindowQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["staff", "company", "expires_at"], name="support_session_open_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"support session #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.expires_at > timezone.now()


class SupportPasswordAttempt(models.Model):
    """Every try at a company's support password (never the password itself).

    `blocked`: the try came while the company was locked after too many failures, so the password
    was not even checked; blocked tries do not extend the lock."""

    staff = models.ForeignKey(DealerStaff, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    succeeded = models.BooleanField()
    blocked = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["company", "succeeded", "at"], name="support_attempt_idx")]


class RetailRegistration(models.Model):
    """A company registered at an outlet by its staff, on the customer's behalf. Keeps the outlet
    that registered it (its verification queue) and lets the registering staff member see the new
    PRO ID again."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="retail_registration")
    staff = models.ForeignKey(DealerStaff, null=True, on_delete=models.SET_NULL, related_name="registrations")
    dealer = models.ForeignKey(Dealer, on_delete=models.PROTECT, related_name="registrations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["dealer", "-created_at"], name="retail_registration_dealer_idx")]
