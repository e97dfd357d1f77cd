"""REST API of alerts and geofences (not in the contract: designed in its conventions).

- `GET /alerts` (`status` = open | acknowledged | cleared, `vehicle` = VIN, `kind`): cursor list,
  newest first. `POST /alerts/{id}/acknowledge`: the alert; 409 `alert_acknowledged` the second time.
- `GET /geofences` · `POST /geofences` `{"name", "lat", "lon", "radius_m"}` · `GET` / `DELETE
  /geofences/{id}`.
- `GET` / `PUT /alerts/settings`: the company's thresholds.
- `GET` / `PUT /me/alert-emails` `{"enabled"}`: the caller's own e-mail opt-in.

Administrators and fleet managers only (a driver gets 403); another company's alert or geofence is
a 404. Asking for the alerts of a van without fleet management live is the contract's 409."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.api import PersonRefSerializer, person_ref
from companies.audit import Actor
from companies.tenancy import CompanyPermission
from mpro.api import CursorPagination, ModelSerializer, validated
from telematics.selectors import require_service, vehicle_in_reach

from . import selectors, services
from .models import Alert, AlertKind, Geofence


# --- serializers ---------------------------------------------------------------------------------
class AlertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vehicle = serializers.CharField(source="vehicle.vin", help_text="VIN")
    kind = serializers.ChoiceField(choices=AlertKind.choices)
    label = serializers.CharField(source="get_kind_display")
    geofence = serializers.SerializerMethodField(help_text="for `geofence_exit`: the geofence left")
    value = serializers.FloatField(
        allow_null=True,
        help_text="fuel or battery %, days to the service, or km/h moving with the ignition off",
    )
    position = serializers.SerializerMethodField()
    raised_at = serializers.DateTimeField()
    cleared_at = serializers.DateTimeField(allow_null=True, help_text="when the condition ended")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledged_by = serializers.SerializerMethodField()
    open = serializers.BooleanField(source="is_open", help_text="neither acknowledged nor cleared")

    def get_geofence(self, alert) -> dict | None:
        if alert.geofence is None:
            return None
        return {"id": alert.geofence.pk, "name": alert.geofence.name}

    def get_position(self, alert) -> dict | None:
        return None if alert.lat is None else {"lat": alert.lat, "lon": alert.lon}

    @extend_schema(responses=PersonRefSerializer(allow_null=True))
    def get_acknowledged_by(self, alert) -> dict | None:
        return person_ref(alert.acknowledged_by)


class AlertQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["open", "acknowledged", "cleared"], required=False)
    vehicle = serializers.CharField(required=False, help_text="VIN")
    kind = serializers.ChoiceField(choices=AlertKind.choices, required=False)


class GeofenceSerializer(ModelSerializer):
    """A circle: centre and radius in metres (bounds in the 400 message)."""

    name = serializers.CharField(max_length=services.GEOFENCE_NAME_MAX)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    radius_m = serializers.IntegerField(
        min_value=services.GEOFENCE_RADIUS_MIN_M, max_value=services.GEOFENCE_RADIUS_MAX_M
    )

    class Meta:
        model = Geofence
        fields = ["id", "name", "lat", "lon", "radius_m", "created_at"]
        read_only_fields = ["id", "created_at"]


class AlertSettingsSerializer(serializers.Serializer):
    fuel_low_percent = serializers.IntegerField(min_value=1, max_value=100)
    battery_low_percent = serializers.IntegerField(min_value=1, max_value=100)
    service_due_days = serializers.IntegerField(min_value=0, max_value=365)
    service_due_km = serializers.IntegerField(min_value=0, max_value=50_000)


class AlertEmailsSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()


# --- views -----------------------------------------------------------------------------------------
class _ManagerView(APIView):
    permission_classes = [CompanyPermission]
    capability = "vehicles.view_all"


class AlertPagination(CursorPagination):
    ordering = ("-raised_at", "-id")


class AlertListView(_ManagerView, generics.ListAPIView):
    """The company's alerts, newest first. An alert is one occurrence of a condition on a van
    (fuel or battery low, service due, left a geofence, moving with the ignition off): raised once
    when it starts, open until acknowledged or until the condition ends (`cleared_at`), never
    raised again while the condition holds. Administrators and fleet managers see every van's; a
    driver those of the van assigned to them (and cannot acknowledge them)."""

    capability = "company.member"
    serializer_class = AlertSerializer
    pagination_class = AlertPagination
    filter_backends = []

    @extend_schema(
        parameters=[AlertQuerySerializer],
        responses={
            200: AlertSerializer(many=True),
            404: OpenApiResponse(description="`vehicle`: not a van of yours"),
            409: OpenApiResponse(
                description="`vehicle`: `service_not_active` (fleet-management) or `no_module`"
            ),
        },
    )
    def get(self, request):
        return super().get(request)

    def get_queryset(self):
        query = validated(AlertQuerySerializer, self.request.query_params)
        vehicle_id = None
        if "vehicle" in query:
            vehicle = vehicle_in_reach(self.request.company, self.request.membership, query["vehicle"])
            if vehicle is None:
                raise Http404
            require_service(vehicle)
            vehicle_id = vehicle.pk
        return selectors.alerts_in_reach(
            self.request.company,
            self.request.membership,
            status=query.get("status"),
            vehicle_id=vehicle_id,
            kind=query.get("kind"),
        )


class AlertAcknowledgeView(_ManagerView):
    """Marks the alert as seen by the caller (recorded in the company's activity log)."""

    capability = "vehicles.manage"

    @extend_schema(
        request=None,
        responses={
            200: AlertSerializer,
            404: OpenApiResponse(description="not an alert of your company"),
            409: OpenApiResponse(description="`alert_acknowledged`: acknowledged before"),
        },
    )
    def post(self, request, alert_id: int):
        try:
            services.alert_acknowledge(
                company=request.company, alert_id=alert_id, actor=Actor.customer(request.user)
            )
        except Alert.DoesNotExist:
            raise Http404 from None
        alert = selectors.alerts(request.company).get(pk=alert_id)
        return Response(AlertSerializer(alert).data)


class GeofenceListView(_ManagerView):
    """The company's geofences: circles whose leaving raises a `geofence_exit` alert for a van
    that was inside. At most ALERTS_MAX_GEOFENCES (default 50) per company."""

    capabilities = {"POST": "vehicles.manage"}

    @extend_schema(responses=GeofenceSerializer(many=True))
    def get(self, request):
        return Response(GeofenceSerializer(selectors.geofences(request.company), many=True).data)

    @extend_schema(
        request=GeofenceSerializer,
        responses={
            201: GeofenceSerializer,
            400: OpenApiResponse(
                description="field errors: name (1–60 characters, unique in the company), lat, lon, "
                "radius_m (50–50,000 m); `non_field_errors` when the company has ALERTS_MAX_GEOFENCES"
            ),
        },
    )
    def post(self, request):
        data = validated(GeofenceSerializer, request.data)
        geofence = services.geofence_create(
            company=request.company, actor=Actor.customer(request.user), **data
        )
        return Response(GeofenceSerializer(geofence).data, status=status.HTTP_201_CREATED)


class GeofenceView(_ManagerView):
    """One geofence; PATCH renames, moves or resizes it (moving forgets who was inside: vans count
    from their next report); deleting it ends its open `geofence_exit` alerts."""

    capabilities = {"PATCH": "vehicles.manage", "DELETE": "vehicles.manage"}

    @extend_schema(responses={200: GeofenceSerializer, 404: None})
    def get(self, request, geofence_id: int):
        geofence = selectors.geofences(request.company).filter(pk=geofence_id).first()
        if geofence is None:
            raise Http404
        return Response(GeofenceSerializer(geofence).data)

    @extend_schema(
        request=GeofenceSerializer(partial=True),
        responses={
            200: GeofenceSerializer,
            400: OpenApiResponse(description="field errors, as for POST /geofences"),
            404: None,
        },
    )
    def patch(self, request, geofence_id: int):
        data = validated(GeofenceSerializer, request.data, partial=True)
        try:
            geofence = services.geofence_update(
                company=request.company, geofence_id=geofence_id, actor=Actor.customer(request.user), **data
            )
        except Geofence.DoesNotExist:
            raise Http404 from None
        return Response(GeofenceSerializer(geofence).data)

    @extend_schema(responses={204: None, 404: None})
    def delete(self, request, geofence_id: int):
        try:
            services.geofence_delete(
                company=request.company, geofence_id=geofence_id, actor=Actor.customer(request.user)
            )
        except Geofence.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlertSettingsView(_ManagerView):
    """The company's alert thresholds (defaults until changed: 15 % fuel, 20 % battery, service
    due within 14 days or 1,000 km)."""

    capabilities = {"PUT": "vehicles.manage"}

    @extend_schema(responses=AlertSettingsSerializer)
    def get(self, request):
        return Response(AlertSettingsSerializer(selectors.settings_of(request.company)).data)

    @extend_schema(request=AlertSettingsSerializer, responses={200: AlertSettingsSerializer, 400: None})
    def put(self, request):
        data = validated(AlertSettingsSerializer, request.data)
        current = services.alert_settings_update(
            company=request.company, actor=Actor.customer(request.user), **data
        )
        return Response(AlertSettingsSerializer(current).data)


class AlertEmailsView(_ManagerView):
    """The caller's own choice; only administrators and fleet managers receive alert e-mails."""

    @extend_schema(responses=AlertEmailsSerializer)
    def get(self, request):
        return Response({"enabled": selectors.wants_alert_emails(request.user)})

    @extend_schema(request=AlertEmailsSerializer, responses={200: AlertEmailsSerializer, 400: None})
    def put(self, request):
        data = validated(AlertEmailsSerializer, request.data)
        enabled = services.alert_emails_set(
            user=request.user, enabled=data["enabled"], actor=Actor.customer(request.user)
        )
        return Response({"enabled": enabled})
