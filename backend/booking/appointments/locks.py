"""Row locks of the booking path: the appointment a cancel, reschedule or status change works on.

A new booking takes no lock of its own: the no-overlap rule decides between writers (MySQL's
triggers lock the staff row as they check), so the order `booking.salons.locks` gives holds:
appointment, then staff."""

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
    # the triggers take the staff row later. Lock the appointment alone, then read the rest.
    Appointment.objects.select_for_update().filter(id=appointment_id).values_list("id").get()
    return rows.get(id=appointment_id)
