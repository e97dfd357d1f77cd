"""REST API of the connected vans (API-CONNECTED.md, "Vehicle data"):
GET /vehicles/{vin}/status, GET /vehicles/{vin}/positions, GET /fleet/status.

Rights: admins and fleet managers see every van of the company, a driver only the van assigned
to them (another van is a 404, as any object out of reach). A van without fleet management live is
a 409 `service_not_active` naming the service; a van without a module a 409 `no_module`."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.tenancy import CompanyPermission
from mpro.api import CursorPagination, moment_formatter, validated
from vehicles.selectors import vans_in_reach

from . import privacy, selectors
from .models import VehicleState


# --- serializers ---------------------------------------------------------------------------------
class PositionSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    heading = serializers.IntegerField(allow_null=True)
    speed_kmh = serializers.FloatField()


class PlugSerializer(serializers.Serializer):
    inserted = serializers.BooleanField()
    locked = serializers.BooleanField()
    connected = serializers.BooleanField()


class ServiceDueSerializer(serializers.Serializer):
    days = serializers.IntegerField(allow_null=True)
    km = serializers.IntegerField(allow_null=True)


class VehicleStatusSerializer(serializers.Serializer):
    """A van's latest state. `reported_at` is null (and `stale` true) before its first report."""

    vin = serializers.CharField()
    reported_at = serializers.DateTimeField(allow_null=True)
    stale = serializers.BooleanField()
    odometer_km = serializers.FloatField(allow_null=True)
    fuel_percent = serializers.FloatField(allow_null=True, help_text="null on an electric van")
    battery_percent = serializers.FloatField(allow_null=True, help_text="null on a combustion van")
    range_km = serializers.FloatField(allow_null=True)
    position = PositionSerializer(allow_null=True)
    ignition = serializers.BooleanField(allow_null=True)
    doors_locked = serializers.BooleanField(allow_null=True)
    doors_closed = serializers.BooleanField(allow_null=True)
    windows_closed = serializers.BooleanField(allow_null=True)
    bonnet_closed = serializers.BooleanField(allow_null=True)
    gear = serializers.ChoiceField(choices=["P", "R", "N", "D"], allow_null=True)
    plug = PlugSerializer(allow_null=True, help_text="null on a combustion van")
    outside_temp_c = serializers.FloatField(allow_null=True)
    cabin_temp_c = serializers.FloatField(allow_null=True)
    service_due = ServiceDueSerializer(allow_null=True)


class FleetStatusSerializer(VehicleStatusSerializer):
    """The fleet map's row: the status plus what the map labels a marker with."""

    licence_plate = serializers.CharField()
    nickname = serializers.CharField()
    fuel = serializers.CharField()


def status_body(
    vin: str, state: VehicleState | None, now: datetime.datetime | None = None, *, withheld: bool = False
) -> dict:
    """`withheld`: the driver has private mode on (telematics.privacy), so no position is shown."""
    if state is None:
        empty = dict.fromkeys(VehicleStatusSerializer().fields, None)
        return {**empty, "vin": vin, "stale": True}
    body = {
        "vin": vin,
        "reported_at": state.reported_at,
        "stale": selectors.is_stale(state, now),
        "odometer_km": state.odometer_km,
        "fuel_percent": state.fuel_percent,
        "battery_percent": state.battery_percent,
        "range_km": state.range_km,
        "position": {
            "lat": state.lat,
            "lon": state.lon,
            "heading": state.heading,
            "speed_kmh": state.speed_kmh,
        },
        "ignition": state.ignition,
        "doors_locked": state.doors_locked,
        "doors_closed": state.doors_closed,
        "windows_closed": state.windows_closed,
        "bonnet_closed": state.bonnet_closed,
        "gear": state.gear,
        "plug": VehicleState.plug_of(state),
        "outside_temp_c": state.outside_temp_c,
        "cabin_temp_c": state.cabin_temp_c,
        "service_due": {"days": state.service_due_days, "km": state.service_due_km},
    }
    if withheld:
        body["position"] = None
    return body


class ReadingSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    speed_kmh = serializers.FloatField()


class PositionsQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(required=False, help_text="default: 24 hours before `until`")
    until = serializers.DateTimeField(required=False, help_text="default: now")

    def validate(self, attrs):
        until = attrs.get("until") or timezone.now()
        since = attrs.get("since") or until - datetime.timedelta(days=1)
        if since >= until:
            raise serializers.ValidationError({"since": [_("Must be before until.")]})
        if until - since > datetime.timedelta(days=31):
            raise serializers.ValidationError({"since": [_("Ask for 31 days at most at a time.")]})
        return {"since": since, "until": until}


class FleetQuerySerializer(serializers.Serializer):
    stale = serializers.BooleanField(required=False, allow_null=True, default=None)
    fuel_below = serializers.FloatField(required=False, min_value=0, max_value=100)
    battery_below = serializers.FloatField(required=False, min_value=0, max_value=100)
    service_due_within_days = serializers.IntegerField(required=False, min_value=-3650, max_value=3650)
    bbox = serializers.CharField(
        required=False,
        help_text="west,south,east,north (lon1,lat1,lon2,lat2); a box across the 180th meridian is refused",
    )

    def validate_bbox(self, value: str) -> selectors.BBox:
        try:
            return selectors.parse_bbox(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


def _query(serializer_class, request) -> dict:
    return validated(serializer_class, request.query_params)


# --- views ---------------------------------------------------------------------------------------
class VanView(APIView):
    """A view about one van in the caller's reach (a driver: the van assigned to them); the
    connected services' van endpoints build on it."""

    permission_classes = [CompanyPermission]
    capability = "company.member"

    def vehicle(self, request, vin: str):
        vehicle = selectors.vehicle_in_reach(request.company, request.membership, vin)
        if vehicle is None:
            raise NotFound()
        return vehicle


CONFLICTS = {
    404: OpenApiResponse(description="not a van of yours (a driver: not the van assigned to you)"),
    409: OpenApiResponse(description="`no_module`, or `service_not_active` with `service`"),
}


class VehicleStatusView(VanView):
    @extend_schema(
        responses={200: VehicleStatusSerializer, 400: None, **CONFLICTS}, operation_id="vehicle_status"
    )
    def get(self, request, vin: str):
        vehicle = self.vehicle(request, vin)
        state = selectors.vehicle_status(vehicle)
        withheld = vehicle.pk in privacy.unrecorded([vehicle.pk], timezone.now())
        return Response(VehicleStatusSerializer(status_body(vehicle.vin, state, withheld=withheld)).data)


class PositionsPagination(CursorPagination):
    ordering = ("at", "id")
    page_size = 100
    max_page_size = 1000


class VehiclePositionsView(VanView, generics.ListAPIView):
    serializer_class = ReadingSerializer
    pagination_class = PositionsPagination
    filter_backends = []

    @extend_schema(
        parameters=[PositionsQuerySerializer],
        responses={200: ReadingSerializer(many=True), 400: None, **CONFLICTS},
        operation_id="vehicle_positions",
    )
    def get(self, request, vin: str):
        return super().get(request, vin)

    def get_queryset(self):
        vehicle = self.vehicle(self.request, self.kwargs["vin"])
        selectors.require_service(vehicle)
        window = _query(PositionsQuerySerializer, self.request)
        # A private trip's positions are left out for everyone but its driver (API-CONNECTED.md):
        # the trips app registers those ranges with telematics.privacy.
        readings = selectors.positions(vehicle, since=window["since"], until=window["until"])
        return privacy.without_hidden(
            readings, vehicle, since=window["since"], until=window["until"], viewer_id=self.request.user.pk
        ).only("id", "at", "lat", "lon", "speed_kmh")


class FleetPagination(CursorPagination):
    ordering = ("vehicle_id",)
    page_size = 100
    max_page_size = 500


class FleetStatusView(generics.ListAPIView):
    """Every van of the company with fleet management live (a driver: their own van only)."""

    permission_classes = [CompanyPermission]
    capability = "company.member"
    serializer_class = FleetStatusSerializer
    pagination_class = FleetPagination
    filter_backends = []

    @extend_schema(
        parameters=[FleetQuerySerializer], responses={200: FleetStatusSerializer(many=True), 400: None}
    )
    def get(self, request):
        return super().get(request)

    def get_queryset(self):
        filters = _query(FleetQuerySerializer, self.request)
        qs = selectors.fleet_status(self.request.company, **filters)
        return vans_in_reach(qs, self.request.membership, driver_field="vehicle__driver_id")

    def list(self, request, *args, **kwargs):
        # Named rows, not a VehicleState and a Vehicle per van: status_body reads the same names.
        page = self.paginate_queryset(self.get_queryset().values_list(*FLEET_ROW, named=True))
        now = timezone.now()
        withheld = privacy.unrecorded([state.vehicle_id for state in page], now)
        rows = [
            {
                **status_body(state.vehicle__vin, state, now, withheld=state.vehicle_id in withheld),
                "licence_plate": state.vehicle__licence_plate,
                "nickname": state.vehicle__nickname,
                "fuel": state.vehicle__fuel,
            }
            for state in page
        ]
        return self.get_paginated_response(fleet_status_data(rows))


# What a fleet status row reads: the state's columns status_body shows and the van's labels.
FLEET_ROW = (
    "vehicle_id",
    "reported_at",
    "unreachable_since",
    "odometer_km",
    "fuel_percent",
    "battery_percent",
    "range_km",
    "lat",
    "lon",
    "heading",
    "speed_kmh",
    "ignition",
    "doors_locked",
    "doors_closed",
    "windows_closed",
    "bonnet_closed",
    "gear",
    "plug_inserted",
    "plug_locked",
    "plug_connected",
    "outside_temp_c",
    "cabin_temp_c",
    "service_due_days",
    "service_due_km",
    "vehicle__vin",
    "vehicle__licence_plate",
    "vehicle__nickname",
    "vehicle__fuel",
)


def fleet_status_data(rows: list[dict]) -> list[dict]:
    """What FleetStatusSerializer(rows, many=True).data gives, without a serializer per row and per
    nested object (three quarters of the endpoint's time for a page of 100 vans, in cProfile):
    the rows hold the database's own types already, only the report time needs formatting.
    tests/telematics compares the two."""
    moment = moment_formatter()
    for row in rows:
        row["reported_at"] = moment(row["reported_at"])
    return rows
