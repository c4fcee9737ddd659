"""A salon's closures: list, add, delete."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.core.idempotency import idempotent_created
from booking.core.pagination import Pagination, paginated_response
from booking.salons import manage_selectors as selectors
from booking.salons import services
from booking.salons.manage_apis.common import (
    IDEMPOTENCY_HEADER,
    managed_salon,
)


class ManagedClosureOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField()


class ManagedClosureListApi(APIView):
    pagination_class = Pagination  # documents the page object in the schema

    @extend_schema(responses=ManagedClosureOutputSerializer(many=True))
    def get(self, request: Request, salon_id: UUID) -> Response:
        closures = selectors.closure_list(salon=managed_salon(request, salon_id))
        return paginated_response(
            request=request,
            view=self,
            queryset=closures,
            serializer_class=ManagedClosureOutputSerializer,
        )


class ManagedClosureCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        start_date = serializers.DateField()
        end_date = serializers.DateField()
        reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(
        request=InputSerializer,
        responses={201: ManagedClosureOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, salon_id: UUID) -> Response:
        salon = managed_salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return idempotent_created(
            request=request,
            scope=f"manage.closure_create:{salon.id}",
            create=lambda: (
                ManagedClosureOutputSerializer(
                    services.closure_create(salon=salon, **serializer.validated_data)
                ).data
            ),
        )


class ManagedClosureDeleteApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, salon_id: UUID, closure_id: UUID) -> Response:
        salon = managed_salon(request, salon_id, write=True)
        closure = selectors.closure_get(salon=salon, closure_id=closure_id)
        services.closure_delete(closure=closure)
        return Response(status=status.HTTP_204_NO_CONTENT)
