"""The salon management API: owners change their salons, staff members read them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.accounts.models import User
from booking.core.fields import AwareDateTimeField
from booking.core.idempotency import idempotent_call
from booking.core.pagination import Pagination
from booking.salons import manage_selectors as selectors
from booking.salons import services
from booking.salons.apis import SalonFieldsSerializer, ServiceOutputSerializer
from booking.salons.services import WeeklyInterval

MAX_WEEKLY_INTERVALS = 100
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Retrying with the same key replays the first response instead of creating again.",
)


def _paginated(request: Request, view: APIView, queryset: QuerySet, output: type) -> Response:
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(output(page, many=True).data)


def _created(request: Request, scope: str, perform: Callable[[], Any], output: type) -> Response:
    """201 with the created object; with an Idempotency-Key, a retry replays the first answer."""

    def run() -> tuple[int, Any]:
        return status.HTTP_201_CREATED, json.loads(JSONRenderer().render(output(perform()).data))

    key = request.headers.get("Idempotency-Key")
    if key is None:
        code, body = run()
        return Response(body, status=code)
    stored = idempotent_call(
        user=request.user, key=key, scope=scope, payload=request.data, perform=run
    )
    return Response(stored.body, status=stored.status)


def _user(request: Request) -> User:
    assert isinstance(request.user, User)  # IsAuthenticated guards every view here
    return request.user


def _salon(request: Request, salon_id: UUID, *, write: bool = False) -> Any:
    return selectors.salon_get_for_manage(user=request.user, salon_id=salon_id, write=write)


def _staff(request: Request, salon_id: UUID, staff_id: UUID, *, write: bool = False) -> Any:
    salon = _salon(request, salon_id, write=write)
    return selectors.staff_member_get_for_manage(salon=salon, staff_id=staff_id)


# Shared serializers


class ManagedAddressSerializer(serializers.Serializer):
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )

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


class ManagedServiceOutputSerializer(ServiceOutputSerializer):
    is_active = serializers.BooleanField()


class ManagedStaffOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    is_active = serializers.BooleanField()
    service_ids = serializers.SerializerMethodField()
    user_email = serializers.EmailField(source="user.email", allow_null=True, default=None)

    def get_service_ids(self, staff_member: Any) -> list[UUID]:
        return [service.id for service in staff_member.services.all()]


class ManagedOpeningHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6)
    opens = serializers.TimeField()
    closes = serializers.TimeField()


class ManagedWorkingHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6)
    starts = serializers.TimeField()
    ends = serializers.TimeField()


class ManagedTimeOffOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    reason = serializers.CharField()


class ManagedClosureOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField()


# Salons


class ManagedSalonListApi(APIView):
    class OutputSerializer(ManagedSalonOutputSerializer):
        role = serializers.CharField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        salons = selectors.salon_list_for_manage(user=request.user)
        return _paginated(request, self, salons, self.OutputSerializer)


class ManagedSalonCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        description = serializers.CharField(required=False, allow_blank=True)
        phone = serializers.CharField(max_length=16, required=False, allow_blank=True)
        timezone = serializers.CharField(max_length=64)
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
        responses={201: ManagedSalonOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _created(
            request,
            "manage.salon_create",
            lambda: services.salon_create(owner=_user(request), **serializer.validated_data),
            ManagedSalonOutputSerializer,
        )


class ManagedSalonDetailApi(APIView):
    @extend_schema(responses=ManagedSalonOutputSerializer)
    def get(self, request: Request, salon_id: UUID) -> Response:
        return Response(ManagedSalonOutputSerializer(_salon(request, salon_id)).data)


class ManagedSalonUpdateApi(APIView):
    class InputSerializer(ManagedPolicySerializer):
        name = serializers.CharField(max_length=200)
        description = serializers.CharField(allow_blank=True)
        phone = serializers.CharField(max_length=16, allow_blank=True)
        timezone = serializers.CharField(max_length=64)
        is_active = serializers.BooleanField()
        address = ManagedAddressSerializer()

    @extend_schema(request=InputSerializer, responses=ManagedSalonOutputSerializer)
    def patch(self, request: Request, salon_id: UUID) -> Response:
        salon = _salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        salon = services.salon_update(salon=salon, data=serializer.validated_data)
        return Response(ManagedSalonOutputSerializer(salon).data)


class ManagedSalonPolicyApi(APIView):
    @extend_schema(responses=ManagedPolicySerializer)
    def get(self, request: Request, salon_id: UUID) -> Response:
        return Response(ManagedPolicySerializer(_salon(request, salon_id)).data)


class ManagedSalonPolicyUpdateApi(APIView):
    class InputSerializer(ManagedPolicySerializer):
        pass

    @extend_schema(request=InputSerializer, responses=ManagedPolicySerializer)
    def put(self, request: Request, salon_id: UUID) -> Response:
        salon = _salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        salon = services.salon_policy_update(salon=salon, **serializer.validated_data)
        return Response(ManagedPolicySerializer(salon).data)


# Services


class ManagedServiceInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    duration_minutes = serializers.IntegerField(min_value=5, max_value=24 * 60)
    buffer_after_minutes = serializers.IntegerField(min_value=0, max_value=24 * 60, required=False)
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    currency = serializers.CharField(min_length=3, max_length=3)
    is_active = serializers.BooleanField(required=False)


class ManagedServiceListApi(APIView):
    @extend_schema(responses=ManagedServiceOutputSerializer(many=True))
    def get(self, request: Request, salon_id: UUID) -> Response:
        salon_services = selectors.service_list_for_manage(salon=_salon(request, salon_id))
        return _paginated(request, self, salon_services, ManagedServiceOutputSerializer)


class ManagedServiceCreateApi(APIView):
    class InputSerializer(ManagedServiceInputSerializer):
        pass

    @extend_schema(
        request=InputSerializer,
        responses={201: ManagedServiceOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, salon_id: UUID) -> Response:
        salon = _salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _created(
            request,
            f"manage.service_create:{salon.id}",
            lambda: services.service_create(salon=salon, **serializer.validated_data),
            ManagedServiceOutputSerializer,
        )


class ManagedServiceDetailApi(APIView):
    @extend_schema(responses=ManagedServiceOutputSerializer)
    def get(self, request: Request, salon_id: UUID, service_id: UUID) -> Response:
        salon = _salon(request, salon_id)
        service = selectors.service_get_for_manage(salon=salon, service_id=service_id)
        return Response(ManagedServiceOutputSerializer(service).data)


class ManagedServiceUpdateApi(APIView):
    class InputSerializer(ManagedServiceInputSerializer):
        pass

    @extend_schema(request=InputSerializer, responses=ManagedServiceOutputSerializer)
    def patch(self, request: Request, salon_id: UUID, service_id: UUID) -> Response:
        salon = _salon(request, salon_id, write=True)
        service = selectors.service_get_for_manage(salon=salon, service_id=service_id)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        service = services.service_update(service=service, data=serializer.validated_data)
        return Response(ManagedServiceOutputSerializer(service).data)


class ManagedServiceDeactivateApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, salon_id: UUID, service_id: UUID) -> Response:
        salon = _salon(request, salon_id, write=True)
        service = selectors.service_get_for_manage(salon=salon, service_id=service_id)
        services.service_deactivate(service=service)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Staff


class ManagedStaffListApi(APIView):
    @extend_schema(responses=ManagedStaffOutputSerializer(many=True))
    def get(self, request: Request, salon_id: UUID) -> Response:
        staff = selectors.staff_member_list_for_manage(salon=_salon(request, salon_id))
        return _paginated(request, self, staff, ManagedStaffOutputSerializer)


class ManagedStaffCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        display_name = serializers.CharField(max_length=150)
        service_ids = serializers.ListField(
            child=serializers.UUIDField(), required=False, max_length=500
        )
        user_email = serializers.EmailField(required=False, allow_null=True, allow_blank=True)

    @extend_schema(
        request=InputSerializer,
        responses={201: ManagedStaffOutputSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, salon_id: UUID) -> Response:
        salon = _salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def create() -> Any:
            created = services.staff_member_create(salon=salon, **serializer.validated_data)
            return selectors.staff_member_get_for_manage(salon=salon, staff_id=created.id)

        return _created(
            request, f"manage.staff_create:{salon.id}", create, ManagedStaffOutputSerializer
        )


class ManagedStaffDetailApi(APIView):
    @extend_schema(responses=ManagedStaffOutputSerializer)
    def get(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        return Response(ManagedStaffOutputSerializer(_staff(request, salon_id, staff_id)).data)


class ManagedStaffUpdateApi(APIView):
    class InputSerializer(serializers.Serializer):
        display_name = serializers.CharField(max_length=150)
        is_active = serializers.BooleanField()
        service_ids = serializers.ListField(child=serializers.UUIDField(), max_length=500)
        user_email = serializers.EmailField(allow_null=True, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=ManagedStaffOutputSerializer)
    def patch(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        staff_member = _staff(request, salon_id, staff_id, write=True)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.staff_member_update(staff_member=staff_member, data=serializer.validated_data)
        staff_member = _staff(request, salon_id, staff_id)
        return Response(ManagedStaffOutputSerializer(staff_member).data)


class ManagedStaffDeactivateApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        staff_member = _staff(request, salon_id, staff_id, write=True)
        services.staff_member_deactivate(staff_member=staff_member)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Weekly hours (a schedule document of at most MAX_WEEKLY_INTERVALS rows: not paginated)


class ManagedOpeningHoursApi(APIView):
    @extend_schema(responses=ManagedOpeningHoursSerializer(many=True))
    def get(self, request: Request, salon_id: UUID) -> Response:
        hours = selectors.opening_hours_list(salon=_salon(request, salon_id))
        return Response(ManagedOpeningHoursSerializer(hours, many=True).data)


class ManagedOpeningHoursReplaceApi(APIView):
    class InputSerializer(ManagedOpeningHoursSerializer):
        pass

    @extend_schema(
        request=InputSerializer(many=True), responses=ManagedOpeningHoursSerializer(many=True)
    )
    def put(self, request: Request, salon_id: UUID) -> Response:
        salon = _salon(request, salon_id, write=True)
        serializer: serializers.ListSerializer = serializers.ListSerializer(
            child=self.InputSerializer(), data=request.data, max_length=MAX_WEEKLY_INTERVALS
        )
        serializer.is_valid(raise_exception=True)
        intervals = [
            WeeklyInterval(d["weekday"], d["opens"], d["closes"]) for d in serializer.validated_data
        ]
        hours = services.opening_hours_replace(salon=salon, intervals=intervals)
        return Response(ManagedOpeningHoursSerializer(hours, many=True).data)


class ManagedWorkingHoursApi(APIView):
    @extend_schema(responses=ManagedWorkingHoursSerializer(many=True))
    def get(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        hours = selectors.working_hours_list(staff_member=_staff(request, salon_id, staff_id))
        return Response(ManagedWorkingHoursSerializer(hours, many=True).data)


class ManagedWorkingHoursReplaceApi(APIView):
    class InputSerializer(ManagedWorkingHoursSerializer):
        pass

    @extend_schema(
        request=InputSerializer(many=True), responses=ManagedWorkingHoursSerializer(many=True)
    )
    def put(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        staff_member = _staff(request, salon_id, staff_id, write=True)
        serializer: serializers.ListSerializer = serializers.ListSerializer(
            child=self.InputSerializer(), data=request.data, max_length=MAX_WEEKLY_INTERVALS
        )
        serializer.is_valid(raise_exception=True)
        intervals = [
            WeeklyInterval(d["weekday"], d["starts"], d["ends"]) for d in serializer.validated_data
        ]
        hours = services.working_hours_replace(staff_member=staff_member, intervals=intervals)
        return Response(ManagedWorkingHoursSerializer(hours, many=True).data)


# Time off


class ManagedTimeOffListApi(APIView):
    @extend_schema(responses=ManagedTimeOffOutputSerializer(many=True))
    def get(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        time_off = selectors.time_off_list(staff_member=_staff(request, salon_id, staff_id))
        return _paginated(request, self, time_off, ManagedTimeOffOutputSerializer)


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
        staff_member = _staff(request, salon_id, staff_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _created(
            request,
            f"manage.time_off_create:{staff_member.id}",
            lambda: services.time_off_create(
                staff_member=staff_member, **serializer.validated_data
            ),
            ManagedTimeOffOutputSerializer,
        )


class ManagedTimeOffDeleteApi(APIView):
    @extend_schema(responses={204: None})
    def delete(
        self, request: Request, salon_id: UUID, staff_id: UUID, time_off_id: UUID
    ) -> Response:
        staff_member = _staff(request, salon_id, staff_id, write=True)
        time_off = selectors.time_off_get(staff_member=staff_member, time_off_id=time_off_id)
        services.time_off_delete(time_off=time_off)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Closures


class ManagedClosureListApi(APIView):
    @extend_schema(responses=ManagedClosureOutputSerializer(many=True))
    def get(self, request: Request, salon_id: UUID) -> Response:
        closures = selectors.closure_list(salon=_salon(request, salon_id))
        return _paginated(request, self, closures, ManagedClosureOutputSerializer)


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
        salon = _salon(request, salon_id, write=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _created(
            request,
            f"manage.closure_create:{salon.id}",
            lambda: services.closure_create(salon=salon, **serializer.validated_data),
            ManagedClosureOutputSerializer,
        )


class ManagedClosureDeleteApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, salon_id: UUID, closure_id: UUID) -> Response:
        salon = _salon(request, salon_id, write=True)
        closure = selectors.closure_get(salon=salon, closure_id=closure_id)
        services.closure_delete(closure=closure)
        return Response(status=status.HTTP_204_NO_CONTENT)
