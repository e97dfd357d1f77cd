"""The Retail REST API (API.md, "Dealer staff (Retail)"), under /api/v1/retail/.

Dealer staff only: customers get 404 on every endpoint. Company endpoints need an open
attestation of the caller for that company (403 `code: "attestation_required"`); acting for the
customer (adding vehicles, placing orders) needs an open support session (403
`code: "support_session_required"`). The views call the same services as the Retail pages.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from companies.models import Company, Country, Membership
from mpro.errors import DomainError, FieldErrors, ForbiddenError
from packs.api import OrderSerializer
from packs.services import order_place
from users.models import ApiToken, IdentityMode
from vehicles.api import VehicleSerializer as CustomerVehicleSerializer
from vehicles.models import Vehicle
from vehicles.selectors import vehicles_for_list
from vehicles.services import vehicle_add

from . import selectors, services
from .throttling import RetailSearchThrottle


# --- access ---------------------------------------------------------------------------------------
class DealerStaffPermission(BasePermission):
    """Authenticated dealer staff (sets `request.staff`); a customer gets 404."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        staff = selectors.staff_for_user(request.user)
        if staff is None:
            raise Http404
        request.staff = staff
        return True


class NotACustomer(BasePermission):
    """For the token endpoint, open to anonymous callers: a logged-in customer still gets 404."""

    def has_permission(self, request, view) -> bool:
        if request.user and request.user.is_authenticated and selectors.staff_for_user(request.user) is None:
            raise Http404
        return True


ATTESTATION = "attestation"
SUPPORT_SESSION = "support_session"

# What the schema says where API.md is silent.
NEEDS_ATTESTATION = (
    'Needs an open attestation of the caller for this company (403 `code: "attestation_required"`).'
)
NEEDS_SUPPORT_SESSION = (
    "Acts for the customer: needs an open support session of the caller for this company "
    '(403 `code: "support_session_required"`).'
)
ATTESTATION_DOC = (
    "The caller confirms they checked the identity of the customer's employee (valid photo ID, or known "
    "personally). Recorded in the company's history; opens the company to the caller for 8 hours. "
    "`identity_checked` must be true (400 otherwise)."
)
VERIFY_DOC = " Idempotent: verifying again changes nothing and records no second event."
TRANSFER_DOC = (
    " An addition to API.md: moves a VIN another company holds into this company, after the dealer checked "
    "the registration document (`registration_checked: true`). The other company's live subscriptions on "
    "the van are cancelled; both histories record the move. 400 with code `vin_unknown` or `vin_in_fleet`."
)
LOGIN_DOC = (
    "400 when the dealer ID and password do not match. Failures count together with the Retail login "
    "page's: after 10 for one dealer ID from one address (or 50 from anywhere) within 15 minutes, 429 "
    "`login_locked` with `Retry-After`."
)
SUPPORT_DOC = (
    " Opens a 60-minute support session with the support password of one of the company's administrators. "
    "403 `wrong_support_password`; after 5 wrong passwords for this company within 15 minutes, 429 "
    "`support_password_locked` with `Retry-After`. The password is never stored or returned."
)


class CompanyAPIView(APIView):
    """A company addressed by PRO ID (any case, with or without PRO-; 404 when none), and the window
    the caller needs on it: `window` (default) or `windows = {"GET": ..., "POST": ...}`."""

    permission_classes = [DealerStaffPermission]
    window: str | None = ATTESTATION
    windows: dict[str, str | None] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        company = selectors.company_by_pro_id(kwargs.get("pro_id"))
        if company is None:
            raise NotFound()
        staff = request.staff
        self.company = company
        self.attestation = selectors.open_attestation(staff=staff, company=company)
        self.support_session = selectors.open_support_session(staff=staff, company=company)
        needed = self.windows.get(request.method, self.window)
        self.actor = None
        if needed == ATTESTATION:
            if self.attestation is None:
                raise ForbiddenError(
                    _(
                        "Confirm the customer's identity first: POST /api/v1/retail/companies/%(pro_id)s/attestations."
                    )
                    % {"pro_id": company.pro_id},
                    code="attestation_required",
                )
            self.actor = services.staff_actor(staff=staff, window=self.attestation)
        elif needed == SUPPORT_SESSION:
            if self.support_session is None:
                raise ForbiddenError(
                    _(
                        "Acting for the customer needs a support session: POST the customer's support password "
                        "to /api/v1/retail/companies/%(pro_id)s/support-sessions."
                    )
                    % {"pro_id": company.pro_id},
                    code="support_session_required",
                )
            self.actor = services.staff_actor(staff=staff, window=self.support_session)


# --- serializers ------------------------------------------------------------------------------------
class RetailVerificationSerializer(serializers.Serializer):
    status = serializers.CharField(source="verification_status")
    mode = serializers.CharField(source="verification_mode")
    verified_at = serializers.DateTimeField()


class RetailMemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    birth_date = serializers.DateField(source="user.birth_date")
    phone = serializers.CharField(source="user.phone")
    mobile = serializers.CharField(source="user.mobile")
    licence_category = serializers.CharField(source="user.licence_category")
    verification_status = serializers.CharField(source="user.verification_status")
    verification = RetailVerificationSerializer(source="user")

    class Meta:
        model = Membership
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "birth_date",
            "role",
            "is_primary_admin",
            "invitation_status",
            "phone",
            "mobile",
            "licence_category",
            "verification_status",
            "verification",
        ]


class RetailCompanySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ["pro_id", "name", "street", "postal_code", "city", "country", "verification_status"]


class RetailCompanySerializer(serializers.ModelSerializer):
    administrator = serializers.SerializerMethodField()

    class Meta:
        model = Company
        fields = [
            "pro_id",
            "name",
            "manager_name",
            "street",
            "postal_code",
            "city",
            "country",
            "email",
            "phone",
            "vat_number",
            "verification_status",
            "verified_at",
            "rejection_reason",
            "administrator",
        ]

    @extend_schema_field(RetailMemberSerializer(allow_null=True))
    def get_administrator(self, company: Company) -> dict | None:
        membership = selectors.primary_admin_membership(company)
        return RetailMemberSerializer(membership).data if membership else None


class RetailVehicleSerializer(CustomerVehicleSerializer):
    """The customer API's vehicle, plus what the dealer decided and when."""

    class Meta(CustomerVehicleSerializer.Meta):
        fields = [*CustomerVehicleSerializer.Meta.fields, "verified_at", "rejection_reason"]


def _upper_strip(value: str) -> str:
    return (value or "").strip().upper()


# --- input serializers --------------------------------------------------------------------------------
class RetailTokenInput(serializers.Serializer):
    d5_id = serializers.CharField(max_length=20)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    name = serializers.CharField(max_length=100)


class RetailTokenOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    token = serializers.CharField()
    created = serializers.DateTimeField()


class RetailSearchInput(serializers.Serializer):
    pro_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)


class RetailAttestationInput(serializers.Serializer):
    identity_checked = serializers.BooleanField(
        help_text=gettext_lazy(
            "True: you checked the identity of the customer's employee on a valid photo ID, or know them personally."
        )
    )


class RetailAttestationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    pro_id = serializers.CharField(source="company.pro_id")
    expires_at = serializers.DateTimeField()


class RetailReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=services.REASON_MAX_LENGTH)


class RetailModeInput(serializers.Serializer):
    mode = serializers.ChoiceField(choices=IdentityMode.choices)


class RetailSupportPasswordInput(serializers.Serializer):
    support_password = serializers.CharField(
        max_length=services.SUPPORT_PASSWORD_MAX_LENGTH, trim_whitespace=False, write_only=True
    )


class RetailSupportSessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class RetailVehicleInput(serializers.Serializer):
    vin = serializers.CharField(max_length=40)
    licence_plate = serializers.CharField(max_length=15, required=False, allow_blank=True, default="")
    nickname = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class RetailOrderInput(serializers.Serializer):
    pack = serializers.CharField(max_length=40)
    vehicles = serializers.ListField(child=serializers.CharField(max_length=40), max_length=10000)


class RetailTransferInput(serializers.Serializer):
    vin = serializers.CharField(max_length=40)
    registration_checked = serializers.BooleanField(
        help_text=gettext_lazy(
            "True: you checked the vehicle's registration document; it names this customer."
        )
    )


class RetailRegistrationAdminInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField()
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class RetailRegistrationCompanyInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    manager_name = serializers.CharField(max_length=200)
    street = serializers.CharField(max_length=200)
    postal_code = serializers.CharField(max_length=10)
    city = serializers.CharField(max_length=100)
    country = serializers.ChoiceField(choices=Country.choices)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=20)
    vat_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    # The customer accepts the terms themself, from the e-mail they receive; accepted and ignored here.
    accept_terms = serializers.BooleanField(required=False, write_only=True)


class RetailRegistrationInput(serializers.Serializer):
    admin = RetailRegistrationAdminInput()
    company = RetailRegistrationCompanyInput()


class RetailRegistrationOutput(serializers.Serializer):
    pro_id = serializers.CharField()
    name = serializers.CharField()
    verification_status = serializers.CharField()


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- views ----------------------------------------------------------------------------------------------
class TokenCreateView(APIView):
    """A dealer staff member's API token, from their dealer ID and password. Shown once."""

    permission_classes = [NotACustomer]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token_create"

    @extend_schema(
        request=RetailTokenInput,
        responses={201: RetailTokenOutput},
        operation_id="retail_token_create",
        description=LOGIN_DOC,
    )
    @sensitive_variables("data")
    def post(self, request):
        data = _valid(RetailTokenInput, request.data)
        staff = services.staff_authenticate(
            d5_id=data["d5_id"], password=data["password"], address=request.META.get("REMOTE_ADDR", "")
        )
        token, secret = ApiToken.issue(user=staff.user, name=data["name"])
        return Response(
            {"id": token.pk, "name": token.name, "token": secret, "created": token.created},
            status=status.HTTP_201_CREATED,
        )


class CompanySearchView(APIView):
    """Select a company: by `pro_id`, or by all three of `name`, `postal_code`, `city`."""

    permission_classes = [DealerStaffPermission]
    throttle_classes = [UserRateThrottle, RetailSearchThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("pro_id", str, description="PRO-XXXXXX; any case, PRO- optional"),
            OpenApiParameter("name", str, description="exact company name (case ignored)"),
            OpenApiParameter("postal_code", str),
            OpenApiParameter("city", str, description="exact city (case ignored)"),
        ],
        responses={200: RetailCompanySummarySerializer(many=True)},
        operation_id="retail_companies_search",
    )
    def get(self, request):
        query = _valid(RetailSearchInput, request.query_params)
        companies = selectors.company_search(**query)
        return Response(RetailCompanySummarySerializer(companies, many=True).data)


class AttestationCreateView(CompanyAPIView):
    window = None

    @extend_schema(
        request=RetailAttestationInput,
        responses={201: RetailAttestationOutput},
        description=ATTESTATION_DOC,
    )
    def post(self, request, pro_id):
        data = _valid(RetailAttestationInput, request.data)
        attestation = services.attestation_open(
            staff=request.staff, company=self.company, identity_checked=data["identity_checked"]
        )
        return Response(RetailAttestationOutput(attestation).data, status=status.HTTP_201_CREATED)


class CompanyDetailView(CompanyAPIView):
    @extend_schema(responses={200: RetailCompanySerializer}, description=NEEDS_ATTESTATION)
    def get(self, request, pro_id):
        return Response(RetailCompanySerializer(self.company).data)


class CompanyVerifyView(CompanyAPIView):
    @extend_schema(
        request=None, responses={200: RetailCompanySerializer}, description=NEEDS_ATTESTATION + VERIFY_DOC
    )
    def post(self, request, pro_id):
        company = services.company_verify(company=self.company, actor=self.actor)
        return Response(RetailCompanySerializer(company).data)


class CompanyRejectView(CompanyAPIView):
    @extend_schema(
        request=RetailReasonInput,
        responses={200: RetailCompanySerializer},
        description=NEEDS_ATTESTATION + " 409 `already_verified` for a verified company.",
    )
    def post(self, request, pro_id):
        data = _valid(RetailReasonInput, request.data)
        company = services.company_reject(company=self.company, reason=data["reason"], actor=self.actor)
        return Response(RetailCompanySerializer(company).data)


class MemberListView(CompanyAPIView, generics.ListAPIView):
    serializer_class = RetailMemberSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return Membership.objects.for_company(self.company).select_related("user")


class MemberVerifyView(CompanyAPIView):
    @extend_schema(
        request=RetailModeInput,
        responses={200: RetailMemberSerializer},
        description=NEEDS_ATTESTATION + VERIFY_DOC,
    )
    def post(self, request, pro_id, member_id):
        membership = (
            Membership.objects.for_company(self.company).select_related("user").filter(pk=member_id).first()
        )
        if membership is None:
            raise NotFound()
        data = _valid(RetailModeInput, request.data)
        membership = services.member_verify(membership=membership, mode=data["mode"], actor=self.actor)
        return Response(RetailMemberSerializer(membership).data)


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
        data = _valid(RetailVehicleInput, request.data)
        vehicle = vehicle_add(company=self.company, actor=self.actor, **data)
        return Response(_vehicle_data(vehicle), status=status.HTTP_201_CREATED)


class VehicleActionView(CompanyAPIView):
    def get_vehicle(self, vin: str) -> Vehicle:
        vehicle = Vehicle.objects.for_company(self.company).filter(vin=_upper_strip(vin)).first()
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
        data = _valid(RetailReasonInput, request.data)
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
        data = _valid(RetailTransferInput, request.data)
        vehicle = services.vehicle_transfer_to(
            company=self.company,
            vin=data["vin"],
            registration_checked=data["registration_checked"],
            actor=self.actor,
        )
        return Response(_vehicle_data(vehicle), status=status.HTTP_201_CREATED)


class SupportSessionCreateView(CompanyAPIView):
    @extend_schema(
        request=RetailSupportPasswordInput,
        responses={201: RetailSupportSessionOutput},
        description=NEEDS_ATTESTATION + SUPPORT_DOC,
    )
    @sensitive_variables("data")
    def post(self, request, pro_id):
        data = _valid(RetailSupportPasswordInput, request.data)
        session = services.support_session_open(
            staff=request.staff,
            company=self.company,
            support_password=data["support_password"],
            actor=self.actor,
        )
        return Response(RetailSupportSessionOutput(session).data, status=status.HTTP_201_CREATED)


class OrderCreateView(CompanyAPIView):
    window = SUPPORT_SESSION

    @extend_schema(
        request=RetailOrderInput,
        responses={201: OrderSerializer},
        description=NEEDS_SUPPORT_SESSION + " As POST /orders for customers; an administrator of the company "
        "must have accepted the pack terms (400 `accept_terms` otherwise).",
    )
    def post(self, request, pro_id):
        data = _valid(RetailOrderInput, request.data)
        order = order_place(
            company=self.company, pack_code=data["pack"], vins=data["vehicles"], actor=self.actor
        )
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class RegistrationCreateView(APIView):
    permission_classes = [DealerStaffPermission]

    @extend_schema(request=RetailRegistrationInput, responses={201: RetailRegistrationOutput})
    def post(self, request):
        data = _valid(RetailRegistrationInput, request.data)
        company_data = {key: value for key, value in data["company"].items() if key != "accept_terms"}
        try:
            company = services.registration_create(
                staff=request.staff, admin=dict(data["admin"]), company=company_data
            )
        except FieldErrors as error:
            raise ValidationError(_nest_registration_errors(error.errors)) from error
        except DomainError as error:
            if error.status_code != 400:
                raise
            raise ValidationError(_nest_registration_errors({error.field: [error.message]})) from error
        return Response(RetailRegistrationOutput(company).data, status=status.HTTP_201_CREATED)


def _nest_registration_errors(errors: dict) -> dict:
    """A service error about `admin.email` (or `email`, when it can only be the administrator's)
    lands under "admin", the rest under "company", as DRF nests its own errors."""
    nested: dict = {}
    company_fields = set(RetailRegistrationCompanyInput().fields)
    admin_fields = set(RetailRegistrationAdminInput().fields)
    for field, messages in errors.items():
        field = field or "non_field_errors"
        part, _dot, name = field.partition(".")
        if part in ("admin", "company") and name:
            target = nested.setdefault(part, {}).setdefault(name, [])
        elif field in company_fields:
            target = nested.setdefault("company", {}).setdefault(field, [])
        elif field in admin_fields:
            target = nested.setdefault("admin", {}).setdefault(field, [])
        else:
            target = nested.setdefault("non_field_errors", [])
        target.extend(str(message) for message in messages)
    return nested
