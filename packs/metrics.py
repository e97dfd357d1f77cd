"""What packs reports to /metrics (mpro.metrics computes it at scrape time)."""

from django.db.models import Count, Min

from mpro.metrics import register_waiting

from .models import Subscription, SubscriptionStatus


def waiting_activations():
    row = Subscription.objects.filter(status=SubscriptionStatus.ACTIVATION_PENDING).aggregate(
        n=Count("id"), oldest=Min("activation_requested_at")
    )
    return row["n"], row["oldest"]


def register() -> None:
    register_waiting("activations", waiting_activations)
