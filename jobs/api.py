"""REST API of jobs (API-CONNECTED.md, "Jobs between fleet manager and driver"):
POST /jobs (administrators and fleet managers), GET /jobs and GET /jobs/{id} (managers: the
company's jobs; a driver: their own), POST /jobs/{id}/status (the addressed driver only)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.api import PersonRefSerializer, person_ref
from companies.audit import Actor
from companies.models import Membership
from companies.tenancy import CompanyPermission
from mpro.api import CursorPagination, validated
from mpro.errors import FieldErrors

from . import selectors, services
from .models import JobStatus


class DestinationSerializer(serializers.Serializer):
    address = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=True)
    lat = serializers.FloatField(required=False, allow_null=True, default=None)
    lon = serializers.FloatField(required=False, allow_null=True, default=None)


class JobInputSerializer(serializers.Serializer):
    driver = serializers.IntegerField(required=False, allow_null=True, help_text="Member id of a driver.")
    vehicle = serializers.CharField(
        required=False, allow_blank=True, help_text="VIN of a van: the job goes to its current driver."
    )
    # Lengths are the service's rule (jobs.services); here only the types.
    title = serializers.CharField(allow_blank=True, trim_whitespace=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    destination = DestinationSerializer(required=False, allow_null=True)
    due_at = serializers.DateTimeField(required=False, allow_null=True)


class StatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[JobStatus.READ, JobStatus.ACCEPTED, JobStatus.DONE, JobStatus.DECLINED]
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when declining (300 characters at most).",
    )


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    notes = serializers.CharField()
    driver = serializers.SerializerMethodField()
    vehicle = serializers.SerializerMethodField()
    destination = serializers.SerializerMethodField()
    due_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    sent_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    declined_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    sent_by = serializers.SerializerMethodField()

    @extend_schema_field(PersonRefSerializer)
    def get_driver(self, job) -> dict:
        return person_ref(job.driver)

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_sent_by(self, job) -> dict | None:
        return person_ref(job.created_by)

    def get_vehicle(self, job) -> str | None:
        return job.vehicle.vin if job.vehicle else None

    @extend_schema_field(DestinationSerializer(allow_null=True))
    def get_destination(self, job) -> dict | None:
        if not job.destination and not job.has_place:
            return None
        return {"address": job.destination, "lat": job.destination_lat, "lon": job.destination_lon}


class JobPagination(CursorPagination):
    ordering = ("-sent_at", "-id")


class JobsView(APIView):
    permission_classes = [CompanyPermission]
    capabilities = {"GET": "company.member", "POST": "jobs.manage"}
    pagination_class = JobPagination  # the schema reads it: GET answers a cursor page

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=JobStatus.values),
            OpenApiParameter("driver", int, description="member id (managers only)"),
        ],
        responses={200: JobSerializer(many=True)},
        operation_id="jobs_list",
    )
    def get(self, request):
        qs = selectors.jobs_in_reach(request.company, request.membership)
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in JobStatus.values:
                raise FieldErrors(
                    {"status": [_("Choose one of: %(values)s.") % {"values": ", ".join(JobStatus.values)}]}
                )
            qs = qs.filter(status=wanted)
        driver = request.query_params.get("driver")
        if driver:
            member = (
                Membership.objects.for_company(request.company)
                .filter(pk=driver if driver.isdigit() else 0)
                .first()
            )
            qs = qs.filter(driver_id=member.user_id) if member else qs.none()
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            qs.select_related("driver__membership", "created_by__membership"), request, view=self
        )
        return paginator.get_paginated_response(JobSerializer(page, many=True).data)

    @extend_schema(
        request=JobInputSerializer,
        responses={201: JobSerializer, 400: OpenApiResponse(description="field errors"), 403: None},
        operation_id="job_send",
    )
    def post(self, request):
        data = validated(JobInputSerializer, request.data)
        destination = data.get("destination") or {}
        job = services.job_send(
            company=request.company,
            actor=Actor.customer(request.user),
            driver_member_id=data.get("driver"),
            vehicle_vin=data.get("vehicle") or None,
            title=data["title"],
            notes=data.get("notes", ""),
            destination=destination.get("address", ""),
            destination_lat=destination.get("lat"),
            destination_lon=destination.get("lon"),
            due_at=data.get("due_at"),
        )
        return Response(JobSerializer(job).data, status=status.HTTP_201_CREATED)


class _JobView(APIView):
    permission_classes = [CompanyPermission]
    capability = "company.member"

    def job(self, request, job_id: int):
        job = selectors.job_in_reach(request.company, request.membership, job_id)
        if job is None:
            raise NotFound()
        return job


class JobView(_JobView):
    @extend_schema(responses={200: JobSerializer, 404: None}, operation_id="job")
    def get(self, request, job_id: int):
        return Response(JobSerializer(self.job(request, job_id)).data)


class JobStatusView(_JobView):
    @extend_schema(
        request=StatusInputSerializer,
        responses={
            200: JobSerializer,
            400: OpenApiResponse(description="field errors (`status`, `reason`)"),
            403: OpenApiResponse(description="a manager: only the addressed driver changes the status"),
            404: None,
            409: OpenApiResponse(description='`code: "job_status_not_allowed"`: not from the current status'),
        },
        operation_id="job_status",
    )
    def post(self, request, job_id: int):
        job = self.job(request, job_id)
        data = validated(StatusInputSerializer, request.data)
        job = services.job_mark(
            job=job,
            status=data["status"],
            reason=data["reason"],
            actor=Actor.customer(request.user),
        )
        return Response(JobSerializer(job).data)
