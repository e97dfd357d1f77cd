"""API: the caller's company, its members and its audit trail."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from mpro.api import CursorPagination, ModelSerializer, max_length_of
from users.models import User

from . import selectors, services
from .audit import Actor, action_label
from .models import AuditEvent, Company, Country, Membership, Role
from .tenancy import CompanyPermission, CustomerPermission


class PersonRefSerializer(serializers.Serializer):
    """A person as other resources name them (a job's driver, a trip's driver, who acknowledged an
    alert): their member id, as in /company/members, and their name."""

    id = serializers.IntegerField(allow_null=True, help_text="the member id (null once they left)")
    name = serializers.CharField()

    class Meta:
        ref_name = "PersonRef"


def person_ref(user) -> dict | None:
    """The PersonRefSerializer body of `user` (None for nobody)."""
    if user is None:
        return None
    membership = getattr(user, "membership", None)
    return {"id": membership.pk if membership else None, "name": user.get_full_name() or user.email}


class CompanySerializer(ModelSerializer):
    accept_terms = serializers.BooleanField(write_only=True, required=False)
    country = serializers.ChoiceField(choices=Country.choices)

    class Meta:
        model = Company
        fields = [
            "pro_id",
            *services.COMPANY_FIELDS,
            "verification_status",
            "contract_generation",
            "created_at",
            "accept_terms",
        ]
        read_only_fields = ["pro_id", "verification_status", "contract_generation", "created_at"]
        extra_kwargs = {"vat_number": {"required": False}}

    def to_internal_value(self, data):
        if isinstance(data, dict) and isinstance(data.get("country"), str):
            data = {**data, "country": data["country"].strip().upper()}
        return super().to_internal_value(data)


class CompanyView(APIView):
    """Register your company (you become its administrator), read it, or change it."""

    permission_classes = [CompanyPermission]
    capabilities = {"GET": "company.view", "PATCH": "company.manage"}

    def get_permissions(self):
        # Registering needs a logged-in customer without a company yet.
        return [CustomerPermission()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(request=CompanySerializer, responses={201: CompanySerializer})
    def post(self, request):
        data = CompanySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        accept_terms = fields.pop("accept_terms", False)
        company = services.company_register(
            user=request.user, accept_terms=accept_terms, actor=Actor.customer(request.user), **fields
        )
        return Response(CompanySerializer(company).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CompanySerializer)
    def get(self, request):
        return Response(CompanySerializer(request.company).data)

    @extend_schema(request=CompanySerializer, responses=CompanySerializer)
    def patch(self, request):
        data = CompanySerializer(request.company, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k != "accept_terms"}
        company = services.company_update(
            company=request.company, actor=Actor.customer(request.user), **fields
        )
        return Response(CompanySerializer(company).data)


class MemberSerializer(ModelSerializer):
    email = serializers.EmailField(source="person_email")
    first_name = serializers.CharField(
        source="person_first_name", max_length=max_length_of(User, "first_name")
    )
    last_name = serializers.CharField(source="person_last_name", max_length=max_length_of(User, "last_name"))
    verification_status = serializers.CharField(source="person_verification_status", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "is_primary_admin",
            "verification_status",
            "invitation_status",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "is_primary_admin",
            "verification_status",
            "invitation_status",
            "created_at",
        ]


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=max_length_of(User, "first_name"))
    last_name = serializers.CharField(max_length=max_length_of(User, "last_name"))
    role = serializers.ChoiceField(choices=Role.choices)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class MembersView(ListAPIView):
    """Your company's members. POST invites someone by e-mail."""

    permission_classes = [CompanyPermission]
    capabilities = {"GET": "members.view", "POST": "members.manage"}
    serializer_class = MemberSerializer
    pagination_class = CursorPagination
    queryset = Membership.objects.none()  # for the schema; requests use get_queryset()

    def get_queryset(self):
        return selectors.members(self.request.company).order_by("-id")

    @extend_schema(request=InviteSerializer, responses={201: MemberSerializer})
    def post(self, request):
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_invite(
            company=request.company, actor=Actor.customer(request.user), **data.validated_data
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberView(APIView):
    permission_classes = [CompanyPermission]
    capability = "members.manage"

    def _member(self, request, member_id) -> Membership:
        return get_object_or_404(selectors.members(request.company), pk=member_id)

    @extend_schema(request=RoleSerializer, responses=MemberSerializer)
    def patch(self, request, member_id: int):
        membership = self._member(request, member_id)
        data = RoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_change_role(
            membership=membership, role=data.validated_data["role"], actor=Actor.customer(request.user)
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(responses={204: None})
    def delete(self, request, member_id: int):
        membership = self._member(request, member_id)
        actor = Actor.customer(request.user)
        if membership.invitation_status == "pending":
            services.invitation_revoke(membership=membership, actor=actor)
        else:
            services.member_remove(membership=membership, actor=actor)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActorSerializer(serializers.Serializer):
    kind = serializers.CharField(source="actor_kind")
    name = serializers.CharField(source="actor_name")
    dealer = serializers.SerializerMethodField()
    acting_under = serializers.CharField()

    def get_dealer(self, event) -> str | None:
        return f"{event.dealer.name} ({event.dealer.code})" if event.dealer else None


class EventSerializer(ModelSerializer):
    actor = serializers.SerializerMethodField()
    action_label = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "action", "action_label", "target", "details"]

    @extend_schema_field(ActorSerializer)
    def get_actor(self, event) -> dict:
        return ActorSerializer(event).data

    def get_action_label(self, event) -> str:
        return action_label(event.action)


class EventPagination(CursorPagination):
    ordering = ("-at", "-id")


class EventsView(ListAPIView):
    """Your company's audit trail, newest first."""

    permission_classes = [CompanyPermission]
    capability = "events.view"
    serializer_class = EventSerializer
    pagination_class = EventPagination
    queryset = AuditEvent.objects.none()  # for the schema; requests use get_queryset()

    def get_queryset(self):
        return selectors.events(self.request.company)
