"""Retail API: a company's vehicles (verify, reject, transfer) and, in a support session, adding
vehicles and ordering packs for the customer."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from packs.api import OrderSerializer
from packs.selectors import review_lines
from packs.services import order_place, order_quote, order_terms_check
from vehicles.models import Vehicle
from vehicles.selectors import vehicles_for_list
from vehicles.services import vehicle_add
from vehicles.vin import normalize_vin

from .. import selectors, services
from .access import ATTESTATION, SUPPORT_SESSION, CompanyAPIView, valid
from .schema import NEEDS_ATTESTATION, NEEDS_SUPPORT_SESSION, ORDER_REVIEW_DOC, TRANSFER_DOC, VERIFY_DOC
from .serializers import (
    RetailOrderInput,
    RetailOrderReview,
    RetailReasonInput,
    RetailTransferInput,
    RetailVehicleInput,
    RetailVehicleSerializer,
)


def _vehicle_data(vehicle: Vehicle) -> dict:
    return RetailVehicleSerializer(vehicles_for_list(vehicle.company).get(pk=vehicle.pk)).data


class VehicleListView(CompanyAPIView, generics.ListAPIView):
    """GET: the company's vehicles (attestation). POST: add one for the customer (support session)."""

    serializer_class = RetailVehicleSerializer
    windows = {"GET": ATTESTATION, "POST": SUPPORT_SESSION}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vehicle.objects.none()
        return selectors.matching_vin(
            vehicles_for_list(self.company), self.request.query_params.get("vin", "")[:40]
        )

    @extend_schema(parameters=[OpenApiParameter("vin", str, description="a whole VIN or a part of one")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=RetailVehicleInput,
        responses={201: RetailVehicleSerializer},
        description=NEEDS_SUPPORT_SESSION + " As POST /vehicles for customers (400, 409 `vin_registered`).",
    )
    def post(self, request, pro_id):
        data = valid(RetailVehicleInput, request.data)
        vehicle = vehicle_add(company=self.company, actor=self.actor, **data)
        return Response(_vehicle_data(vehicle), status=status.HTTP_201_CREATED)


class VehicleActionView(CompanyAPIView):
    def get_vehicle(self, vin: str) -> Vehicle:
        vehicle = Vehicle.objects.for_company(self.company).filter(vin=normalize_vin(vin)).first()
        if vehicle is None:
            raise NotFound()
        return vehicle


class VehicleVerifyView(VehicleActionView):
    @extend_schema(
        request=None, responses={200: RetailVehicleSerializer}, description=NEEDS_ATTESTATION + VERIFY_DOC
    )
    def post(self, request, pro_id, vin):
        vehicle = services.vehicle_verify(vehicle=self.get_vehicle(vin), actor=self.actor)
        return Response(_vehicle_data(vehicle))


class VehicleRejectView(VehicleActionView):
    @extend_schema(request=RetailReasonInput, responses={200: RetailVehicleSerializer})
    def post(self, request, pro_id, vin):
        vehicle = self.get_vehicle(vin)
        data = valid(RetailReasonInput, request.data)
        vehicle = services.vehicle_reject(vehicle=vehicle, reason=data["reason"], actor=self.actor)
        return Response(_vehicle_data(vehicle))


class TransferView(CompanyAPIView):
    """Not in API.md's table (an addition): moves a VIN another company holds into this one, after
    the dealer checked the registration document. 201 with the vehicle."""

    @extend_schema(
        request=RetailTransferInput,
        responses={201: RetailVehicleSerializer},
        description=NEEDS_ATTESTATION + TRANSFER_DOC,
    )
    def post(self, request, pro_id):
        data = valid(RetailTransferInput, request.data)
        vehicle = services.vehicle_transfer_to(
            company=self.company,
            vin=data["vin"],
            registration_checked=data["registration_checked"],
            actor=self.actor,
        )
        return Response(_vehicle_data(vehicle), status=status.HTTP_201_CREATED)


class OrderCreateView(CompanyAPIView):
    window = SUPPORT_SESSION

    @extend_schema(
        request=RetailOrderInput,
        responses={201: OrderSerializer},
        description=NEEDS_SUPPORT_SESSION + " As POST /orders for customers; an administrator of the company "
        "must have accepted the pack terms (400 `accept_terms` otherwise).",
    )
    def post(self, request, pro_id):
        data = valid(RetailOrderInput, request.data)
        order = order_place(
            company=self.company, pack_code=data["pack"], vins=data["vehicles"], actor=self.actor
        )
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderReviewView(CompanyAPIView):
    window = SUPPORT_SESSION

    @extend_schema(
        request=RetailOrderInput,
        responses={200: RetailOrderReview},
        description=NEEDS_SUPPORT_SESSION + ORDER_REVIEW_DOC,
        operation_id="retail_order_review",
    )
    def post(self, request, pro_id):
        data = valid(RetailOrderInput, request.data)
        quote = order_quote(company=self.company, pack_code=data["pack"], vins=data["vehicles"])
        order_terms_check(company=self.company, actor=self.actor)
        return Response(RetailOrderReview({"quote": quote, "lines": review_lines(quote)}).data)
