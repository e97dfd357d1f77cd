"""Retail API: finding a company, its data and people, and registering one for a customer."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.api import CompanySerializer
from companies.models import Membership
from companies.services import company_update
from mpro.errors import DomainError
from mpro.throttling import UserRateThrottle

from .. import selectors, services
from ..registration import registration_errors
from ..throttling import RetailSearchThrottle
from .access import ATTESTATION, SUPPORT_SESSION, CompanyAPIView, DealerStaffPermission, valid
from .schema import COMPANY_UPDATE_DOC, NEEDS_ATTESTATION, NEEDS_SUPPORT_SESSION, VERIFY_DOC
from .serializers import (
    RetailCompanySerializer,
    RetailCompanySummarySerializer,
    RetailMemberSerializer,
    RetailModeInput,
    RetailReasonInput,
    RetailRegistrationInput,
    RetailRegistrationOutput,
    RetailSearchInput,
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
        query = valid(RetailSearchInput, request.query_params)
        companies = selectors.company_search(**query)
        return Response(RetailCompanySummarySerializer(companies, many=True).data)


class CompanyDetailView(CompanyAPIView):
    windows = {"GET": ATTESTATION, "PATCH": SUPPORT_SESSION}

    @extend_schema(responses={200: RetailCompanySerializer}, description=NEEDS_ATTESTATION)
    def get(self, request, pro_id):
        return Response(RetailCompanySerializer(self.company).data)

    @extend_schema(
        request=CompanySerializer,
        responses={200: RetailCompanySerializer},
        description=NEEDS_SUPPORT_SESSION + COMPANY_UPDATE_DOC,
    )
    def patch(self, request, pro_id):
        data = CompanySerializer(self.company, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {key: value for key, value in data.validated_data.items() if key != "accept_terms"}
        company = company_update(company=self.company, actor=self.actor, **fields)
        return Response(RetailCompanySerializer(company).data)


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
        data = valid(RetailReasonInput, request.data)
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
        data = valid(RetailModeInput, request.data)
        membership = services.member_verify(membership=membership, mode=data["mode"], actor=self.actor)
        return Response(RetailMemberSerializer(membership).data)


class RegistrationCreateView(APIView):
    permission_classes = [DealerStaffPermission]

    @extend_schema(request=RetailRegistrationInput, responses={201: RetailRegistrationOutput})
    def post(self, request):
        data = valid(RetailRegistrationInput, request.data)
        company_data = {key: value for key, value in data["company"].items() if key != "accept_terms"}
        try:
            company = services.registration_create(
                staff=request.staff, admin=dict(data["admin"]), company=company_data
            )
        except DomainError as error:
            if error.status_code != 400:
                raise
            raise ValidationError(_nested(error)) from error
        return Response(RetailRegistrationOutput(company).data, status=status.HTTP_201_CREATED)


def _nested(error: DomainError) -> dict:
    """The refusal nested as DRF nests its own errors: under "admin", "company", or
    "non_field_errors" (retail.registration decides which)."""
    nested: dict = {}
    for part, field, message in registration_errors(error):
        if part:
            nested.setdefault(part, {}).setdefault(field, []).append(message)
        else:
            nested.setdefault("non_field_errors", []).append(message)
    return nested
