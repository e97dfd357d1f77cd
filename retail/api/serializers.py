"""Input and output shapes of the Retail API. Lengths come from the model fields they fill."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from companies.models import Company, Country, Membership
from mpro.api import ModelSerializer
from packs.models import Pack
from users.models import ApiToken, IdentityMode, User
from vehicles.api import VehicleSerializer as CustomerVehicleSerializer
from vehicles.models import Vehicle

from .. import selectors, services
from ..models import DealerStaff

# VINs as typed: with spaces, before vehicles.vin.normalize_vin.
VIN_INPUT_MAX = 40


def max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


# --- output ------------------------------------------------------------------------------------
class RetailVerificationSerializer(serializers.Serializer):
    status = serializers.CharField(source="verification_status")
    mode = serializers.CharField(source="verification_mode")
    verified_at = serializers.DateTimeField(
        allow_null=True, help_text="null until a dealer verified the person"
    )
    grace_until = serializers.DateTimeField(
        source="verification_grace_until",
        allow_null=True,
        help_text="Set when the person changed name or date of birth after being verified: the company's "
        "live services run until then while the identity waits for a new check.",
    )


class RetailMemberSerializer(ModelSerializer):
    email = serializers.EmailField(source="user.email")
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    birth_date = serializers.DateField(source="user.birth_date", allow_null=True)
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


class RetailCompanySummarySerializer(ModelSerializer):
    class Meta:
        model = Company
        fields = ["pro_id", "name", "street", "postal_code", "city", "country", "verification_status"]


class RetailCompanySerializer(ModelSerializer):
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
            "contract_generation",
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


# --- input serializers --------------------------------------------------------------------------------
class RetailTokenInput(serializers.Serializer):
    d5_id = serializers.CharField(max_length=max_length(DealerStaff, "d5_id"))
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    name = serializers.CharField(max_length=max_length(ApiToken, "name"))


class RetailTokenOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    token = serializers.CharField()
    created = serializers.DateTimeField()


class RetailSearchInput(serializers.Serializer):
    pro_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    name = serializers.CharField(max_length=max_length(Company, "name"), required=False, allow_blank=True)
    postal_code = serializers.CharField(
        max_length=max_length(Company, "postal_code"), required=False, allow_blank=True
    )
    city = serializers.CharField(max_length=max_length(Company, "city"), required=False, allow_blank=True)


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
    vin = serializers.CharField(max_length=VIN_INPUT_MAX)
    licence_plate = serializers.CharField(
        max_length=max_length(Vehicle, "licence_plate"), required=False, allow_blank=True, default=""
    )
    nickname = serializers.CharField(
        max_length=max_length(Vehicle, "nickname"), required=False, allow_blank=True, default=""
    )


class RetailOrderInput(serializers.Serializer):
    pack = serializers.CharField(max_length=max_length(Pack, "code"))
    vehicles = serializers.ListField(child=serializers.CharField(max_length=VIN_INPUT_MAX), max_length=10000)


class RetailTransferInput(serializers.Serializer):
    vin = serializers.CharField(max_length=VIN_INPUT_MAX)
    registration_checked = serializers.BooleanField(
        help_text=gettext_lazy(
            "True: you checked the vehicle's registration document; it names this customer."
        )
    )


class RetailRegistrationAdminInput(serializers.Serializer):
    email = serializers.EmailField(max_length=max_length(User, "email"))
    first_name = serializers.CharField(max_length=max_length(User, "first_name"))
    last_name = serializers.CharField(max_length=max_length(User, "last_name"))
    birth_date = serializers.DateField()
    phone = serializers.CharField(
        max_length=max_length(User, "phone"), required=False, allow_blank=True, default=""
    )


class RetailRegistrationCompanyInput(serializers.Serializer):
    name = serializers.CharField(max_length=max_length(Company, "name"))
    manager_name = serializers.CharField(max_length=max_length(Company, "manager_name"))
    street = serializers.CharField(max_length=max_length(Company, "street"))
    postal_code = serializers.CharField(max_length=max_length(Company, "postal_code"))
    city = serializers.CharField(max_length=max_length(Company, "city"))
    country = serializers.ChoiceField(choices=Country.choices)
    email = serializers.EmailField(max_length=max_length(Company, "email"))
    phone = serializers.CharField(max_length=max_length(Company, "phone"))
    vat_number = serializers.CharField(
        max_length=max_length(Company, "vat_number"), required=False, allow_blank=True, default=""
    )
    # The customer accepts the terms themself, from the e-mail they receive; accepted and ignored here.
    accept_terms = serializers.BooleanField(required=False, write_only=True)


class RetailRegistrationInput(serializers.Serializer):
    admin = RetailRegistrationAdminInput()
    company = RetailRegistrationCompanyInput()


class RetailRegistrationOutput(serializers.Serializer):
    pro_id = serializers.CharField()
    name = serializers.CharField()
    verification_status = serializers.CharField()


# --- the network VIN search ---------------------------------------------------------------------------
class RetailVinSearchInput(serializers.Serializer):
    vin = serializers.CharField(max_length=40, help_text=gettext_lazy("The whole VIN, 17 characters."))


class RetailVinSearchCompany(ModelSerializer):
    class Meta:
        model = Company
        fields = ["pro_id", "name", "verification_status"]


class RetailVinSearchResult(serializers.Serializer):
    vin = serializers.CharField()
    make = serializers.CharField()
    model = serializers.CharField(source="model_family")
    model_year = serializers.IntegerField(allow_null=True)
    verification_status = serializers.CharField()
    company = RetailVinSearchCompany()


# --- the order's review step ---------------------------------------------------------------------------
class RetailMoney(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()


class RetailHeldPack(serializers.Serializer):
    pack = serializers.CharField(source="pack.code")
    name = serializers.CharField(source="pack.local_name")
    status = serializers.CharField()


class RetailReviewLine(serializers.Serializer):
    vin = serializers.CharField(source="vehicle.vin")
    services = serializers.SerializerMethodField()
    already_has = RetailHeldPack(source="held", many=True)

    def get_services(self, line) -> list[dict]:
        return [{"code": service.code, "name": service.local_name} for service in line["services"]]


class RetailOrderReview(serializers.Serializer):
    pack = serializers.CharField(source="quote.pack.code")
    pack_name = serializers.CharField(source="quote.pack.local_name")
    price = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    trial_ends_at = serializers.DateField(source="quote.trial_ends_at", allow_null=True)
    charged_from = serializers.DateField(source="quote.charged_from")
    vehicles = RetailReviewLine(source="lines", many=True)

    @extend_schema_field(RetailMoney)
    def get_price(self, review) -> dict:
        quote = review["quote"]
        return {"amount": str(quote.price.amount), "currency": quote.currency, "period": "year"}

    @extend_schema_field(RetailMoney)
    def get_total(self, review) -> dict:
        quote = review["quote"]
        return {"amount": str(quote.total), "currency": quote.currency}
