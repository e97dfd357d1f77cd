"""REST API of the fleet (API.md): /vehicles, /vehicles/{vin}, its driver and workshop, imports
and the dealer network. Each view parses input, calls one service and returns the vehicle.

Roles: admin and fleet_manager manage everything here. A driver sees the vans of their company
that have no driver (to pick one) and the van assigned to them, and can take a free van or give
theirs back (PUT/DELETE /vehicles/{vin}/driver); anything else is a 403."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.audit import Actor
from companies.models import Dealer, Membership
from companies.permissions import allows
from companies.tenancy import CompanyPermission
from mpro.api import CursorPagination, ModelSerializer
from mpro.errors import DomainError, FieldErrors
from mpro.input_guard import FormParser, JSONParser, MultiPartParser

from . import imports, selectors, services
from .filters import DealerFilterSet, VehicleFilterSet
from .models import Fuel, Vehicle, VehicleImport


# --- serializers ---------------------------------------------------------------------------------
class DealerSerializer(ModelSerializer):
    class Meta:
        model = Dealer
        fields = ["code", "name", "street", "postal_code", "city", "country", "phone"]


class DriverOutSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()


class SubscriptionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pack = serializers.CharField(source="pack.code")
    status = serializers.CharField()


class VehicleSerializer(ModelSerializer):
    model = serializers.CharField(source="model_family")
    workshop = serializers.SerializerMethodField()
    workshop_source = serializers.SerializerMethodField()
    driver = serializers.SerializerMethodField()
    subscriptions = SubscriptionOutSerializer(many=True, read_only=True)

    class Meta:
        model = Vehicle
        fields = [
            "vin",
            "make",
            "model",
            "model_year",
            "fuel",
            "licence_plate",
            "nickname",
            "verification_status",
            "module_status",
            "workshop",
            "workshop_source",
            "driver",
            "subscriptions",
        ]

    @extend_schema_field(DealerSerializer(allow_null=True))
    def get_workshop(self, vehicle: Vehicle):
        """The van's own workshop, else the company's default workshop, else null."""
        dealer = vehicle.workshop or vehicle.company.default_workshop
        return DealerSerializer(dealer).data if dealer else None

    @extend_schema_field(
        serializers.ChoiceField(choices=["vehicle", "company_default"], allow_null=True),
    )
    def get_workshop_source(self, vehicle: Vehicle):
        if vehicle.workshop_id:
            return "vehicle"
        return "company_default" if vehicle.company.default_workshop_id else None

    @extend_schema_field(DriverOutSerializer(allow_null=True))
    def get_driver(self, vehicle: Vehicle):
        driver = vehicle.driver
        if driver is None:
            return None
        membership = getattr(driver, "membership", None)
        return {
            "member_id": membership.pk if membership else None,
            "name": driver.get_full_name(),
            "email": driver.email,
        }


class VehicleCreateSerializer(serializers.Serializer):
    vin = serializers.CharField(max_length=40)
    licence_plate = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    nickname = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class VehicleUpdateSerializer(serializers.Serializer):
    licence_plate = serializers.CharField(max_length=40, required=False, allow_blank=True)
    nickname = serializers.CharField(max_length=100, required=False, allow_blank=True)
    fuel = serializers.ChoiceField(
        choices=[Fuel.COMBUSTION, Fuel.ELECTRIC],
        required=False,
        help_text="Only while the VIN left the drive unknown and the van is not verified.",
    )


class DriverInSerializer(serializers.Serializer):
    member_id = serializers.IntegerField(
        required=False, help_text="A member with the driver role. A driver may leave it out (themself)."
    )


class WorkshopInSerializer(serializers.Serializer):
    dealer_code = serializers.CharField(
        allow_null=True, allow_blank=True, help_text="null or empty: use the company's default workshop."
    )


class ImportInSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV with the header vin,licence_plate,nickname (UTF-8, , or ;)")
    dry_run = serializers.BooleanField(required=False, default=False)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    vin = serializers.CharField()
    message = serializers.CharField()


class ImportSerializer(ModelSerializer):
    errors = ImportErrorSerializer(many=True, read_only=True)

    class Meta:
        model = VehicleImport
        fields = [
            "id",
            "status",
            "total",
            "processed",
            "created",
            "errors",
            "dry_run",
            "valid",
            "failure_reason",
            "created_at",
            "finished_at",
        ]


def vehicle_list_data(company, rows: list[dict]) -> list[dict]:
    """The page of GET /vehicles from plain rows (selectors.vehicle_rows): exactly what
    VehicleSerializer(many=True) gives for the same vans, without a model instance per van and
    per related row. tests/vehicles/test_api.py compares the two."""
    subscriptions = selectors.vehicle_rows_subscriptions(rows)
    default = company.default_workshop  # loaded with the tenancy (companies.tenancy)
    # The same columns as the van's own workshop below (DealerSerializer's fields, plain text).
    default_data = (
        {column: getattr(default, column) for column in selectors.DEALER_COLUMNS} if default else None
    )
    data = []
    for row in rows:
        own = row["workshop_id"]
        if own:
            workshop = {column: row[f"workshop__{column}"] for column in selectors.DEALER_COLUMNS}
        else:
            workshop = dict(default_data) if default_data else None
        driver = None
        if row["driver_id"] is not None:
            full_name = f"{row['driver__first_name']} {row['driver__last_name']}".strip()
            driver = {
                "member_id": row["driver__membership__id"],
                "name": full_name,
                "email": row["driver__email"],
            }
        data.append(
            {
                "vin": row["vin"],
                "make": row["make"],
                "model": row["model_family"],
                "model_year": row["model_year"],
                "fuel": row["fuel"],
                "licence_plate": row["licence_plate"],
                "nickname": row["nickname"],
                "verification_status": row["verification_status"],
                "module_status": row["module_status"],
                "workshop": workshop,
                "workshop_source": "vehicle" if own else ("company_default" if default else None),
                "driver": driver,
                "subscriptions": [
                    {"id": pk, "pack": pack, "status": status}
                    for pk, pack, status in subscriptions[row["id"]]
                ],
            }
        )
    return data


# --- helpers ---------------------------------------------------------------------------------------
class VehicleCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class DealerCursorPagination(CursorPagination):
    ordering = ("code",)


def _actor(request) -> Actor:
    return Actor.customer(request.user)


def _manages(request) -> bool:
    return allows(request.membership.role, "vehicles.manage")


def _vehicle(request, vin: str) -> Vehicle:
    """The caller's company's van (404 otherwise). A driver reaches only their own van or a free one."""
    vehicle = selectors.vehicle_for_page(request.company, vin)
    if vehicle is None:
        raise NotFound()
    if not allows(request.membership.role, "vehicles.view_all"):
        if vehicle.driver_id not in (None, request.user.pk):
            raise PermissionDenied()
    return vehicle


def _vehicle_response(request, vehicle: Vehicle, status_code=status.HTTP_200_OK) -> Response:
    fresh = selectors.vehicle_for_page(request.company, vehicle.vin)
    return Response(VehicleSerializer(fresh).data, status=status_code)


# --- vehicles --------------------------------------------------------------------------------------
class VehicleListCreate(generics.ListAPIView):
    permission_classes = [CompanyPermission]
    capabilities = {"POST": "vehicles.manage"}
    serializer_class = VehicleSerializer
    filterset_class = VehicleFilterSet
    pagination_class = VehicleCursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Vehicle.objects.none()
        queryset = selectors.vehicle_rows(self.request.company)
        if not allows(self.request.membership.role, "vehicles.view_all"):
            queryset = queryset.filter(driver__isnull=True)  # a driver picks among the free vans
        return queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(vehicle_list_data(request.company, page))

    @extend_schema(
        summary="The company's vans",
        description="Admins and fleet managers: every van. Drivers: the vans without a driver.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Add a van by VIN",
        request=VehicleCreateSerializer,
        responses={
            201: VehicleSerializer,
            400: OpenApiResponse(description="Invalid or non-eligible VIN, or already in this fleet"),
            409: OpenApiResponse(description='code "vin_registered": another company holds the VIN'),
        },
    )
    def post(self, request):
        data = VehicleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vehicle = services.vehicle_add(company=request.company, actor=_actor(request), **data.validated_data)
        return _vehicle_response(request, vehicle, status.HTTP_201_CREATED)


class VehicleDetail(APIView):
    permission_classes = [CompanyPermission]
    capabilities = {"PATCH": "vehicles.manage", "DELETE": "vehicles.manage"}
    serializer_class = VehicleSerializer

    @extend_schema(summary="One van", responses=VehicleSerializer)
    def get(self, request, vin: str):
        return Response(VehicleSerializer(_vehicle(request, vin)).data)

    @extend_schema(
        summary="Change the licence plate or nickname",
        request=VehicleUpdateSerializer,
        responses=VehicleSerializer,
    )
    def patch(self, request, vin: str):
        vehicle = _vehicle(request, vin)
        data = VehicleUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.vehicle_update(vehicle=vehicle, actor=_actor(request), **data.validated_data)
        return _vehicle_response(request, vehicle)

    @extend_schema(
        summary="Remove the van from the fleet",
        responses={204: None, 409: OpenApiResponse(description='code "live_subscription"')},
    )
    def delete(self, request, vin: str):
        services.vehicle_remove(vehicle=_vehicle(request, vin), actor=_actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class VehicleDriver(APIView):
    permission_classes = [CompanyPermission]
    serializer_class = VehicleSerializer

    @extend_schema(
        summary="Assign a driver",
        description="Managers name any driver of the company; a driver may only take a free van for themself.",
        request=DriverInSerializer,
        responses={200: VehicleSerializer, 409: OpenApiResponse(description='code "vehicle_taken"')},
    )
    def put(self, request, vin: str):
        vehicle = _vehicle(request, vin)
        data = DriverInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member_id = data.validated_data.get("member_id")
        if _manages(request):
            if member_id is None:
                raise FieldErrors({"member_id": [_("This field is required.")]})
        else:
            if not allows(request.membership.role, "drivers.self_assign"):
                raise PermissionDenied()
            if member_id is not None and member_id != request.membership.pk:
                raise PermissionDenied()
            member_id = request.membership.pk
        membership = (
            Membership.objects.for_company(request.company)
            .select_related("user")
            .filter(pk=member_id)
            .first()
        )
        if membership is None:
            raise FieldErrors({"member_id": [_("No member of your company has this id.")]})
        try:
            services.driver_assign(vehicle=vehicle, driver=membership.user, actor=_actor(request))
        except DomainError as err:
            if err.field == "driver":
                err.field = "member_id"
            raise
        return _vehicle_response(request, vehicle)

    @extend_schema(summary="End the driver assignment", request=None, responses={204: None})
    def delete(self, request, vin: str):
        vehicle = _vehicle(request, vin)
        if not _manages(request) and vehicle.driver_id != request.user.pk:
            raise PermissionDenied()
        services.driver_release(vehicle=vehicle, actor=_actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class VehicleWorkshop(APIView):
    permission_classes = [CompanyPermission]
    capability = "vehicles.manage"
    serializer_class = VehicleSerializer

    @extend_schema(
        summary="Choose the van's workshop", request=WorkshopInSerializer, responses=VehicleSerializer
    )
    def put(self, request, vin: str):
        vehicle = _vehicle(request, vin)
        data = WorkshopInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dealer = services.workshop_by_code(data.validated_data.get("dealer_code"))
        services.workshop_choose(vehicle=vehicle, dealer=dealer, actor=_actor(request))
        return _vehicle_response(request, vehicle)


# --- imports ---------------------------------------------------------------------------------------
class ImportCreate(APIView):
    permission_classes = [CompanyPermission]
    capability = "vehicles.manage"
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = ImportSerializer

    @extend_schema(
        summary="Import vans from a CSV file",
        request={"multipart/form-data": ImportInSerializer},
        responses={
            202: ImportSerializer,
            400: OpenApiResponse(description="The file as a whole is unusable"),
        },
    )
    def post(self, request):
        data = ImportInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vehicle_import = imports.vehicle_import_create(
            company=request.company,
            uploaded_file=data.validated_data["file"],
            dry_run=data.validated_data["dry_run"],
            actor=_actor(request),
        )
        vehicle_import.refresh_from_db()  # the task may already have run (no broker: in-process)
        return Response(ImportSerializer(vehicle_import).data, status=status.HTTP_202_ACCEPTED)


class ImportDetail(APIView):
    permission_classes = [CompanyPermission]
    capability = "vehicles.manage"
    serializer_class = ImportSerializer

    @extend_schema(summary="Progress and outcome of an import", responses=ImportSerializer)
    def get(self, request, pk: int):
        vehicle_import = selectors.import_progress(request.company, pk)
        if vehicle_import is None:
            raise NotFound()
        return Response(ImportSerializer(vehicle_import).data)


# --- dealers ---------------------------------------------------------------------------------------
class DealerList(generics.ListAPIView):
    permission_classes = [CompanyPermission]
    capability = "vehicles.manage"
    serializer_class = DealerSerializer
    filterset_class = DealerFilterSet
    pagination_class = DealerCursorPagination
    queryset = Dealer.objects.all()

    @extend_schema(summary="The dealer network (workshops)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
