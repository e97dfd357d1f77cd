"""API: tokens and the caller's own profile (`/auth/tokens`, `/me`, `/me/support-password`)."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from mpro.api import ModelSerializer, max_length_of
from mpro.errors import DomainError
from mpro.throttling import ScopedRateThrottle
from users import lockout, services
from users.models import ApiToken, LicenceCategory, User

from . import services as company_services
from .audit import Actor
from .tenancy import CustomerPermission, get_membership


# --- tokens -----------------------------------------------------------------------------------
class TokenCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(max_length=max_length_of(ApiToken, "name"))


class TokenSerializer(ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created", "last_used_at"]


class NewTokenSerializer(ModelSerializer):
    token = serializers.CharField(help_text="The secret. Shown only in this answer.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "token", "created"]


def issue_token_response(user, name: str) -> Response:
    token, secret = services.api_token_create(user=user, name=name)
    data = NewTokenSerializer(
        {"id": token.id, "name": token.name, "token": secret, "created": token.created}
    ).data
    return Response(data, status=status.HTTP_201_CREATED)


class TokensView(APIView):
    """Create a token with e-mail and password (no other credentials needed), or list yours."""

    throttle_scope = "token_create"

    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "POST" else [permissions.IsAuthenticated()]

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else super().get_throttles()

    @extend_schema(request=TokenCreateSerializer, responses={201: NewTokenSerializer})
    def post(self, request):
        data = TokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = lockout.password_authenticate(
            request, email=data.validated_data["email"], password=data.validated_data["password"]
        )
        if user is None or hasattr(user, "dealer_staff"):
            raise DomainError(_("The e-mail address or the password is not correct."))
        if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
            raise DomainError(
                _("Confirm your e-mail address first: follow the link in the e-mail we sent you.")
            )
        return issue_token_response(user, data.validated_data["name"])

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        tokens = ApiToken.objects.filter(user=request.user)
        return Response(TokenSerializer(tokens, many=True).data)


class TokenDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, token_id: int):
        token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
        services.api_token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- me -----------------------------------------------------------------------------------------
class VerificationSerializer(serializers.Serializer):
    status = serializers.CharField(source="verification_status")
    mode = serializers.CharField(source="verification_mode", allow_blank=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    grace_until = serializers.DateTimeField(
        source="verification_grace_until",
        allow_null=True,
        help_text="Set after a change of name or date of birth reset the verification: the company's "
        "live services run until then while the dealer checks the ID again.",
    )


class MeCompanySerializer(serializers.Serializer):
    pro_id = serializers.CharField(source="company.pro_id")
    name = serializers.CharField(source="company.name")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(
        max_length=max_length_of(User, "first_name"), required=False, allow_blank=True
    )
    last_name = serializers.CharField(
        max_length=max_length_of(User, "last_name"), required=False, allow_blank=True
    )
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    mobile = serializers.CharField(max_length=30, required=False, allow_blank=True)
    licence_category = serializers.ChoiceField(
        choices=LicenceCategory.choices, required=False, allow_blank=True
    )
    language = serializers.ChoiceField(choices=[code for code, _name in settings.LANGUAGES], required=False)
    confirm_reverification = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Required (true) when a verified person changes first_name, last_name or birth_date: "
        "the change resets their verification (400 `confirm_reverification` otherwise, nothing saved).",
    )
    verification = serializers.SerializerMethodField()
    company = serializers.SerializerMethodField()

    @extend_schema_field(VerificationSerializer)
    def get_verification(self, user) -> dict:
        return VerificationSerializer(user).data

    @extend_schema_field(MeCompanySerializer(allow_null=True))
    def get_company(self, user) -> dict | None:
        membership = self.context.get("membership")
        return MeCompanySerializer(membership).data if membership else None


class MeView(APIView):
    permission_classes = [CustomerPermission]

    def _answer(self, request):
        return Response(MeSerializer(request.user, context={"membership": get_membership(request)}).data)

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return self._answer(request)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        data = MeSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        company_services.profile_update(
            user=request.user, actor=Actor.customer(request.user), **data.validated_data
        )
        return self._answer(request)


class SupportPasswordSerializer(serializers.Serializer):
    support_password = serializers.CharField(trim_whitespace=False, max_length=128)
    current_password = serializers.CharField(trim_whitespace=False)


class SupportPasswordView(APIView):
    """Set or change your support password. Your login password confirms it is you."""

    permission_classes = [CustomerPermission]

    @extend_schema(request=SupportPasswordSerializer, responses={204: None})
    def put(self, request):
        data = SupportPasswordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The current password is a password check like the login's: the same lock-out counts it.
        lockout.customer_login_check(request, request.user.email)
        try:
            company_services.support_password_set(
                user=request.user, actor=Actor.customer(request.user), **data.validated_data
            )
        except DomainError as error:
            if error.field == "current_password":
                lockout.customer_login_failed(request, request.user.email)
            raise
        return Response(status=status.HTTP_204_NO_CONTENT)
