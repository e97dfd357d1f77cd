"""Retail API: a staff member's token, and the windows on a company (attestation, support session)."""

from __future__ import annotations

from django.views.decorators.debug import sensitive_variables
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from mpro.clientip import client_address
from mpro.throttling import ScopedRateThrottle
from users.services import api_token_create

from .. import services
from .access import CompanyAPIView, NotACustomer, valid
from .schema import ATTESTATION_DOC, LOGIN_DOC, NEEDS_ATTESTATION, SUPPORT_DOC
from .serializers import (
    RetailAttestationInput,
    RetailAttestationOutput,
    RetailSupportPasswordInput,
    RetailSupportSessionOutput,
    RetailTokenInput,
    RetailTokenOutput,
)


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
        data = valid(RetailTokenInput, request.data)
        staff = services.staff_authenticate(
            d5_id=data["d5_id"], password=data["password"], address=client_address(request)
        )
        # The same rule as a customer's token (name, at most users.services.MAX_TOKENS).
        token, secret = api_token_create(user=staff.user, name=data["name"])
        return Response(
            {"id": token.pk, "name": token.name, "token": secret, "created": token.created},
            status=status.HTTP_201_CREATED,
        )


class AttestationCreateView(CompanyAPIView):
    window = None

    @extend_schema(
        request=RetailAttestationInput,
        responses={201: RetailAttestationOutput},
        description=ATTESTATION_DOC,
    )
    def post(self, request, pro_id):
        data = valid(RetailAttestationInput, request.data)
        attestation = services.attestation_open(
            staff=request.staff, company=self.company, identity_checked=data["identity_checked"]
        )
        return Response(RetailAttestationOutput(attestation).data, status=status.HTTP_201_CREATED)


class SupportSessionCreateView(CompanyAPIView):
    @extend_schema(
        request=RetailSupportPasswordInput,
        responses={201: RetailSupportSessionOutput},
        description=NEEDS_ATTESTATION + SUPPORT_DOC,
    )
    @sensitive_variables("data")
    def post(self, request, pro_id):
        data = valid(RetailSupportPasswordInput, request.data)
        session = services.support_session_open(
            staff=request.staff,
            company=self.company,
            support_password=data["support_password"],
            actor=self.actor,
        )
        return Response(RetailSupportSessionOutput(session).data, status=status.HTTP_201_CREATED)
