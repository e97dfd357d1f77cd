"""The one model of the ground layer: the transactional outbox (see mpro/outbox.py).

It lives in `mpro`, not in an app, because every app writes to it and no app may be imported by
the ground; so it refers to companies by plain id, never by a foreign key."""

from django.db import models


class OutboxMessage(models.Model):
    """A domain event or a task to publish, written in the transaction of the change it follows.

    `kind` is an event kind (`vehicle.verified`) or `task` (payload: task name and arguments).
    `published_at`: the broker accepted it (for an event: one task per consumer). `delivered_at`:
    every consumer of the event has run (for a task: set with `published_at`). `done`: the names of
    the consumers that already ran, so a redelivered message calls each consumer once."""

    TASK = "task"

    kind = models.CharField(max_length=60)
    company_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    done = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [
            # The sweeper's two questions: what was never published, what was never delivered.
            models.Index(
                fields=["created_at"],
                name="outbox_unpublished",
                condition=models.Q(published_at__isnull=True),
            ),
            models.Index(
                fields=["published_at"],
                name="outbox_undelivered",
                condition=models.Q(delivered_at__isnull=True),
            ),
            models.Index(fields=["company_id", "kind"], name="outbox_company_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class OnceKey(models.Model):
    """A key claimed once (`outbox.claim_once`): consumers use it to send one e-mail for an outcome
    that several events report (two deliveries racing claim the same key; one wins)."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
