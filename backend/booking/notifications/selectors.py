from __future__ import annotations

from django.db.models import QuerySet

from booking.appointments.models import Appointment
from booking.notifications.models import STAFF_KINDS, Notification


def notification_list_for_customer(*, appointment: Appointment) -> QuerySet[Notification]:
    """What was sent to the appointment's customer (the salon's own notices are not theirs)."""
    return (
        Notification.objects.filter(appointment=appointment)
        .exclude(kind__in=STAFF_KINDS)
        .order_by("created_at", "id")
    )
