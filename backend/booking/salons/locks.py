"""Row locks (select_for_update), taken in one order everywhere: salon, then appointment
(`booking.appointments.locks`), then staff members in id order.

Every write that must serialize with others locks through these helpers, so two transactions
never wait on each other's locks in opposite orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from booking.salons.models import Salon, StaffMember


def lock_salon(salon_id: UUID) -> None:
    """Serializes writes that replace a salon's rows as a whole (its opening hours)."""
    Salon.objects.select_for_update().filter(pk=salon_id).first()


def lock_staff(staff_ids: Sequence[UUID], *, active_only: bool = True) -> dict[UUID, StaffMember]:
    """Lock these staff rows (by default the active ones) in id order; the rows by id, in order."""
    members = StaffMember.objects.select_for_update().filter(id__in=staff_ids)
    if active_only:
        members = members.filter(is_active=True)
    locked = list(members.order_by("id"))  # the database's order: the order locks are taken
    # Returned in Python's UUID order, which MariaDB's uuid type does not sort by.
    return {member.id: member for member in sorted(locked, key=lambda member: member.id)}
