from __future__ import annotations

from django.db.models import QuerySet

from booking.appointments.models import Appointment
from booking.notifications.models import Notification


def notification_list_for_appointment(*, appointment: Appointment) -> QuerySet[Notification]:
    return Notification.objects.filter(appointment=appointment).order_by("created_at", "id")
