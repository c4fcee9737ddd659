"""Row locks for the booking path, always taken in one order: appointment, then staff by id.

Every write that moves time around goes through these helpers, so two transactions can never
wait on each other's locks in opposite orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from booking.appointments.models import Appointment
from booking.salons.models import StaffMember


def lock_appointment(appointment_id: UUID) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("salon", "service", "staff")
        .get(id=appointment_id)
    )


def lock_staff(staff_ids: Sequence[UUID]) -> dict[UUID, StaffMember]:
    """Lock the active ones of these staff rows in id order; the rows by id, in that order."""
    members = StaffMember.objects.select_for_update().filter(id__in=staff_ids, is_active=True)
    return {member.id: member for member in members.order_by("id")}
