"""Row locks of the booking path, in the order `booking.salons.locks` gives: appointment, then
staff by id (`lock_staff`)."""

from __future__ import annotations

from uuid import UUID

from django.db import connection

from booking.appointments.models import Appointment


def lock_appointment(appointment_id: UUID) -> Appointment:
    rows = Appointment.objects.select_related("salon", "service", "staff")
    features = connection.features
    if features.has_select_for_update_of or not features.has_select_for_update:  # SQLite: none
        return rows.select_for_update(of=("self",)).get(id=appointment_id)
    # MariaDB cannot say FOR UPDATE OF: a locking join would lock the staff row here, before
    # lock_staff takes staff rows in id order. Lock the appointment alone, then read the rest.
    Appointment.objects.select_for_update().filter(id=appointment_id).values_list("id").get()
    return rows.get(id=appointment_id)
