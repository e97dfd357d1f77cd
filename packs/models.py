from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyScopedQuerySet, Country
from vehicles.models import Vehicle


class Translated(models.Model):
    """Catalogue texts are data: English in `name`/`description`, other languages in
    `translations` ({"fr": {"name": ..., "description": ...}, ...}), editable in the admin."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def localized(self, field: str, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return (self.translations.get(language) or {}).get(field) or getattr(self, field)

    @property
    def local_name(self) -> str:
        return self.localized("name")

    @property
    def local_description(self) -> str:
        return self.localized("description")


class Service(Translated):
    """One digital service a communication module can run (fleet management, logbook, ...)."""

    code = models.SlugField(max_length=40, unique=True)
    requires_module = models.BooleanField(default=True)
    # Empty means every fuel / every model family.
    fuels = models.JSONField(default=list, blank=True)
    model_families = models.JSONField(default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def requirements(self) -> list[str]:
        """Which vans the service works with, in words."""
        from django.utils.translation import gettext

        texts = []
        if self.fuels == ["electric"]:
            texts.append(gettext("electric vans only"))
        if self.model_families:
            texts.append(", ".join(self.model_families))
        if self.requires_module:
            texts.append(gettext("needs the communication module"))
        return texts


class Pack(Translated):
    code = models.SlugField(max_length=40, unique=True)
    services = models.ManyToManyField(Service, related_name="packs")
    is_bundle = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Price(models.Model):
    """Price of a pack per vehicle per year in a country, excluding VAT."""

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="prices")
    country = models.CharField(max_length=2, choices=Country.choices)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    trial_months = models.PositiveSmallIntegerField(_("welcome offer (free months)"), default=0)
    source = models.CharField(max_length=200, blank=True, help_text=_("Where the price comes from."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pack", "country"], name="one_price_per_pack_country")]

    def __str__(self) -> str:
        return f"{self.pack.code} {self.country}: {self.amount} {self.currency}"


# Order references: letters and digits nobody confuses on the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_order_reference() -> str:
    """MP-7KQ4-X2ZB: opaque, so a new customer's first order does not read "order #2 of the
    platform" as the database id did. 31^8 ≈ 8.5·10^11 values; the unique constraint decides."""
    import secrets

    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"MP-{chars[:4]}-{chars[4:]}"


class Order(models.Model):
    reference = models.CharField(
        _("order reference"), max_length=12, unique=True, default=new_order_reference, editable=False
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="orders")
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="orders")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    contract_generation = models.PositiveIntegerField(default=1)
    # Who placed it as shown to the customer: a user's name, plus the outlet when dealer staff acted.
    placed_by_name = models.CharField(max_length=300, blank=True)
    pack_terms_version = models.CharField(max_length=20, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["company", "-placed_at", "-id"], name="order_company_idx")]


class SubscriptionStatus(models.TextChoices):
    AWAITING_VERIFICATION = "awaiting_verification", _("Waiting for dealer verification")
    ACTIVATION_PENDING = "activation_pending", _("Activating")
    ACTIVE = "active", _("Active")
    ACTIVATION_FAILED = "activation_failed", _("Activation failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


LIVE_STATUSES = [
    SubscriptionStatus.AWAITING_VERIFICATION,
    SubscriptionStatus.ACTIVATION_PENDING,
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.ACTIVATION_FAILED,
]


class SubscriptionQuerySet(CompanyScopedQuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def held_by_current_holder(self):
        """Subscriptions of the company that holds the van now, since it got it: a van transferred
        in shows nothing of its previous holder's packs (issue 17, item 2)."""
        return self.filter(company_id=F("vehicle__company_id"), created_at__gte=F("vehicle__held_since"))


class Subscription(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="subscriptions")
    # No index of its own: the composite indexes below all lead with the company.
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="subscriptions", db_index=False
    )
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="subscriptions")
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(
        max_length=25, choices=SubscriptionStatus.choices, default=SubscriptionStatus.AWAITING_VERIFICATION
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    trial_ends_at = models.DateField(null=True, blank=True)
    paid_from = models.DateField(null=True, blank=True)
    paid_until = models.DateField(null=True, blank=True)
    contract_generation = models.PositiveIntegerField(default=1)
    activated_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    trial_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Set when notice was given for the end of the current period; the daily task expires it then.
    ends_at = models.DateField(null=True, blank=True)
    activation_requested_at = models.DateTimeField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "pack"],
                condition=models.Q(status__in=LIVE_STATUSES),
                name="one_live_subscription_per_vehicle_pack",
            )
        ]
        indexes = [
            models.Index(fields=["vehicle", "status"], name="sub_vehicle_status_idx"),
            models.Index(fields=["status", "trial_ends_at"], name="sub_trial_idx"),
            models.Index(fields=["company", "-id"], name="sub_company_id_idx"),
            models.Index(fields=["company", "pack", "status"], name="sub_company_pack_idx"),
            models.Index(fields=["status", "ends_at"], name="sub_ends_idx"),
            # The dashboard: trials ending soon and the latest failures, each one index range. The
            # second also serves every (company, status) filter (it replaced that index).
            models.Index(fields=["company", "trial_ends_at", "status"], name="sub_company_trial_idx"),
            models.Index(fields=["company", "status", "-updated_at"], name="sub_company_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pack.code} on {self.vehicle.vin}: {self.status}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def activation_request_id(self) -> str:
        """Stable per subscription, so the telematics backend deduplicates a repeated activation."""
        return f"mpro-sub-{self.pk}-activate"

    @property
    def deactivation_request_id(self) -> str:
        return f"mpro-sub-{self.pk}-deactivate"

    @property
    def in_trial(self) -> bool:
        from django.utils import timezone

        return bool(self.trial_ends_at and self.trial_ends_at >= timezone.localdate())

    @property
    def charged_from(self):
        """The first day that is charged: the day after the welcome offer, else the purchase day."""
        import datetime

        if self.paid_from:
            return self.paid_from
        return self.trial_ends_at + datetime.timedelta(days=1) if self.trial_ends_at else None

    @property
    def failure_reason_display(self) -> str:
        # Stored as the English source text, translated when shown (see services._reason_text).
        from django.utils.translation import gettext

        return gettext(self.failure_reason) if self.failure_reason else ""
