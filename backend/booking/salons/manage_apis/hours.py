"""Weekly hours of a salon and of its staff: a schedule document of at most
MAX_WEEKLY_INTERVALS rows, replaced as a whole (not paginated)."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.core.schema import ClockTimeField
from booking.salons import manage_selectors as selectors
from booking.salons import services
from booking.salons.manage_apis.common import (
    managed_salon,
    managed_staff_member,
)
from booking.salons.services import WeeklyInterval

MAX_WEEKLY_INTERVALS = 100


class ManagedOpeningHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6)
    opens = ClockTimeField()
    closes = ClockTimeField()


class ManagedWorkingHoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6)
    starts = ClockTimeField()
    ends = ClockTimeField()


class ManagedOpeningHoursApi(APIView):
    @extend_schema(responses=ManagedOpeningHoursSerializer(many=True))
    def get(self, request: Request, salon_id: UUID) -> Response:
        hours = selectors.opening_hours_list(salon=managed_salon(request, salon_id))
        return Response(ManagedOpeningHoursSerializer(hours, many=True).data)


class ManagedOpeningHoursReplaceApi(APIView):
    class InputSerializer(ManagedOpeningHoursSerializer):
        pass

    @extend_schema(
        request=InputSerializer(many=True), responses=ManagedOpeningHoursSerializer(many=True)
    )
    def put(self, request: Request, salon_id: UUID) -> Response:
        salon = managed_salon(request, salon_id, write=True)
        intervals = _weekly_intervals(request, self.InputSerializer(), "opens", "closes")
        hours = services.opening_hours_replace(salon=salon, intervals=intervals)
        return Response(ManagedOpeningHoursSerializer(hours, many=True).data)


class ManagedWorkingHoursApi(APIView):
    @extend_schema(responses=ManagedWorkingHoursSerializer(many=True))
    def get(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        hours = selectors.working_hours_list(
            staff_member=managed_staff_member(request, salon_id, staff_id)
        )
        return Response(ManagedWorkingHoursSerializer(hours, many=True).data)


class ManagedWorkingHoursReplaceApi(APIView):
    class InputSerializer(ManagedWorkingHoursSerializer):
        pass

    @extend_schema(
        request=InputSerializer(many=True), responses=ManagedWorkingHoursSerializer(many=True)
    )
    def put(self, request: Request, salon_id: UUID, staff_id: UUID) -> Response:
        staff_member = managed_staff_member(request, salon_id, staff_id, write=True)
        intervals = _weekly_intervals(request, self.InputSerializer(), "starts", "ends")
        hours = services.working_hours_replace(staff_member=staff_member, intervals=intervals)
        return Response(ManagedWorkingHoursSerializer(hours, many=True).data)


def _weekly_intervals(
    request: Request, row: serializers.Serializer, start: str, end: str
) -> list[WeeklyInterval]:
    """The request body validated as a list of `row`s, as intervals (`start`, `end` fields)."""
    serializer: serializers.ListSerializer = serializers.ListSerializer(
        child=row, data=request.data, max_length=MAX_WEEKLY_INTERVALS
    )
    serializer.is_valid(raise_exception=True)
    return [
        WeeklyInterval(item["weekday"], item[start], item[end])
        for item in serializer.validated_data
    ]
