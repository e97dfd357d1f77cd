"""REST API of remote commands (API-CONNECTED.md, "Commands"):
POST /vehicles/{vin}/commands, GET /vehicles/{vin}/commands, GET /vehicles/{vin}/commands/{id}."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from companies.audit import Actor
from mpro.api import CursorPagination, validated
from telematics.api import VanView
from vehicles.telematics import departures

from . import selectors, services
from .models import CommandKind


class CommandInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CommandKind.choices)
    departure_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="One departure (pre-climatisation), ISO 8601."
    )
    departure_time = serializers.TimeField(
        required=False,
        allow_null=True,
        input_formats=["%H:%M", "%H:%M:%S"],
        help_text='A repeating departure: the local time ("06:30") on `departure_days`.',
    )
    departure_days = serializers.ListField(
        child=serializers.ChoiceField(choices=departures.DAYS),
        required=False,
        max_length=7,
        help_text="The days a departure repeats on, in the company's time zone: "
        '`["mon", "tue", "wed", "thu", "fri"]` for weekdays.',
    )
    target_temp_c = serializers.FloatField(required=False, allow_null=True)


class CommandSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    departure_at = serializers.DateTimeField(allow_null=True)
    departure_time = serializers.TimeField(allow_null=True, format="%H:%M")
    departure_days = serializers.ListField(child=serializers.CharField())
    time_zone = serializers.CharField(help_text="The zone of a repeating departure's time (the company's).")
    next_departure_at = serializers.SerializerMethodField(
        help_text="The one-off departure, or the next occurrence of a repeating one."
    )
    target_temp_c = serializers.FloatField(allow_null=True)
    failure_reason = serializers.CharField(source="failure_reason_text")
    warnings = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_next_departure_at(self, command):
        upcoming = command.next_departure_at()
        return None if upcoming is None else serializers.DateTimeField().to_representation(upcoming)


class CommandPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class VehicleCommandsView(VanView):
    pagination_class = CommandPagination  # the schema reads it: GET answers a cursor page

    @extend_schema(
        request=CommandInputSerializer,
        responses={
            202: CommandSerializer,
            400: None,
            404: None,
            409: OpenApiResponse(
                description="`command_pending`, `vehicle_moving`, `no_module`, `service_not_active` "
                "with `service`, `prerequisites_not_met` with `unmet`"
            ),
            429: OpenApiResponse(description="too many commands to this van; see Retry-After"),
        },
        operation_id="vehicle_command_send",
    )
    def post(self, request, vin: str):
        vehicle = self.vehicle(request, vin)
        data = validated(CommandInputSerializer, request.data)
        command = services.command_send(
            vehicle=vehicle,
            membership=request.membership,
            actor=Actor.customer(request.user),
            **data,
        )
        return Response(CommandSerializer(command).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: CommandSerializer(many=True), 404: None}, operation_id="vehicle_commands")
    def get(self, request, vin: str):
        vehicle = self.vehicle(request, vin)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.commands(vehicle), request, view=self)
        return paginator.get_paginated_response(CommandSerializer(page, many=True).data)


class VehicleCommandView(VanView):
    @extend_schema(responses={200: CommandSerializer, 404: None}, operation_id="vehicle_command")
    def get(self, request, vin: str, command_id: int):
        vehicle = self.vehicle(request, vin)
        command = selectors.command(vehicle, command_id)
        if command is None:
            raise NotFound()
        return Response(CommandSerializer(command).data)
