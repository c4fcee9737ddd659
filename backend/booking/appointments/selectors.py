"""Reads of the booking domain: a customer's and a salon's appointments, and free slots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import router
from django.db.models import QuerySet

from booking.accounts.models import User
from booking.appointments.availability import Slot, availability_for, seconds_valid
from booking.appointments.models import Appointment
from booking.core import sql
from booking.core.errors import NotFound
from booking.core.pagination import CountedRows
from booking.salons.models import Salon
from booking.salons.schedule import salon_schedule

_RELATED = ("salon", "service", "staff")


def appointment_change_cutoff(*, appointment: Appointment) -> dt.datetime:
    """The last moment the customer may cancel or reschedule online (inclusive): the salon's
    cancellation cutoff before the start. The salon itself is not bound by it."""
    return appointment.start - dt.timedelta(minutes=appointment.salon.cancellation_cutoff_minutes)


def appointment_list_for_customer(*, customer: User) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(customer=customer)
        .select_related(*_RELATED)
        .order_by("-start", "id")
    )


def appointment_rows_for_customer(*, customer: User) -> CountedRows:
    """`appointment_list_for_customer` a page at a time, by statements built once: compiling
    the ORM's count and joined page cost more than a third of the "My appointments" page's
    CPU. What the output reads is selected; the rest of the related rows is deferred."""
    return _counted(_CUSTOMER_PAGE, {"customer": customer.pk}, order_by=("-start", "id"))


_CUSTOMER_PAGE = sql.JoinedSelect(
    Appointment,
    (
        "*",
        "salon__name",
        "salon__cancellation_cutoff_minutes",
        "service__name",
        "staff__display_name",
    ),
)


def _counted(
    select: sql.JoinedSelect, conditions: dict[str, Any], *, order_by: tuple[str, ...]
) -> CountedRows:
    """The appointments `select` reads where every condition holds (a root field, optionally
    with a comparison suffix, to its value), counted and windowed on one database."""
    alias = router.db_for_read(Appointment)
    names = tuple(conditions)
    params = [
        sql.prepared(alias, Appointment, name.split("__")[0], value)
        for name, value in conditions.items()
    ]
    page = select.where(alias, *names, order_by=order_by)
    return CountedRows(
        count=lambda: int(sql.fetch(alias, select.count(alias, *names), params)[0][0]),
        window=lambda offset, limit: select.load(
            alias, f"{page} LIMIT %s OFFSET %s", [*params, limit, offset]
        ),
    )


def appointment_get_for_customer(*, customer: User, appointment_id: UUID | str) -> Appointment:
    return _get_or_not_found(appointment_list_for_customer(customer=customer), appointment_id)


def appointment_list_for_salon(*, salon: Salon) -> QuerySet[Appointment]:
    appointments = Appointment.objects.filter(salon=salon).select_related(*_RELATED, "customer")
    return appointments.order_by("start", "id")


def appointment_rows_for_salon(
    *,
    salon: Salon,
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
    status: str | None = None,
    staff_id: UUID | None = None,
) -> CountedRows:
    """The salon's appointments in `appointment_list_for_salon`'s order, those of the filters
    given, a page at a time by statements built once per set of filters (as the customer's)."""
    conditions = {
        "salon": salon.pk,
        "start__gte": date_from,
        "start__lt": date_to,
        "status": status,
        "staff": staff_id,
    }
    given = {name: value for name, value in conditions.items() if value}
    return _counted(_SALON_PAGE, given, order_by=("start", "id"))


_SALON_PAGE = sql.JoinedSelect(
    Appointment,
    (
        *_CUSTOMER_PAGE.fields,
        "customer__first_name",
        "customer__last_name",
        "customer__email",
        "customer__phone",
    ),
)


def appointment_get_for_salon(*, salon: Salon, appointment_id: UUID | str) -> Appointment:
    return _get_or_not_found(appointment_list_for_salon(salon=salon), appointment_id)


def _get_or_not_found(
    appointments: QuerySet[Appointment], appointment_id: UUID | str
) -> Appointment:
    try:
        return appointments.get(id=appointment_id)
    except (Appointment.DoesNotExist, ValueError) as exc:
        raise NotFound("Appointment not found.", code="appointment_not_found") from exc


@dataclass(frozen=True)
class Availability:
    """Free slots of a salon, in its time zone, and how long this answer stays right."""

    timezone: str
    slots: list[Slot]
    seconds_valid: float


def availability_get(
    *,
    salon_id: UUID,
    service_id: UUID,
    date_from: dt.date,
    date_to: dt.date,
    staff_id: UUID | None = None,
) -> Availability:
    """Free slots for a service over local dates (inclusive), with one staff member or any.

    Reads the salon's cached schedule snapshot; NotFound for an unknown service or staff member.
    """
    schedule = salon_schedule(salon_id)
    service = schedule.service(service_id)
    if staff_id is not None:
        schedule.staff_member(staff_id)
    slots = availability_for(
        salon=schedule.salon,
        service=service,
        date_from=date_from,
        date_to=date_to,
        staff_ids=[staff_id] if staff_id is not None else None,
        schedule=schedule,
    )
    return Availability(
        timezone=schedule.salon.timezone,
        slots=slots,
        seconds_valid=seconds_valid(salon=schedule.salon, slots=slots),
    )
