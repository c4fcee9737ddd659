from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from booking.appointments.availability import Slot, availability_for, validate_date_range
from booking.appointments.models import Appointment
from booking.core.errors import NotFound
from booking.salons.availability_cache import availability_version
from booking.salons.models import Salon, Service, StaffMember

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


def availability_cached(
    *,
    salon: Salon,
    service: Service,
    date_from: dt.date,
    date_to: dt.date,
    staff: StaffMember | None = None,
) -> list[Slot]:
    """Free slots, cached per salon version: any change to the salon's calendar bumps it.

    Entries also expire after AVAILABILITY_CACHE_SECONDS, and slots that minimum notice has
    made unbookable since they were cached are dropped on the way out.
    """
    validate_date_range(date_from, date_to)
    key = ":".join(
        [
            "availability",
            str(salon.id),
            str(availability_version(salon.id)),
            str(service.id),
            str(staff.id if staff else "any"),
            date_from.isoformat(),
            date_to.isoformat(),
        ]
    )
    slots: list[Slot] | None = cache.get(key)
    if slots is None:
        slots = availability_for(
            salon=salon,
            service=service,
            date_from=date_from,
            date_to=date_to,
            staff=[staff] if staff else None,
        )
        cache.set(key, slots, timeout=settings.AVAILABILITY_CACHE_SECONDS)
    earliest = timezone.now() + dt.timedelta(minutes=salon.min_notice_minutes)
    return [slot for slot in slots if slot.start >= earliest]
