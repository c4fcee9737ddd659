"""What every management API shares: finding the caller's salon or staff member, and the
Idempotency-Key parameter of the create operations."""

from __future__ import annotations

from uuid import UUID

from rest_framework.request import Request

from booking.accounts.authentication import request_user
from booking.core.schema import IDEMPOTENCY_HEADER
from booking.salons import manage_selectors as selectors
from booking.salons.models import Salon, StaffMember

__all__ = ["IDEMPOTENCY_HEADER", "managed_salon", "managed_staff_member"]


def managed_salon(request: Request, salon_id: UUID, *, write: bool = False) -> Salon:
    return selectors.salon_get_for_manage(
        user=request_user(request), salon_id=salon_id, write=write
    )


def managed_staff_member(
    request: Request, salon_id: UUID, staff_id: UUID, *, write: bool = False
) -> StaffMember:
    salon = managed_salon(request, salon_id, write=write)
    return selectors.staff_member_get_for_manage(salon=salon, staff_id=staff_id)
