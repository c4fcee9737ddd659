"""A staff member's time off: list, add, delete."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.core.fields import AwareDateTimeField
from booking.core.idempotency import idempotent_created
from booking.core.pagination import Pagination, paginated_response
from booking.salons import manage_selectors as selectors
from booking.salons import services
from booking.salons.manage_apis.common import (
    IDEMPOTENCY_HEADER,
    managed_staff_member,
)


class ManagedTimeOffOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    reason = serializers.CharField()


class ManagedTimeOffListApi(APIView):
    pagination_class = Pagination  # documents the page object in the schema

    @extend_schema(responses=ManagedTimeOffOutputSerializer(many=True))
    def get(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        time_off = selectors.time_off_list(
            staff_member=managed_staff_member(request, salon_id, staff_id)
        )
        return paginated_response(
            request=request,
            view=self,
            queryset=time_off,
            serializer_class=ManagedTimeOffOutputSerializer,
        )


class ManagedTimeOffCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        start = AwareDateTimeField()
        end = AwareDateTimeField()
        reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(
        request=InputSerializer,
        responses={201: ManagedTimeOffOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        staff_member = managed_staff_member(request, salon_id, staff_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return idempotent_created(
            request=request,
            scope=f"manage.time_off_create:{staff_member.id}",
            create=lambda: (
                ManagedTimeOffOutputSerializer(
                    services.time_off_create(staff_member=staff_member, **serializer.validated_data)
                ).data
            ),
        )


class ManagedTimeOffDeleteApi(APIView):
    @extend_schema(responses={204: None})
    def delete(
        self, request: Request, salon_id: UUID, staff_id: UUID, time_off_id: UUID
    ) -> Response:
        staff_member = managed_staff_member(request, salon_id, staff_id, write=True)
        time_off = selectors.time_off_get(staff_member=staff_member, time_off_id=time_off_id)
        services.time_off_delete(time_off=time_off)
        return Response(status=status.HTTP_204_NO_CONTENT)
