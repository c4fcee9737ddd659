"""Reads for the salon management API: what a salon's owners and staff may see of it."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, OuterRef, Prefetch, QuerySet, Subquery

from booking.accounts.models import User
from booking.core.errors import NotFound, PermissionDenied
from booking.salons.models import (
    Closure,
    OpeningHours,
    Salon,
    SalonMember,
    Service,
    StaffMember,
    TimeOff,
    WorkingHours,
)
from booking.salons.selectors import MANAGING_ROLES, salon_get_for_member

M = TypeVar("M", bound=Model)


def salon_get_for_manage(*, user: User, salon_id: UUID | str, write: bool) -> Salon:
    """The salon if the user is a member; for writes the member must be an owner.

    Non-members get NotFound (the salon's existence is not revealed); members whose role may
    only read get PermissionDenied, since they can see the salon anyway.
    """
    if not write:
        return salon_get_for_member(user=user, salon_id=salon_id)
    try:
        return salon_get_for_member(user=user, salon_id=salon_id, roles=MANAGING_ROLES)
    except NotFound:
        salon_get_for_member(user=user, salon_id=salon_id)  # NotFound for non-members
        raise PermissionDenied() from None


def salon_list_for_manage(*, user: User) -> QuerySet[Salon]:
    """The caller's salons, each annotated with the caller's `role` in it."""
    role = SalonMember.objects.filter(salon=OuterRef("pk"), user=user).values("role")[:1]
    return (
        Salon.objects.filter(members__user=user)
        .select_related("address")
        .annotate(role=Subquery(role))
        .order_by("name", "id")
    )


def service_list_for_manage(*, salon: Salon) -> QuerySet[Service]:
    return Service.objects.filter(salon=salon).order_by("name", "id")


def service_get_for_manage(*, salon: Salon, service_id: UUID | str) -> Service:
    return _get(service_list_for_manage(salon=salon), service_id, "service_not_found")


def staff_member_list_for_manage(*, salon: Salon) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(salon=salon)
        .select_related("user")
        .prefetch_related(Prefetch("services", queryset=Service.objects.only("id")))
        .order_by("display_name", "id")
    )


def staff_member_get_for_manage(*, salon: Salon, staff_id: UUID | str) -> StaffMember:
    return _get(staff_member_list_for_manage(salon=salon), staff_id, "staff_not_found")


def opening_hours_list(*, salon: Salon) -> QuerySet[OpeningHours]:
    return OpeningHours.objects.filter(salon=salon).order_by("weekday", "opens")


def working_hours_list(*, staff_member: StaffMember) -> QuerySet[WorkingHours]:
    return WorkingHours.objects.filter(staff=staff_member).order_by("weekday", "starts")


def time_off_list(*, staff_member: StaffMember) -> QuerySet[TimeOff]:
    return TimeOff.objects.filter(staff=staff_member).order_by("start", "id")


def time_off_get(*, staff_member: StaffMember, time_off_id: UUID | str) -> TimeOff:
    return _get(time_off_list(staff_member=staff_member), time_off_id, "time_off_not_found")


def closure_list(*, salon: Salon) -> QuerySet[Closure]:
    return Closure.objects.filter(salon=salon).order_by("start_date", "id")


def closure_get(*, salon: Salon, closure_id: UUID | str) -> Closure:
    return _get(closure_list(salon=salon), closure_id, "closure_not_found")


def _get(queryset: QuerySet[M], pk: UUID | str, code: str) -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise NotFound(code=code) from exc
