"""API for company administrators: data-interface clients and webhook endpoints."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.audit import Actor
from companies.tenancy import CompanyPermission
from mpro.api import CursorPagination, ModelSerializer

from . import selectors, services
from .models import WebhookDelivery, WebhookEndpoint


# --- data clients ------------------------------------------------------------------------------
class DataClientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    client_id = serializers.CharField(source="application.client_id")
    scopes = serializers.ListField(child=serializers.CharField())
    created = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    calls_today = serializers.IntegerField()


class DataClientCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=services.DATA_SCOPES), required=False, allow_empty=False
    )


class NewDataClientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    client_id = serializers.CharField()
    client_secret = serializers.CharField(help_text="Shown only in this answer; only a hash is stored.")
    scopes = serializers.ListField(child=serializers.CharField())
    created = serializers.DateTimeField()


class DataClientsView(APIView):
    """The company's data-interface clients (administrators only)."""

    permission_classes = [CompanyPermission]
    capability = "integrations.manage"

    @extend_schema(responses=DataClientSerializer(many=True))
    def get(self, request):
        return Response(DataClientSerializer(selectors.data_clients(request.company), many=True).data)

    @extend_schema(request=DataClientCreateSerializer, responses={201: NewDataClientSerializer})
    def post(self, request):
        data = DataClientCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client, secret = services.data_client_create(
            company=request.company, actor=Actor.customer(request.user), **data.validated_data
        )
        answer = {
            "id": client.pk,
            "name": client.name,
            "client_id": client.client_id,
            "client_secret": secret,
            "scopes": client.scopes,
            "created": client.created,
        }
        return Response(NewDataClientSerializer(answer).data, status=status.HTTP_201_CREATED)


class DataClientView(APIView):
    permission_classes = [CompanyPermission]
    capability = "integrations.manage"

    @extend_schema(responses={204: None})
    def delete(self, request, client_id: int):
        client = selectors.data_client(request.company, client_id)
        if client is None:
            raise Http404
        services.data_client_revoke(client=client, actor=Actor.customer(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- webhooks ----------------------------------------------------------------------------------
class WebhookSerializer(ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "disabled_at", "failing_since", "created"]


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=services.WEBHOOK_EVENTS), allow_empty=False
    )


class NewWebhookSerializer(WebhookSerializer):
    secret = serializers.CharField(
        help_text="The signing secret (Standard Webhooks). Shown only in this answer."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class DeliverySerializer(ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event",
            "status",
            "attempts",
            "response_status",
            "response_ms",
            "last_error",
            "last_attempt_at",
            "next_attempt_at",
            "created",
            "payload",
        ]


def _endpoint(request, webhook_id: int) -> WebhookEndpoint:
    endpoint = selectors.webhook_endpoint(request.company, webhook_id)
    if endpoint is None:
        raise Http404
    return endpoint


class WebhooksView(APIView):
    permission_classes = [CompanyPermission]
    capability = "integrations.manage"

    @extend_schema(responses=WebhookSerializer(many=True))
    def get(self, request):
        return Response(WebhookSerializer(selectors.webhook_endpoints(request.company), many=True).data)

    @extend_schema(request=WebhookCreateSerializer, responses={201: NewWebhookSerializer})
    def post(self, request):
        data = WebhookCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = services.webhook_endpoint_create(
            company=request.company, actor=Actor.customer(request.user), **data.validated_data
        )
        endpoint.secret = secret
        return Response(NewWebhookSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookView(APIView):
    permission_classes = [CompanyPermission]
    capability = "integrations.manage"

    @extend_schema(responses={204: None})
    def delete(self, request, webhook_id: int):
        services.webhook_endpoint_delete(
            endpoint=_endpoint(request, webhook_id), actor=Actor.customer(request.user)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveriesView(ListAPIView):
    """The deliveries of one endpoint, newest first: status, attempts, response time, next try."""

    permission_classes = [CompanyPermission]
    capability = "integrations.manage"
    serializer_class = DeliverySerializer
    pagination_class = CursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return WebhookDelivery.objects.none()
        return selectors.deliveries(_endpoint(self.request, self.kwargs["webhook_id"]))


class WebhookRedeliverView(APIView):
    permission_classes = [CompanyPermission]
    capability = "integrations.manage"

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request, webhook_id: int, delivery_id: int):
        delivery = selectors.delivery(_endpoint(request, webhook_id), delivery_id)
        if delivery is None:
            raise Http404
        delivery = services.webhook_redeliver(delivery=delivery, actor=Actor.customer(request.user))
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
