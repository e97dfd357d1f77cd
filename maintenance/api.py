"""REST API of maintenance, the customer side (API-CONNECTED.md, "Maintenance"):
GET /vehicles/{vin}/maintenance, POST /vehicles/{vin}/appointments/{id}/accept and /decline.
The workshop's side is in retail/api/service_due.py."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.audit import Actor
from companies.tenancy import CompanyPermission
from mpro.api import validated
from telematics.api import VanView
from telematics.selectors import require_service

from . import selectors, services
from .services import NOTE_MAX


class WorkshopSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    street = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    phone = serializers.CharField()


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vehicle = serializers.CharField(source="vehicle.vin")
    workshop = serializers.CharField(source="dealer.code")
    proposed_at = serializers.DateTimeField()
    note = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer_message = serializers.CharField()


class MaintenanceSerializer(serializers.Serializer):
    vin = serializers.CharField(source="vehicle.vin")
    due_in_days = serializers.IntegerField(allow_null=True)
    due_in_km = serializers.IntegerField(allow_null=True)
    level = serializers.CharField(
        allow_null=True, help_text="ok, soon, due or overdue; null before the first report"
    )
    workshop = WorkshopSerializer(allow_null=True)
    workshop_informed = serializers.SerializerMethodField()
    appointments = AppointmentSerializer(many=True)

    def get_workshop_informed(self, info) -> bool:
        return bool(info.open_item and info.open_item.informed_at)


class AnswerInputSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX, default="")


class VehicleMaintenanceView(VanView):
    @extend_schema(
        responses={
            200: MaintenanceSerializer,
            404: None,
            409: OpenApiResponse(description="`service_not_active` with `service`, `no_module`"),
        },
        operation_id="vehicle_maintenance",
    )
    def get(self, request, vin: str):
        vehicle = self.vehicle(request, vin)
        require_service(vehicle, selectors.MAINTENANCE)
        info = selectors.van_maintenance(vehicle)
        for appointment in info.appointments:
            appointment.vehicle = vehicle
        return Response(MaintenanceSerializer(info).data)


class _AnswerView(VanView):
    capability = "vehicles.manage"
    accept = True

    @extend_schema(
        request=AnswerInputSerializer,
        responses={
            200: AppointmentSerializer,
            400: None,
            403: None,
            404: None,
            409: OpenApiResponse(description="`appointment_answered`, `appointment_past`"),
        },
    )
    def post(self, request, vin: str, appointment_id: int):
        vehicle = self.vehicle(request, vin)
        appointment = selectors.appointment(vehicle, appointment_id)
        if appointment is None:
            raise NotFound()
        data = validated(AnswerInputSerializer, request.data)
        appointment = services.appointment_answer(
            appointment=appointment,
            accept=self.accept,
            message=data["message"],
            actor=Actor.customer(request.user),
        )
        return Response(AppointmentSerializer(appointment).data)


class AppointmentAcceptView(_AnswerView):
    accept = True


class AppointmentDeclineView(_AnswerView):
    accept = False


class MaintenanceSettingsSerializer(serializers.Serializer):
    inform_workshop = serializers.BooleanField()


class MaintenanceSettingsView(APIView):
    """The company's switch: GET (admins and fleet managers), PUT (admins)."""

    permission_classes = [CompanyPermission]
    capabilities = {"GET": "vehicles.view_all", "PUT": "company.manage", "PATCH": "company.manage"}

    @extend_schema(responses={200: MaintenanceSettingsSerializer}, operation_id="maintenance_settings")
    def get(self, request):
        return Response(MaintenanceSettingsSerializer(selectors.settings_of(request.company)).data)

    @extend_schema(
        request=MaintenanceSettingsSerializer,
        responses={200: MaintenanceSettingsSerializer, 400: None, 403: None},
        operation_id="maintenance_settings_update",
    )
    def put(self, request):
        data = validated(MaintenanceSettingsSerializer, request.data)
        row = services.settings_update(
            company=request.company,
            inform_workshop=data["inform_workshop"],
            actor=Actor.customer(request.user),
        )
        return Response(MaintenanceSettingsSerializer(row).data)

    @extend_schema(
        request=MaintenanceSettingsSerializer,
        responses={200: MaintenanceSettingsSerializer, 400: None, 403: None},
        operation_id="maintenance_settings_patch",
    )
    def patch(self, request):
        return self.put(request)
