"""Retail API: finding a van across the network, and leaving a company."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from mpro.throttling import UserRateThrottle

from .. import selectors, services
from ..throttling import RetailSearchThrottle
from .access import CompanyAPIView, DealerStaffPermission, valid
from .schema import LEAVE_DOC, VIN_SEARCH_DOC
from .serializers import RetailVinSearchInput, RetailVinSearchResult


class VinSearchView(APIView):
    permission_classes = [DealerStaffPermission]
    throttle_classes = [UserRateThrottle, RetailSearchThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("vin", str, required=True, description="the whole VIN")],
        responses={200: RetailVinSearchResult(many=True)},
        operation_id="retail_vehicles_search",
        description=VIN_SEARCH_DOC,
    )
    def get(self, request):
        query = valid(RetailVinSearchInput, request.query_params)
        vehicles = selectors.network_vin_search(query["vin"])
        return Response(RetailVinSearchResult(vehicles, many=True).data)


class CompanyLeaveView(CompanyAPIView):
    window = None

    @extend_schema(request=None, responses={204: None}, description=LEAVE_DOC)
    def post(self, request, pro_id):
        services.company_leave(staff=request.staff, company=self.company)
        return Response(status=status.HTTP_204_NO_CONTENT)
