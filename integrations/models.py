"""Integrations: data-interface clients (OAuth2 client credentials) and signed webhooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application

from companies.models import Company, CompanyScopedQuerySet


class DataClient(models.Model):
    """Fleet software reading van data for one company, without a person's password.

    The OAuth2 side (client id, hashed secret, tokens) is django-oauth-toolkit's Application; this
    row ties it to the company and keeps what the portal shows."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="data_clients")
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="data_client")
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def client_id(self) -> str:
        return self.application.client_id


class DataClientUsage(models.Model):
    """Calls of one client on one day (UTC), shown in the portal."""

    client = models.ForeignKey(DataClient, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["client", "day"], name="one_usage_row_per_client_day")]


class WebhookEndpoint(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(default=list)
    # Signing needs the secret itself (HMAC), so it cannot be stored as a one-way hash like tokens.
    secret = models.CharField(max_length=80, editable=False)
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Set by the first failure after a success; an endpoint failing for days is disabled.
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["company", "is_active"], name="webhook_company_active_idx")]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed, gave up")


class WebhookDelivery(models.Model):
    """One event for one endpoint. Retries reuse the message id, as Standard Webhooks asks, so a
    receiver can tell a repeat from a new event."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40)
    event = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
            models.Index(fields=["endpoint", "-id"], name="delivery_endpoint_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}: {self.status}"
