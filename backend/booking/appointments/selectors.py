from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from booking.appointments.models import Appointment
from booking.core.errors import NotFound
from booking.salons.models import Salon

_RELATED = ("salon", "service", "staff")


def appointment_list_for_customer(*, customer: Any) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(customer=customer)
        .select_related(*_RELATED)
        .order_by("-start", "id")
    )


def appointment_get_for_customer(*, customer: Any, appointment_id: UUID | str) -> Appointment:
    return _get_or_not_found(appointment_list_for_customer(customer=customer), appointment_id)


def appointment_list_for_salon(
    *,
    salon: Salon,
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
    status: str | None = None,
    staff_id: UUID | None = None,
) -> QuerySet[Appointment]:
    appointments = Appointment.objects.filter(salon=salon).select_related(*_RELATED, "customer")
    if date_from:
        appointments = appointments.filter(start__gte=date_from)
    if date_to:
        appointments = appointments.filter(start__lt=date_to)
    if status:
        appointments = appointments.filter(status=status)
    if staff_id:
        appointments = appointments.filter(staff_id=staff_id)
    return appointments.order_by("start", "id")


def appointment_get_for_salon(*, salon: Salon, appointment_id: UUID | str) -> Appointment:
    return _get_or_not_found(appointment_list_for_salon(salon=salon), appointment_id)


def _get_or_not_found(
    appointments: QuerySet[Appointment], appointment_id: UUID | str
) -> Appointment:
    try:
        return appointments.get(id=appointment_id)
    except (Appointment.DoesNotExist, ValueError) as exc:
        raise NotFound("Appointment not found.", code="appointment_not_found") from exc
