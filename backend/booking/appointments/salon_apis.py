"""The salon's side of bookings: owners and staff see their salon's appointments and close them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.accounts.authentication import request_user
from booking.appointments.apis import AppointmentOutputSerializer
from booking.appointments.models import Appointment, AppointmentStatus
from booking.appointments.selectors import appointment_get_for_salon, appointment_rows_for_salon
from booking.appointments.services import SALON_SETTABLE_STATUSES, appointment_set_status
from booking.core.fields import AwareDateTimeField
from booking.core.pagination import Pagination, paginated_response
from booking.core.schema import error_responses
from booking.core.validation import validated_input
from booking.salons.selectors import salon_get_for_member


class SalonAppointmentOutputSerializer(AppointmentOutputSerializer):
    customer = serializers.UUIDField(source="customer_id")
    customer_name = serializers.CharField(source="customer.full_name")
    customer_email = serializers.EmailField(source="customer.email")
    customer_phone = serializers.CharField(source="customer.phone")

    def to_representation(self, instance: Appointment) -> dict[str, Any]:
        customer = instance.customer
        return super().to_representation(instance) | {
            "customer": str(instance.customer_id),
            "customer_name": customer.full_name,
            "customer_email": customer.email,
            "customer_phone": customer.phone,
        }


class SalonAppointmentListApi(APIView):
    pagination_class = Pagination  # documents the page object in the schema

    class FilterSerializer(serializers.Serializer):
        start_after = AwareDateTimeField(required=False)
        start_before = AwareDateTimeField(required=False)
        status = serializers.ChoiceField(choices=AppointmentStatus.choices, required=False)
        staff = serializers.UUIDField(required=False)

    @extend_schema(
        parameters=[FilterSerializer], responses=SalonAppointmentOutputSerializer(many=True)
    )
    def get(self, request: Request, salon_id: UUID) -> Response:
        filters = validated_input(self.FilterSerializer, request.query_params)
        salon = salon_get_for_member(user=request_user(request), salon_id=salon_id)
        appointments = appointment_rows_for_salon(
            salon=salon,
            date_from=filters.get("start_after"),
            date_to=filters.get("start_before"),
            status=filters.get("status"),
            staff_id=filters.get("staff"),
        )
        return paginated_response(
            request=request,
            view=self,
            queryset=appointments,
            serializer_class=SalonAppointmentOutputSerializer,
        )


class SalonAppointmentDetailApi(APIView):
    @extend_schema(responses=SalonAppointmentOutputSerializer)
    def get(self, request: Request, salon_id: UUID, appointment_id: UUID) -> Response:
        salon = salon_get_for_member(user=request_user(request), salon_id=salon_id)
        appointment = appointment_get_for_salon(salon=salon, appointment_id=appointment_id)
        return Response(SalonAppointmentOutputSerializer(appointment).data)


class SalonAppointmentStatusApi(APIView):
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=[s.value for s in SALON_SETTABLE_STATUSES])

    @extend_schema(
        request=InputSerializer,
        responses={200: SalonAppointmentOutputSerializer, **error_responses(409)},
    )
    def post(self, request: Request, salon_id: UUID, appointment_id: UUID) -> Response:
        data = validated_input(self.InputSerializer, request.data)
        salon = salon_get_for_member(user=request_user(request), salon_id=salon_id)
        appointment = appointment_get_for_salon(salon=salon, appointment_id=appointment_id)
        appointment = appointment_set_status(appointment=appointment, status=data["status"])
        return Response(SalonAppointmentOutputSerializer(appointment).data)
