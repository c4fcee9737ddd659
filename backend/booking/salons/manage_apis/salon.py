"""Salons: the caller's salons, creating one, its details and booking policy."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.accounts.authentication import request_user
from booking.core.idempotency import idempotent_created
from booking.core.pagination import Pagination, paginated_response
from booking.core.schema import (
    CountryCodeField,
    LatitudeField,
    LongitudeField,
    PhoneField,
    TimeZoneField,
    error_responses,
)
from booking.salons import manage_selectors as selectors
from booking.salons import services
from booking.salons.apis import SalonFieldsSerializer
from booking.salons.manage_apis.common import (
    IDEMPOTENCY_HEADER,
    managed_salon,
)


class ManagedAddressSerializer(serializers.Serializer):
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    country = CountryCodeField(max_length=2)
    latitude = LatitudeField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = LongitudeField(max_digits=9, decimal_places=6, required=False, allow_null=True)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["country"] = str(instance.country.code) if instance.country else ""
        return data


class ManagedPolicySerializer(serializers.Serializer):
    min_notice_minutes = serializers.IntegerField(min_value=0, max_value=60 * 24 * 30)
    horizon_days = serializers.IntegerField(min_value=1, max_value=730)
    cancellation_cutoff_minutes = serializers.IntegerField(min_value=0, max_value=60 * 24 * 30)
    slot_step_minutes = serializers.IntegerField(min_value=5, max_value=240)


class ManagedSalonOutputSerializer(SalonFieldsSerializer, ManagedPolicySerializer):
    is_active = serializers.BooleanField()
    address = ManagedAddressSerializer()


class ManagedSalonListApi(APIView):
    pagination_class = Pagination  # documents the page object in the schema

    class OutputSerializer(ManagedSalonOutputSerializer):
        role = serializers.CharField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        salons = selectors.salon_list_for_manage(user=request_user(request))
        return paginated_response(
            request=request, view=self, queryset=salons, serializer_class=self.OutputSerializer
        )


class ManagedSalonCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        description = serializers.CharField(required=False, allow_blank=True)
        phone = PhoneField(max_length=16, required=False, allow_blank=True)
        timezone = TimeZoneField(max_length=64)
        address = ManagedAddressSerializer()
        min_notice_minutes = serializers.IntegerField(
            min_value=0, max_value=60 * 24 * 30, required=False
        )
        horizon_days = serializers.IntegerField(min_value=1, max_value=730, required=False)
        cancellation_cutoff_minutes = serializers.IntegerField(
            min_value=0, max_value=60 * 24 * 30, required=False
        )
        slot_step_minutes = serializers.IntegerField(min_value=5, max_value=240, required=False)

    @extend_schema(
        request=InputSerializer,
        responses={201: ManagedSalonOutputSerializer, **error_responses(409)},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return idempotent_created(
            request=request,
            scope="manage.salon_create",
            create=lambda: (
                ManagedSalonOutputSerializer(
                    services.salon_create(owner=request_user(request), **serializer.validated_data)
                ).data
            ),
        )


class ManagedSalonDetailApi(APIView):
    @extend_schema(responses=ManagedSalonOutputSerializer)
    def get(self, request: Request, salon_id: UUID) -> Response:
        return Response(ManagedSalonOutputSerializer(managed_salon(request, salon_id)).data)


class ManagedSalonUpdateApi(APIView):
    class InputSerializer(ManagedPolicySerializer):
        name = serializers.CharField(max_length=200)
        description = serializers.CharField(allow_blank=True)
        phone = PhoneField(max_length=16, allow_blank=True)
        timezone = TimeZoneField(max_length=64)
        is_active = serializers.BooleanField()
        address = ManagedAddressSerializer()

    @extend_schema(
        request=InputSerializer,
        responses={200: ManagedSalonOutputSerializer, **error_responses(409)},
    )
    def patch(self, request: Request, salon_id: UUID) -> Response:
        salon = managed_salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        salon = services.salon_update(salon=salon, data=serializer.validated_data)
        return Response(ManagedSalonOutputSerializer(salon).data)


class ManagedSalonPolicyApi(APIView):
    @extend_schema(responses=ManagedPolicySerializer)
    def get(self, request: Request, salon_id: UUID) -> Response:
        return Response(ManagedPolicySerializer(managed_salon(request, salon_id)).data)


class ManagedSalonPolicyUpdateApi(APIView):
    class InputSerializer(ManagedPolicySerializer):
        pass

    @extend_schema(request=InputSerializer, responses=ManagedPolicySerializer)
    def put(self, request: Request, salon_id: UUID) -> Response:
        salon = managed_salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        salon = services.salon_policy_update(salon=salon, **serializer.validated_data)
        return Response(ManagedPolicySerializer(salon).data)
