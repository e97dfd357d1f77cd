"""Reads of the integrations app, scoped to a company."""

from __future__ import annotations

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from companies.models import Company

from .models import DataClient, DataClientUsage, WebhookDelivery, WebhookEndpoint


def data_clients(company: Company) -> QuerySet[DataClient]:
    """The company's clients with today's call count (one query, however many clients)."""
    today = DataClientUsage.objects.filter(client=OuterRef("pk"), day=timezone.now().date()).values("calls")
    return (
        DataClient.objects.for_company(company)
        .select_related("application")
        .annotate(calls_today=Coalesce(Subquery(today[:1]), Value(0), output_field=IntegerField()))
    )


def data_client(company: Company, client_id: int) -> DataClient | None:
    return (
        DataClient.objects.for_company(company)
        .select_related("application", "company")
        .filter(pk=client_id)
        .first()
    )


def data_client_usage(client: DataClient, days: int = 14) -> QuerySet[DataClientUsage]:
    return client.usage.order_by("-day")[:days]


def webhook_endpoints(company: Company) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.for_company(company)


def webhook_endpoint(company: Company, endpoint_id: int) -> WebhookEndpoint | None:
    return (
        WebhookEndpoint.objects.for_company(company).select_related("company").filter(pk=endpoint_id).first()
    )


def deliveries(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.for_company(endpoint.company).filter(endpoint=endpoint)


def delivery(endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery | None:
    return deliveries(endpoint).filter(pk=delivery_id).first()
