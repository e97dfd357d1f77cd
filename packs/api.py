"""REST API of the packs app (API.md: packs, orders, subscriptions). Same services as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.audit import Actor
from companies.tenancy import CompanyPermission
from mpro.api import ModelSerializer, moment_formatter

from . import selectors, services
from .models import Order, Subscription, SubscriptionStatus


# --- serializers ------------------------------------------------------------------------------
class ServiceRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="local_name")


class PriceSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()
    period = serializers.SerializerMethodField()

    def get_period(self, obj) -> str:
        return "year"


class PackSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="local_name")
    description = serializers.CharField(source="local_description")
    is_bundle = serializers.BooleanField()
    services = ServiceRefSerializer(many=True, source="services.all")
    price = serializers.SerializerMethodField()
    trial_months = serializers.SerializerMethodField()

    @extend_schema(responses=PriceSerializer(allow_null=True))
    def get_price(self, pack) -> dict | None:
        return PriceSerializer(pack.local_price).data if pack.local_price else None

    def get_trial_months(self, pack) -> int:
        return pack.local_price.trial_months if pack.local_price else 0


class SubscriptionSerializer(ModelSerializer):
    vehicle = serializers.CharField(source="vehicle.vin")
    pack = serializers.CharField(source="pack.code")
    order = serializers.IntegerField(source="order_id")
    failure_reason = serializers.CharField(source="failure_reason_display")
    price = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = [
            "id",
            "vehicle",
            "pack",
            "order",
            "status",
            "trial_ends_at",
            "paid_from",
            "paid_until",
            "ends_at",
            "activated_at",
            "cancelled_at",
            "failure_reason",
            "contract_generation",
            "price",
        ]

    def get_price(self, sub) -> dict:
        return {"amount": f"{sub.amount:.2f}", "currency": sub.currency, "period": "year"}


_DATE = serializers.DateField()


def subscription_list_data(rows) -> list[dict]:
    """GET /subscriptions' page from plain rows (`.values(*selectors.API_COLUMNS)`): exactly what
    SubscriptionSerializer(many=True) gives for the same subscriptions, without three model
    instances and a serializer per row. tests/packs/test_api.py compares the two."""

    def date(value):
        return _DATE.to_representation(value) if value is not None else None

    moment = moment_formatter()

    return [
        {
            "id": row["id"],
            "vehicle": row["vehicle__vin"],
            "pack": row["pack__code"],
            "order": row["order_id"],
            "status": row["status"],
            "trial_ends_at": date(row["trial_ends_at"]),
            "paid_from": date(row["paid_from"]),
            "paid_until": date(row["paid_until"]),
            "ends_at": date(row["ends_at"]),
            "activated_at": moment(row["activated_at"]),
            "cancelled_at": moment(row["cancelled_at"]),
            # Stored as the English source text, translated when shown (Subscription.failure_reason_display).
            "failure_reason": gettext(row["failure_reason"]) if row["failure_reason"] else "",
            "contract_generation": row["contract_generation"],
            "price": {"amount": f"{row['amount']:.2f}", "currency": row["currency"], "period": "year"},
        }
        for row in rows
    ]


class OrderSerializer(ModelSerializer):
    pack = serializers.CharField(source="pack.code")
    placed_by = serializers.CharField(source="placed_by_name")
    total = serializers.SerializerMethodField()
    subscriptions = SubscriptionSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "reference",
            "pack",
            "placed_at",
            "placed_by",
            "total",
            "contract_generation",
            "subscriptions",
        ]

    def get_total(self, order) -> dict:
        return {"amount": f"{order.total:.2f}", "currency": order.currency}


class OrderInputSerializer(serializers.Serializer):
    pack = serializers.CharField(max_length=40)
    vehicles = serializers.ListField(
        child=serializers.CharField(max_length=40), allow_empty=True, max_length=services.MAX_ORDER_VEHICLES
    )
    accept_terms = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Accepts the current service pack terms for the caller; required once per terms version.",
    )


# --- views ------------------------------------------------------------------------------------
class PackListView(APIView):
    permission_classes = [CompanyPermission]
    capability = "packs.view"

    @extend_schema(
        responses=PackSerializer(many=True), summary="The catalogue, priced for the company's country"
    )
    def get(self, request):
        packs = selectors.catalogue_for_company(request.company)
        return Response(PackSerializer(packs, many=True).data)


def _orders(view):
    """The company's orders with what OrderSerializer shows of them (none for the schema)."""
    if getattr(view, "swagger_fake_view", False):
        return Order.objects.none()
    return (
        Order.objects.for_company(view.request.company)
        .select_related("pack")
        .prefetch_related("subscriptions__vehicle", "subscriptions__pack")
    )


class OrderListView(generics.ListAPIView):
    permission_classes = [CompanyPermission]
    capabilities = {"GET": "orders.view", "POST": "orders.place"}
    serializer_class = OrderSerializer

    def get_queryset(self):
        return _orders(self)

    @extend_schema(
        request=OrderInputSerializer,
        responses={201: OrderSerializer},
        summary="Buy a pack for vehicles (all or nothing)",
        description=(
            "400 names each incompatible vehicle (or a missing price, an unknown pack, an empty or "
            "duplicated list, pack terms not accepted); 404 when a VIN is not in the company's fleet; "
            "409 `already_subscribed` when a vehicle already has the pack live."
        ),
    )
    def post(self, request):
        data = OrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_place(
            company=request.company,
            pack_code=data.validated_data["pack"],
            vins=data.validated_data["vehicles"],
            actor=Actor.customer(request.user),
            accept_pack_terms=data.validated_data["accept_terms"],
        )
        order = self.get_queryset().get(pk=order.pk)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderDetailView(generics.RetrieveAPIView):
    permission_classes = [CompanyPermission]
    capability = "orders.view"
    serializer_class = OrderSerializer
    lookup_url_kwarg = "order_id"

    def get_queryset(self):
        return _orders(self)


class SubscriptionListView(generics.ListAPIView):
    permission_classes = [CompanyPermission]
    capability = "subscriptions.manage"
    serializer_class = SubscriptionSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("vehicle", str, description="VIN"),
            OpenApiParameter("pack", str, description="pack code"),
            OpenApiParameter("status", str, enum=SubscriptionStatus.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        status_filter = request.query_params.get("status", "")
        if status_filter and status_filter not in SubscriptionStatus.values:
            raise serializers.ValidationError(
                {
                    "status": [
                        gettext("Choose one of: %(values)s.")
                        % {"values": ", ".join(SubscriptionStatus.values)}
                    ]
                }
            )
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset().values(*selectors.API_COLUMNS))
        return self.get_paginated_response(subscription_list_data(page))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Subscription.objects.none()
        params = self.request.query_params
        return selectors.subscriptions_for_api(
            self.request.company,
            vehicle=params.get("vehicle", "")[:40],
            pack=params.get("pack", "")[:40],
            status=params.get("status", ""),
        )


class _SubscriptionActionView(APIView):
    permission_classes = [CompanyPermission]
    capability = "subscriptions.manage"

    def subscription(self, request, subscription_id: int) -> Subscription:
        sub = selectors.subscription(request.company, subscription_id)
        if sub is None:
            raise Http404
        return sub

    def respond(self, sub: Subscription) -> Response:
        sub = Subscription.objects.select_related("vehicle", "pack").get(pk=sub.pk)
        return Response(SubscriptionSerializer(sub).data)


class SubscriptionCancelView(_SubscriptionActionView):
    @extend_schema(
        request=None, responses=SubscriptionSerializer, summary="Cancel now (409 `not_live` if it has ended)"
    )
    def post(self, request, subscription_id: int):
        sub = self.subscription(request, subscription_id)
        services.subscription_cancel(subscription=sub, actor=Actor.customer(request.user))
        return self.respond(sub)


class SubscriptionRetryView(_SubscriptionActionView):
    @extend_schema(
        request=None,
        responses=SubscriptionSerializer,
        summary="Retry a failed activation (409 `not_failed` otherwise)",
    )
    def post(self, request, subscription_id: int):
        sub = self.subscription(request, subscription_id)
        services.subscription_retry(subscription=sub, actor=Actor.customer(request.user))
        return self.respond(sub)
