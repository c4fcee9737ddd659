"""A salon's services: list, create, read, change (deactivate: `is_active` false; services
are never deleted, past appointments refer to them)."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.core.idempotency import idempotent_created
from booking.core.pagination import Pagination, paginated_response
from booking.core.schema import CurrencyField, MoneyAmountField
from booking.salons import manage_selectors as selectors
from booking.salons import services
from booking.salons.apis import ServiceOutputSerializer
from booking.salons.manage_apis.common import (
    IDEMPOTENCY_HEADER,
    managed_salon,
)


class ManagedServiceOutputSerializer(ServiceOutputSerializer):
    is_active = serializers.BooleanField()


class ManagedServiceInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    duration_minutes = serializers.IntegerField(min_value=5, max_value=24 * 60)
    buffer_after_minutes = serializers.IntegerField(min_value=0, max_value=24 * 60, required=False)
    price = MoneyAmountField(max_digits=10, decimal_places=2, min_value=0)
    currency = CurrencyField(min_length=3, max_length=3)
    is_active = serializers.BooleanField(required=False)


class ManagedServiceListApi(APIView):
    pagination_class = Pagination  # documents the page object in the schema

    @extend_schema(responses=ManagedServiceOutputSerializer(many=True))
    def get(self, request: Request, salon_id: UUID) -> Response:
        salon_services = selectors.service_list_for_manage(salon=managed_salon(request, salon_id))
        return paginated_response(
            request=request,
            view=self,
            queryset=salon_services,
            serializer_class=ManagedServiceOutputSerializer,
        )


class ManagedServiceCreateApi(APIView):
    class InputSerializer(ManagedServiceInputSerializer):
        pass

    @extend_schema(
        request=InputSerializer,
        responses={201: ManagedServiceOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, salon_id: UUID) -> Response:
        salon = managed_salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return idempotent_created(
            request=request,
            scope=f"manage.service_create:{salon.id}",
            create=lambda: (
                ManagedServiceOutputSerializer(
                    services.service_create(salon=salon, **serializer.validated_data)
                ).data
            ),
        )


class ManagedServiceDetailApi(APIView):
    @extend_schema(responses=ManagedServiceOutputSerializer)
    def get(self, request: Request, salon_id: UUID, service_id: UUID) -> Response:
        salon = managed_salon(request, salon_id)
        service = selectors.service_get_for_manage(salon=salon, service_id=service_id)
        return Response(ManagedServiceOutputSerializer(service).data)


class ManagedServiceUpdateApi(APIView):
    class InputSerializer(ManagedServiceInputSerializer):
        pass

    @extend_schema(request=InputSerializer, responses=ManagedServiceOutputSerializer)
    def patch(self, request: Request, salon_id: UUID, service_id: UUID) -> Response:
        salon = managed_salon(request, salon_id, write=True)
        service = selectors.service_get_for_manage(salon=salon, service_id=service_id)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        service = services.service_update(service=service, data=serializer.validated_data)
        return Response(ManagedServiceOutputSerializer(service).data)
