"""Retail API of the outlet's service-due queue (API-CONNECTED.md, "Maintenance"):
GET /retail/service-due, POST /retail/service-due/{vin}/appointments,
POST /retail/vehicles/{vin}/services. Dealer staff only (customers 404); no attestation or support
session: the customer chose the workshop. A van outside the caller's queue is a 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from maintenance import selectors as maintenance_selectors
from maintenance import services as maintenance_services
from maintenance.api import AppointmentSerializer
from maintenance.services import NOTE_MAX

from ..services import queue_actor
from .access import DealerStaffPermission, valid


class QueueRowSerializer(serializers.Serializer):
    vin = serializers.CharField(source="vehicle.vin")
    licence_plate = serializers.CharField(source="vehicle.licence_plate")
    model = serializers.CharField(source="vehicle.model_family")
    model_year = serializers.IntegerField(source="vehicle.model_year", allow_null=True)
    company = serializers.SerializerMethodField()
    due_in_days = serializers.IntegerField(allow_null=True)
    due_in_km = serializers.IntegerField(allow_null=True)
    level = serializers.CharField()
    since = serializers.DateTimeField(source="item.opened_at")
    last_appointment = AppointmentSerializer(allow_null=True)

    def get_company(self, row) -> dict:
        return {"pro_id": row.company.pro_id, "name": row.company.name}


class ProposeInput(serializers.Serializer):
    proposed_at = serializers.DateTimeField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX, default="")


class ServiceInput(serializers.Serializer):
    odometer_km = serializers.IntegerField(min_value=0, max_value=5_000_000)
    performed_on = serializers.DateField()


class ServiceOutput(serializers.Serializer):
    vin = serializers.CharField(source="vehicle.vin")
    performed_on = serializers.DateField()
    odometer_km = serializers.IntegerField()
    workshop = serializers.CharField(source="dealer.code")
    recorded_at = serializers.DateTimeField()


class _QueueView(APIView):
    permission_classes = [DealerStaffPermission]

    def row(self, request, vin: str):
        row = maintenance_selectors.queue_row(request.staff.dealer, vin)
        if row is None:
            raise NotFound()
        return row


class ServiceDueListView(_QueueView):
    @extend_schema(responses={200: QueueRowSerializer(many=True)}, operation_id="retail_service_due")
    def get(self, request):
        rows = maintenance_selectors.service_due_queue(request.staff.dealer)
        return Response(QueueRowSerializer(rows, many=True).data)


class ServiceDueAppointmentsView(_QueueView):
    @extend_schema(
        request=ProposeInput,
        responses={
            201: AppointmentSerializer,
            400: None,
            404: None,
            409: OpenApiResponse(description="`appointment_pending`: a proposal still waits for an answer"),
        },
        operation_id="retail_service_due_propose",
    )
    def post(self, request, vin: str):
        row = self.row(request, vin)
        data = valid(ProposeInput, request.data)
        appointment = maintenance_services.appointment_propose(
            item=row.item, actor=queue_actor(request.staff), **data
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)


class VehicleServicesView(_QueueView):
    @extend_schema(
        request=ServiceInput,
        responses={201: ServiceOutput, 400: None, 404: None, 503: None},
        operation_id="retail_vehicle_service_record",
        description="Records a performed service of a van of the caller's queue; the module's "
        "service-due counters start again from this odometer reading and date.",
    )
    def post(self, request, vin: str):
        row = self.row(request, vin)
        data = valid(ServiceInput, request.data)
        record = maintenance_services.service_record(item=row.item, actor=queue_actor(request.staff), **data)
        return Response(ServiceOutput(record).data, status=status.HTTP_201_CREATED)
