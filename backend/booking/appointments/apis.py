"""Customer-facing booking API: availability, book, list, cancel, reschedule."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from booking.appointments.availability import (
    Slot,
    availability_for,
    seconds_valid,
    validate_date_range,
)
from booking.appointments.selectors import (
    appointment_get_for_customer,
    appointment_list_for_customer,
)
from booking.appointments.services import (
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from booking.core.errors import NotFound
from booking.core.fields import AwareDateTimeField, OffsetPreservingDateTimeField
from booking.core.idempotency import idempotent_call
from booking.core.pagination import Pagination
from booking.core.response_cache import cached_json
from booking.salons.availability_cache import availability_version, availability_version_key
from booking.salons.models import Service
from booking.salons.schedule import salon_schedule


class AppointmentOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    salon = serializers.UUIDField(source="salon_id")
    salon_name = serializers.CharField(source="salon.name")
    service = serializers.UUIDField(source="service_id")
    service_name = serializers.CharField(source="service.name")
    staff = serializers.UUIDField(source="staff_id")
    staff_name = serializers.CharField(source="staff.display_name")
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()


def service_for_booking(service_id: UUID) -> Service:
    """An active service of an active salon, with its salon."""
    try:
        return Service.objects.select_related("salon").get(
            id=service_id, is_active=True, salon__is_active=True
        )
    except Service.DoesNotExist as exc:
        raise NotFound("Service not found.", code="service_not_found") from exc


class SlotOutputSerializer(serializers.Serializer):
    start = OffsetPreservingDateTimeField()
    end = OffsetPreservingDateTimeField()
    staff_ids = serializers.ListField(child=serializers.UUIDField())


class AvailabilityApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    response_cache_version_key = staticmethod(availability_version_key)

    class FilterSerializer(serializers.Serializer):
        service = serializers.UUIDField()
        staff = serializers.UUIDField(required=False)
        date_from = serializers.DateField()
        date_to = serializers.DateField()

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # "from" is a Python keyword; the wire names are from/to.
            self.fields["from"] = self.fields.pop("date_from")
            self.fields["to"] = self.fields.pop("date_to")

    class OutputSerializer(serializers.Serializer):
        timezone = serializers.CharField()
        slots = SlotOutputSerializer(many=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("service", UUID, required=True),
            OpenApiParameter("from", str, required=True, description="YYYY-MM-DD, salon time"),
            OpenApiParameter("to", str, required=True, description="YYYY-MM-DD, inclusive"),
            OpenApiParameter("staff", UUID),
        ],
        responses=OutputSerializer,
    )
    def get(self, request: Request, salon_id: UUID) -> HttpResponse:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        query = filters.validated_data
        validate_date_range(query["date_from"], query["date_to"])
        return cached_json(
            request=request,
            version_key=availability_version_key(salon_id),
            current_version=lambda: availability_version(salon_id),
            build=lambda: self._answer(salon_id, query),
        )

    def _answer(self, salon_id: UUID, query: dict[str, Any]) -> tuple[Any, float]:
        schedule = salon_schedule(salon_id)
        service = schedule.service(query["service"])
        staff_id = query.get("staff")
        if staff_id is not None:
            schedule.staff_member(staff_id)
        slots = availability_for(
            salon=schedule.salon,
            service=service,
            date_from=query["date_from"],
            date_to=query["date_to"],
            staff_ids=[staff_id] if staff_id is not None else None,
            schedule=schedule,
        )
        # What OutputSerializer documents, built directly: a week of slots through DRF fields
        # costs more than everything else on this path.
        data = {"timezone": schedule.salon.timezone, "slots": [_slot_json(s) for s in slots]}
        return data, seconds_valid(salon=schedule.salon, slots=slots)


def _slot_json(slot: Slot) -> dict[str, Any]:
    return {
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "staff_ids": [str(staff_id) for staff_id in slot.staff_ids],
    }


class AppointmentListApi(APIView):
    """The caller's own appointments, newest first."""

    @extend_schema(responses=AppointmentOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        appointments = appointment_list_for_customer(customer=request.user)
        page = paginator.paginate_queryset(appointments, request, self)
        return paginator.get_paginated_response(AppointmentOutputSerializer(page, many=True).data)


class AppointmentCreateApi(APIView):
    """Book a slot; honours Idempotency-Key."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "booking"

    class InputSerializer(serializers.Serializer):
        service = serializers.UUIDField()
        start = AwareDateTimeField()
        staff = serializers.UUIDField(required=False, allow_null=True)

    @extend_schema(
        request=InputSerializer,
        responses={201: AppointmentOutputSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return Response(self._book(request.user, serializer.validated_data), status=201)
        stored = idempotent_call(
            user=request.user,
            key=key,
            scope="appointment_create",
            payload=request.data,
            perform=lambda: (201, self._book(request.user, serializer.validated_data)),
        )
        headers = {"Idempotent-Replayed": "true"} if stored.replayed else {}
        return Response(stored.body, status=stored.status, headers=headers)

    @staticmethod
    def _book(customer: Any, data: dict[str, Any]) -> dict[str, Any]:
        appointment = appointment_book(
            customer=customer,
            service=service_for_booking(data["service"]),
            start=data["start"],
            staff_id=data.get("staff"),
        )
        return dict(AppointmentOutputSerializer(appointment).data)


class AppointmentDetailApi(APIView):
    @extend_schema(responses=AppointmentOutputSerializer)
    def get(self, request: Request, appointment_id: UUID) -> Response:
        appointment = appointment_get_for_customer(
            customer=request.user, appointment_id=appointment_id
        )
        return Response(AppointmentOutputSerializer(appointment).data)


class AppointmentCancelApi(APIView):
    @extend_schema(request=None, responses=AppointmentOutputSerializer)
    def post(self, request: Request, appointment_id: UUID) -> Response:
        appointment = appointment_get_for_customer(
            customer=request.user, appointment_id=appointment_id
        )
        appointment = appointment_cancel(appointment=appointment)
        return Response(AppointmentOutputSerializer(appointment).data)


class AppointmentRescheduleApi(APIView):
    class InputSerializer(serializers.Serializer):
        start = AwareDateTimeField()
        staff = serializers.UUIDField(required=False, allow_null=True)

    @extend_schema(request=InputSerializer, responses=AppointmentOutputSerializer)
    def post(self, request: Request, appointment_id: UUID) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = appointment_get_for_customer(
            customer=request.user, appointment_id=appointment_id
        )
        appointment = appointment_reschedule(
            appointment=appointment,
            start=serializer.validated_data["start"],
            staff_id=serializer.validated_data.get("staff"),
        )
        return Response(AppointmentOutputSerializer(appointment).data)
