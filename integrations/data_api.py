"""The data interface: fleet software reads van data with an OAuth2 client-credentials token.

Only a data client's bearer token opens these endpoints (a person's token or session gets 403), only
vans with a live data-interface service appear, every call is counted per client and day, and each
client has its own rate limit (429 with Retry-After)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions, permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.throttling import SimpleRateThrottle

from companies.tenancy import is_dealer_staff
from mpro.api import CursorPagination
from mpro.errors import FieldErrors
from users.authentication import TokenAuthentication
from vehicles.models import Vehicle

from . import data_selectors, services
from .models import DataClient


class DataClientAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the data interface's bearer token (client credentials) in the OpenAPI schema."""

    target_class = "integrations.data_api.DataClientAuthentication"
    name = "dataClient"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/v1/oauth/token",
                    "scopes": {
                        "vehicles:read": "List the vans that have the data interface",
                        "signals:read": "Read the vans' signals",
                    },
                }
            },
        }


class DataClientAuthentication(OAuth2Authentication):
    """A bearer token issued to a data client. The request has no person behind it: request.user is
    anonymous, request.auth the access token, request.data_client the client."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        client = (
            DataClient.objects.select_related("company", "application")
            .filter(application_id=token.application_id)
            .first()
        )
        if client is None:
            raise exceptions.AuthenticationFailed(_("This token does not belong to a data client."))
        request.data_client = client
        return AnonymousUser(), token


class DataClientPermission(permissions.BasePermission):
    """A data client whose token carries the view's `required_scope`; persons are refused with 403."""

    def has_permission(self, request, view) -> bool:
        client = getattr(request, "data_client", None)
        if client is None:
            if is_dealer_staff(request.user):
                raise Http404  # as on every customer endpoint
            if request.user and request.user.is_authenticated:
                raise exceptions.PermissionDenied(
                    _("The data interface is for data clients. Use a client-credentials token.")
                )
            return False
        if not request.auth.allow_scopes([view.required_scope]):
            raise exceptions.PermissionDenied(
                _("This token lacks the scope %(scope)s.") % {"scope": view.required_scope}
            )
        request.company = client.company
        return True


class DataClientThrottle(SimpleRateThrottle):
    scope = "data_client"

    def get_cache_key(self, request, view):
        client = getattr(request, "data_client", None)
        return None if client is None else f"throttle_data_client_{client.pk}"


class DataAPIView(ListAPIView):
    authentication_classes = [DataClientAuthentication, TokenAuthentication, SessionAuthentication]
    permission_classes = [DataClientPermission]
    throttle_classes = [DataClientThrottle]
    required_scope = "vehicles:read"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticates, checks scope, throttles
        services.data_client_record_call(client=request.data_client)


class LightStateSerializer(serializers.Serializer):
    """The latest state at the light level: position, odometer, fuel or battery."""

    reported_at = serializers.DateTimeField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    heading = serializers.IntegerField(allow_null=True)
    speed_kmh = serializers.FloatField()
    odometer_km = serializers.FloatField()
    fuel_percent = serializers.FloatField(allow_null=True)
    battery_percent = serializers.FloatField(allow_null=True)
    range_km = serializers.FloatField(allow_null=True)


class DataPlugSerializer(serializers.Serializer):
    inserted = serializers.BooleanField()
    locked = serializers.BooleanField(allow_null=True)
    connected = serializers.BooleanField(allow_null=True)


class ExtendedStateSerializer(LightStateSerializer):
    """The extended level adds doors, windows, bonnet, plug, temperatures and the service due."""

    doors_locked = serializers.BooleanField()
    doors_closed = serializers.BooleanField()
    windows_closed = serializers.BooleanField()
    bonnet_closed = serializers.BooleanField()
    plug = DataPlugSerializer(allow_null=True)
    charging = serializers.BooleanField(allow_null=True)
    outside_temp_c = serializers.FloatField(allow_null=True)
    cabin_temp_c = serializers.FloatField(allow_null=True)
    service_due_days = serializers.IntegerField(allow_null=True)
    service_due_km = serializers.IntegerField(allow_null=True)


STATE_SERIALIZERS = {"light": LightStateSerializer, "extended": ExtendedStateSerializer}


def state_body(state, level: str) -> dict | None:
    return None if state is None else STATE_SERIALIZERS[level](state).data


class DataVehicleSerializer(serializers.Serializer):
    vin = serializers.CharField()
    fuel = serializers.CharField()
    model_family = serializers.CharField()
    model_year = serializers.IntegerField(allow_null=True)
    level = serializers.ChoiceField(choices=["light", "extended"])
    state = serializers.SerializerMethodField()

    @extend_schema_field(ExtendedStateSerializer(allow_null=True))
    def get_state(self, vehicle) -> dict | None:
        """The latest state, with the fields of the van's level; null until the van has reported."""
        return state_body(data_selectors.state_of(vehicle), vehicle.level)


class DataVehiclesView(DataAPIView):
    """Vans of the client's company with a live data-interface service, the level booked and the
    latest state at that level."""

    serializer_class = DataVehicleSerializer
    required_scope = "vehicles:read"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Vehicle.objects.none()
        return data_selectors.data_vehicles(self.request.company)


class SignalSerializer(serializers.Serializer):
    """One reading of the van's history (both levels: the history holds position, speed, odometer
    and fuel or battery)."""

    at = serializers.DateTimeField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    heading = serializers.IntegerField(allow_null=True)
    speed_kmh = serializers.FloatField()
    odometer_km = serializers.FloatField()
    fuel_percent = serializers.FloatField(allow_null=True)
    battery_percent = serializers.FloatField(allow_null=True)
    ignition = serializers.BooleanField()


class SignalsQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False, help_text=_("Readings from this time on (default: the last 24 hours).")
    )


class SignalsPagination(CursorPagination):
    ordering = ("at", "id")
    page_size = 100
    max_page_size = 1000


class DataSignalsView(DataAPIView):
    """A van's readings, oldest first, since `since`. The page also carries `level` and the van's
    latest `state` at that level (the extended level's doors, windows, bonnet, plug, temperatures
    and service due exist only as the latest state, not in the history)."""

    serializer_class = SignalSerializer
    pagination_class = SignalsPagination
    filter_backends = []
    required_scope = "signals:read"

    @extend_schema(
        parameters=[SignalsQuerySerializer],
        responses={
            200: SignalSerializer(many=True),
            400: None,
            404: OpenApiResponse(description="not a van of the client's company"),
            409: OpenApiResponse(description="`service_not_active`: no live data-interface service"),
        },
    )
    def get(self, request, vin: str):
        return super().get(request, vin=vin)

    def list(self, request, *args, **kwargs):
        query = SignalsQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise FieldErrors({k: list(v) for k, v in query.errors.items()})
        company = request.company
        vehicle = data_selectors.data_vehicle(company, kwargs["vin"])
        if vehicle is None:
            raise Http404
        readings = data_selectors.signals(company, vehicle, query.validated_data.get("since"))
        page = self.paginate_queryset(readings)
        response = self.get_paginated_response(SignalSerializer(page, many=True).data)
        response.data["level"] = vehicle.level
        response.data["state"] = state_body(data_selectors.state_of(vehicle), vehicle.level)
        return response
