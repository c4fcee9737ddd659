"""A salon's staff members: list, add, read, change (deactivate: `is_active` false; staff
are never deleted, appointments refer to them)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.core.idempotency import idempotent_created
from booking.core.pagination import Pagination, paginated_response
from booking.core.schema import error_responses
from booking.salons import manage_selectors as selectors
from booking.salons import services
from booking.salons.manage_apis.common import (
    IDEMPOTENCY_HEADER,
    managed_salon,
    managed_staff_member,
)


class ManagedStaffOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    is_active = serializers.BooleanField()
    service_ids = serializers.SerializerMethodField()
    user_email = serializers.EmailField(source="user.email", allow_null=True, default=None)

    def get_service_ids(self, staff_member: Any) -> list[UUID]:
        return [service.id for service in staff_member.services.all()]


class ManagedStaffListApi(APIView):
    pagination_class = Pagination  # documents the page object in the schema

    @extend_schema(responses=ManagedStaffOutputSerializer(many=True))
    def get(self, request: Request, salon_id: UUID) -> Response:
        staff = selectors.staff_member_list_for_manage(salon=managed_salon(request, salon_id))
        return paginated_response(
            request=request,
            view=self,
            queryset=staff,
            serializer_class=ManagedStaffOutputSerializer,
        )


class ManagedStaffCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        display_name = serializers.CharField(max_length=150)
        service_ids = serializers.ListField(
            child=serializers.UUIDField(), required=False, max_length=500
        )
        user_email = serializers.EmailField(required=False, allow_null=True, allow_blank=True)

    @extend_schema(
        request=InputSerializer,
        responses={201: ManagedStaffOutputSerializer, **error_responses(409)},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, salon_id: UUID) -> Response:
        salon = managed_salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def create() -> Any:
            created = services.staff_member_create(salon=salon, **serializer.validated_data)
            staff_member = selectors.staff_member_get_for_manage(salon=salon, staff_id=created.id)
            return ManagedStaffOutputSerializer(staff_member).data

        return idempotent_created(
            request=request, scope=f"manage.staff_create:{salon.id}", create=create
        )


class ManagedStaffDetailApi(APIView):
    @extend_schema(responses=ManagedStaffOutputSerializer)
    def get(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        return Response(
            ManagedStaffOutputSerializer(managed_staff_member(request, salon_id, staff_id)).data
        )


class ManagedStaffUpdateApi(APIView):
    class InputSerializer(serializers.Serializer):
        display_name = serializers.CharField(max_length=150)
        is_active = serializers.BooleanField()
        service_ids = serializers.ListField(child=serializers.UUIDField(), max_length=500)
        user_email = serializers.EmailField(allow_null=True, allow_blank=True)

    @extend_schema(
        request=InputSerializer,
        responses={200: ManagedStaffOutputSerializer, **error_responses(409)},
    )
    def patch(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        staff_member = managed_staff_member(request, salon_id, staff_id, write=True)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.staff_member_update(staff_member=staff_member, data=serializer.validated_data)
        staff_member = managed_staff_member(request, salon_id, staff_id)
        return Response(ManagedStaffOutputSerializer(staff_member).data)
