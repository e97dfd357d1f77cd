"""REST API of trips and the logbook (API-CONNECTED.md, "Trips and logbook"), plus the drivers'
private mode and the company's working hours (issue 18; the contract is silent, so the schema
documents them):

GET /trips · GET|PATCH /trips/{id} · GET /trips/{id}/history · GET /logbook/{vin}/{yyyy-mm}
GET|POST /me/private-mode · GET|PUT /company/working-hours

Rights: a driver sees their own trips, admins and fleet managers every trip of the company;
another company's trip (and, for a driver, someone else's) is a 404. Only a trip's driver
classifies it (403 for a manager); a locked trip is a 409 `trip_locked`."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.api import PersonRefSerializer, person_ref
from companies.audit import Actor
from companies.tenancy import CompanyPermission
from mpro.api import CursorPagination, moment_formatter, validated
from telematics.selectors import vehicle_in_reach

from . import hours, logbook, selectors, services
from .models import TEXT_MAX, Category


# --- serializers ---------------------------------------------------------------------------------
class PlaceSerializer(serializers.Serializer):
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    place = serializers.CharField()


class TripSerializer(serializers.Serializer):
    """A trip. `start` / `end` are null on a private trip for anyone but its driver, and on a trip
    driven in private mode (no position was recorded)."""

    id = serializers.IntegerField()
    vehicle = serializers.CharField(help_text="VIN")
    driver = PersonRefSerializer(allow_null=True)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True, help_text="null while the van is driving")
    start = PlaceSerializer(allow_null=True)
    end = PlaceSerializer(allow_null=True)
    distance_km = serializers.FloatField(allow_null=True)
    odometer_start_km = serializers.FloatField()
    odometer_end_km = serializers.FloatField(allow_null=True)
    category = serializers.ChoiceField(choices=Category.choices)
    purpose = serializers.CharField()
    business_partner = serializers.CharField()
    private_mode = serializers.BooleanField(help_text="driven while the driver's private mode was on")
    locked = serializers.BooleanField()
    editable_until = serializers.DateTimeField(allow_null=True)


def trip_body(trip, viewer_id: int | None, now=None) -> dict:
    now = now or timezone.now()
    visible = selectors.shows_places(trip, viewer_id)

    def place(lat, lon, name):
        if not visible or lat is None:
            return None
        return {"lat": lat, "lon": lon, "place": name}

    locked = services.is_locked(trip, now)
    return {
        "id": trip.pk,
        "vehicle": trip.vehicle.vin,
        "driver": person_ref(trip.driver),
        "started_at": trip.started_at,
        "ended_at": trip.ended_at,
        "start": place(trip.start_lat, trip.start_lon, trip.start_place),
        "end": place(trip.end_lat, trip.end_lon, trip.end_place),
        "distance_km": trip.distance_km,
        "odometer_start_km": trip.odometer_start_km,
        "odometer_end_km": trip.odometer_end_km,
        "category": trip.category,
        "purpose": trip.purpose,
        "business_partner": trip.business_partner,
        "private_mode": trip.private_mode,
        "locked": locked,
        "editable_until": None if locked else services.edit_deadline(trip),
    }


def trip_list_data(bodies: list[dict]) -> list[dict]:
    """What TripSerializer(bodies, many=True).data gives, without a serializer per trip and per
    nested object: trip_body's dicts hold the database's types, only the times need formatting.
    tests/trips compares the two."""
    moment = moment_formatter()
    for body in bodies:
        for key in ("started_at", "ended_at", "editable_until"):
            body[key] = moment(body[key])
    return bodies


class TripQuerySerializer(serializers.Serializer):
    vehicle = serializers.CharField(required=False, help_text="VIN")
    driver = serializers.IntegerField(required=False, help_text="member id")
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)


class ClassifySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=[c for c in Category.choices if c[0] != Category.UNCLASSIFIED])
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX, default="")
    business_partner = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX, default=""
    )


class ChangeSerializer(serializers.Serializer):
    changed_at = serializers.DateTimeField()
    changed_by = serializers.CharField(allow_null=True)
    before = serializers.DictField()
    after = serializers.DictField()


# --- trips ---------------------------------------------------------------------------------------
class TripPagination(CursorPagination):
    ordering = ("-started_at", "-id")


class TripsView(APIView):
    permission_classes = [CompanyPermission]
    capability = "company.member"
    pagination_class = TripPagination  # the schema reads it: GET answers a cursor page

    @extend_schema(parameters=[TripQuerySerializer], responses={200: TripSerializer(many=True), 400: None})
    def get(self, request):
        filters = validated(TripQuerySerializer, request.query_params)
        qs = selectors.filtered_trips(request.membership, **filters).select_related("driver__membership")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        now = timezone.now()
        body = [trip_body(trip, request.user.pk, now) for trip in page]
        return paginator.get_paginated_response(trip_list_data(body))


class _TripView(APIView):
    permission_classes = [CompanyPermission]
    capability = "company.member"

    def trip(self, request, trip_id: int):
        trip = selectors.trip_in_reach(request.membership, trip_id)
        if trip is None:
            raise NotFound()
        return trip


class TripView(_TripView):
    @extend_schema(responses={200: TripSerializer, 404: None}, operation_id="trip")
    def get(self, request, trip_id: int):
        return Response(TripSerializer(trip_body(self.trip(request, trip_id), request.user.pk)).data)

    @extend_schema(
        request=ClassifySerializer,
        responses={
            200: TripSerializer,
            400: None,
            403: OpenApiResponse(description="not the trip's driver"),
            404: None,
            409: OpenApiResponse(description="`trip_locked`"),
        },
        operation_id="trip_classify",
    )
    def patch(self, request, trip_id: int):
        trip = self.trip(request, trip_id)
        data = validated(ClassifySerializer, request.data)
        trip = services.trip_classify(
            trip=trip, membership=request.membership, actor=Actor.customer(request.user), **data
        )
        return Response(TripSerializer(trip_body(trip, request.user.pk)).data)


class TripHistoryView(_TripView):
    @extend_schema(responses={200: ChangeSerializer(many=True), 404: None}, operation_id="trip_history")
    def get(self, request, trip_id: int):
        trip = self.trip(request, trip_id)
        rows = [
            {
                "changed_at": change.changed_at,
                "changed_by": change.changed_by.get_full_name() or change.changed_by.email
                if change.changed_by
                else None,
                "before": change.before,
                "after": change.after,
            }
            for change in selectors.history(trip)
        ]
        return Response(ChangeSerializer(rows, many=True).data)


# --- the logbook ---------------------------------------------------------------------------------
class FileFormatNegotiation(DefaultContentNegotiation):
    """`?format=csv|pdf` names the logbook's file type here, not one of DRF's renderers (which
    would answer 404 for an unknown renderer); errors still render as JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class LogbookView(APIView):
    permission_classes = [CompanyPermission]
    capability = "company.member"
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(logbook.FORMATS), description="default csv")],
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="the month's logbook as text/csv or application/pdf; header X-Logbook-SHA256",
            ),
            400: None,
            404: None,
        },
        operation_id="logbook",
        description="Exporting locks the month's trips of this van. The checksum covers the CSV "
        "content without its last line, and is printed in both files.",
    )
    def get(self, request, vin: str, month: str):
        vehicle = vehicle_in_reach(request.company, request.membership, vin)
        if vehicle is None:
            raise NotFound()
        month_date = logbook.parse_month(month)
        fmt = request.query_params.get("format", "csv")
        book, data = logbook.logbook_export(
            vehicle=vehicle, month=month_date, fmt=fmt, actor=Actor.customer(request.user)
        )
        return logbook_response(book, data, fmt)


def logbook_response(book, data: bytes, fmt: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{book.filename_stem}.{fmt}"'
    response["X-Logbook-SHA256"] = book.sha256
    return response


# --- private mode and working hours --------------------------------------------------------------
class PrivateModeSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    vehicle = serializers.CharField(allow_null=True, help_text="VIN of the van assigned to you")
    since = serializers.DateTimeField(allow_null=True)
    until = serializers.DateTimeField(allow_null=True, help_text="when working hours begin")
    within_working_hours = serializers.BooleanField()


class PrivateModeInputSerializer(serializers.Serializer):
    active = serializers.BooleanField()


def private_mode_body(membership) -> dict:
    now = timezone.now()
    vehicle = services.driven_van(membership)
    period = services.active_periods([vehicle.pk], now).first() if vehicle else None
    return {
        "active": period is not None,
        "vehicle": vehicle.vin if vehicle else None,
        "since": period.started_at if period else None,
        "until": period.ends_at if period else None,
        "within_working_hours": hours.within(membership.company, now),
    }


class PrivateModeView(APIView):
    permission_classes = [CompanyPermission]
    capability = "company.member"

    @extend_schema(responses={200: PrivateModeSerializer}, operation_id="private_mode")
    def get(self, request):
        return Response(PrivateModeSerializer(private_mode_body(request.membership)).data)

    @extend_schema(
        request=PrivateModeInputSerializer,
        responses={
            200: PrivateModeSerializer,
            400: None,
            409: OpenApiResponse(description="`working_hours` (on during working hours), `no_vehicle`"),
        },
        operation_id="private_mode_switch",
        description="A driver's private mode on the van assigned to them: while on, no positions are "
        "recorded (only the odometer, for the logbook). It can be switched on outside the company's "
        "working hours and ends by itself when they begin.",
    )
    def post(self, request):
        data = validated(PrivateModeInputSerializer, request.data)
        services.private_mode_switch(
            membership=request.membership, actor=Actor.customer(request.user), on=data["active"]
        )
        return Response(PrivateModeSerializer(private_mode_body(request.membership)).data)


class WorkingHoursSerializer(serializers.Serializer):
    time_zone = serializers.CharField(read_only=True)
    days = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), allow_null=True),
        help_text='seven entries, Monday first: ["08:00", "17:00"] or null for a day off',
    )


class WorkingHoursView(APIView):
    permission_classes = [CompanyPermission]
    capabilities = {"GET": "company.member", "PUT": "company.manage"}

    @extend_schema(responses={200: WorkingHoursSerializer}, operation_id="working_hours")
    def get(self, request):
        company = request.company
        return Response({"time_zone": company.time_zone_name, "days": hours.days_of(company)})

    @extend_schema(
        request=WorkingHoursSerializer,
        responses={200: WorkingHoursSerializer, 400: None, 403: None},
        operation_id="working_hours_set",
    )
    def put(self, request):
        days = request.data.get("days") if isinstance(request.data, dict) else None
        row = services.working_hours_set(
            company=request.company,
            membership=request.membership,
            actor=Actor.customer(request.user),
            days=days,
        )
        return Response({"time_zone": request.company.time_zone_name, "days": row.days})
