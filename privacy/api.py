"""API: `GET /me/export` (the archive), `GET|POST /me/erasure` (dry run | erase),
`GET|POST /company/closure` (dry run | close). Additions to API.md, described in the schema."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.audit import Actor
from companies.tenancy import CompanyPermission, CustomerPermission
from mpro.errors import DomainError

from . import services


class ItemSerializer(serializers.Serializer):
    what = serializers.CharField()
    count = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=["deleted", "anonymised", "kept"])
    why = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    blockers = serializers.ListField(child=serializers.CharField())
    items = ItemSerializer(many=True)


class ErasureSerializer(serializers.Serializer):
    confirm = serializers.BooleanField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class ClosureSerializer(serializers.Serializer):
    confirm_pro_id = serializers.CharField(max_length=20)


class ExportView(APIView):
    """Everything mpro holds about you, as JSON files in one zip archive (GDPR Art. 15 and 20)."""

    permission_classes = [CustomerPermission]

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(description="zip archive")})
    def get(self, request):
        name, content = services.export_archive(user=request.user, actor=Actor.customer(request.user))
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ErasureView(APIView):
    """GET: the dry run of erasing your account. POST: erase it (your password confirms)."""

    permission_classes = [CustomerPermission]

    @extend_schema(responses=PlanSerializer)
    def get(self, request):
        return Response(services.account_erasure_plan(request.user).as_dict())

    @extend_schema(request=ErasureSerializer, responses={204: None})
    def post(self, request):
        serializer = ErasureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data["confirm"]:
            raise DomainError(_("Confirm that you want your account erased."), field="confirm")
        if not request.user.check_password(serializer.validated_data["password"]):
            raise DomainError(_("Your password is not correct."), field="password")
        services.account_erase(user=request.user, actor=Actor.customer(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClosureView(APIView):
    """GET: the dry run of closing the company. POST: close it and delete its data."""

    permission_classes = [CompanyPermission]
    capability = "company.manage"

    @extend_schema(responses=PlanSerializer)
    def get(self, request):
        return Response(services.company_closure_plan(request.company).as_dict())

    @extend_schema(request=ClosureSerializer, responses={204: None})
    def post(self, request):
        serializer = ClosureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.company_close(
            company=request.company,
            actor=Actor.customer(request.user),
            confirm_pro_id=serializer.validated_data["confirm_pro_id"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
