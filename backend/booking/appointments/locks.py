"""Row locks of the booking path, in the order `booking.salons.locks` gives: appointment, then
staff by id (`lock_staff`)."""

from __future__ import annotations

from uuid import UUID

from booking.appointments.models import Appointment


def lock_appointment(appointment_id: UUID) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("salon", "service", "staff")
        .get(id=appointment_id)
    )
