from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.accounts.authentication import request_user
from booking.appointments.selectors import appointment_get_for_customer
from booking.notifications.models import Notification, Status
from booking.notifications.selectors import notification_list_for_customer


class AppointmentNotificationListApi(APIView):
    """The appointment's customer sees what was sent to whom, and whether it went out."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        channel = serializers.CharField()
        kind = serializers.CharField()
        status = serializers.SerializerMethodField()
        created_at = serializers.DateTimeField()
        sent_at = serializers.DateTimeField(allow_null=True)

        def get_status(self, notification: Notification) -> str:
            # "sending" is an internal claim; to the customer it is still pending.
            return Status.PENDING if notification.status == Status.SENDING else notification.status

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request, appointment_id: UUID) -> Response:
        appointment = appointment_get_for_customer(
            customer=request_user(request), appointment_id=appointment_id
        )
        notifications = notification_list_for_customer(appointment=appointment)
        return Response(self.OutputSerializer(notifications, many=True).data)
