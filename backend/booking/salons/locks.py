"""Row locks (select_for_update), taken in one order everywhere: salon, then appointment
(`booking.appointments.locks`), then staff members in id order.

Every write that must serialize with others locks through these helpers, so two transactions
never wait on each other's locks in opposite orders.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from uuid import UUID

from django.db import router

from booking.core import sql
from booking.salons.models import Salon, StaffMember

_STAFF = sql.JoinedSelect(StaffMember, ("*",))


def lock_salon(salon_id: UUID) -> None:
    """Serializes writes that replace a salon's rows as a whole (its opening hours)."""
    Salon.objects.select_for_update().filter(pk=salon_id).first()


def lock_staff(staff_ids: Sequence[UUID], *, active_only: bool = True) -> dict[UUID, StaffMember]:
    """Lock these staff rows (by default the active ones) in id order; the rows by id, in order.

    Every booking takes it: a statement built once, not through the ORM.
    """
    if not staff_ids:
        return {}
    alias = router.db_for_write(StaffMember)
    params = [sql.prepared(alias, StaffMember, "id", i) for i in staff_ids]
    if active_only:
        params.append(sql.prepared(alias, StaffMember, "is_active", True))
    statement = _lock_staff_sql(alias, len(staff_ids), active_only)
    # The database's order (ORDER BY id): the order the locks are taken in.
    locked = _STAFF.load(alias, statement, params)
    # Returned in Python's UUID order, which MariaDB's uuid type does not sort by.
    return {member.id: member for member in sorted(locked, key=lambda member: member.id)}


@functools.cache
def _lock_staff_sql(alias: str, count: int, active_only: bool) -> str:
    statement = _STAFF.where(alias, ("id", count), *(["is_active"] if active_only else []))
    return f"{statement} ORDER BY {_STAFF.column(alias, 'id')}{sql.for_update(alias)}"
