"""Writes of the booking domain: book, cancel, reschedule, and the salon's status changes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db import IntegrityError, router, transaction
from django.utils import timezone

from booking.accounts.models import User
from booking.appointments.availability import availability_for, staff_busy_between
from booking.appointments.locks import lock_appointment
from booking.appointments.models import Appointment, AppointmentStatus
from booking.appointments.selectors import appointment_change_cutoff
from booking.core import metrics, sql
from booking.core.constraints import database_refuses_overlaps
from booking.core.errors import Conflict, NotFound, SlotUnavailable
from booking.notifications.services import notifications_for_change
from booking.salons.availability_cache import availability_changed
from booking.salons.locks import lock_staff
from booking.salons.models import Service, StaffMember
from booking.salons.schedule import salon_schedule

SALON_SETTABLE_STATUSES = (
    AppointmentStatus.CANCELLED_BY_SALON,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)


def appointment_book(
    *,
    customer: User,
    service: Service,
    start: dt.datetime,
    staff_id: UUID | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Book `service` at `start`, with that staff member or the first free qualified one.

    Competing bookings for the same person queue on the staff row's lock; the database's
    no-overlap rule is the last word: the first to commit wins, the other gets 409.

    Inside a caller's transaction (the Idempotency-Key's record) there is no savepoint: a
    refused booking fails that whole transaction, which is what the caller does anyway, and
    a savepoint cost every booking two round trips and a subtransaction.
    """
    with transaction.atomic(savepoint=False):
        chosen = _free_staff_at(service=service, start=start, staff_id=staff_id, now=now)
        appointment = _save(
            Appointment(
                salon=service.salon,
                service=service,
                staff=chosen,
                customer=customer,
                price=service.price,
                currency=service.currency,
                duration_minutes=service.duration_minutes,
                buffer_minutes=service.buffer_after_minutes,
                **_times(start, service.duration_minutes, service.buffer_after_minutes),
            )
        )
        _changed(appointment, "booked")
        # On commit: a retried keyed request books again and is rolled back (core.idempotency).
        transaction.on_commit(metrics.bookings_created.inc)
        return appointment


def appointment_cancel(
    *, appointment: Appointment, by_salon: bool = False, now: dt.datetime | None = None
) -> Appointment:
    with transaction.atomic():
        appointment = lock_appointment(appointment.id)
        _ensure_confirmed(appointment)
        if not by_salon:
            _ensure_before_cutoff(appointment, now or timezone.now())
        appointment.status = (
            AppointmentStatus.CANCELLED_BY_SALON
            if by_salon
            else AppointmentStatus.CANCELLED_BY_CUSTOMER
        )
        appointment.cancelled_at = timezone.now()
        appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
        _changed(appointment, "cancelled")
        return appointment


def appointment_reschedule(
    *,
    appointment: Appointment,
    start: dt.datetime,
    staff_id: UUID | None = None,
    by_salon: bool = False,
    now: dt.datetime | None = None,
) -> Appointment:
    """Move an appointment: the new time is taken and the old released in one transaction."""
    with transaction.atomic():
        appointment = lock_appointment(appointment.id)
        _ensure_confirmed(appointment)
        if not by_salon:
            _ensure_before_cutoff(appointment, now or timezone.now())
        chosen = _free_staff_at(
            service=appointment.service,
            start=start,
            staff_id=staff_id,
            now=now,
            ignore_appointment_id=appointment.id,
        )
        appointment.staff = chosen
        times = _times(start, appointment.duration_minutes, appointment.buffer_minutes)
        for field, value in times.items():
            setattr(appointment, field, value)
        _save(appointment, update_fields=["staff", "start", "end", "occupied_until", "updated_at"])
        _changed(appointment, "rescheduled")
        return appointment


def appointment_set_status(
    *, appointment: Appointment, status: str, now: dt.datetime | None = None
) -> Appointment:
    """The salon closes an appointment: cancelled by the salon, completed, or no-show."""
    if status == AppointmentStatus.CANCELLED_BY_SALON:
        return appointment_cancel(appointment=appointment, by_salon=True, now=now)
    if status not in SALON_SETTABLE_STATUSES:
        raise Conflict(f"Status {status!r} cannot be set.", code="invalid_status_transition")
    with transaction.atomic():
        appointment = lock_appointment(appointment.id)
        _ensure_confirmed(appointment)
        if appointment.start > (now or timezone.now()):
            raise Conflict(
                "An appointment can be completed or marked no-show only after it starts.",
                code="appointment_not_started",
            )
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        return appointment


def _changed(appointment: Appointment, change: str) -> None:
    """Tell customers and staff (outbox rows), and drop the salon's cached availability."""
    notifications_for_change(appointment=appointment, change=change)
    salon_id = appointment.salon_id
    transaction.on_commit(lambda: availability_changed(salon_id=salon_id))


def _free_staff_at(
    *,
    service: Service,
    start: dt.datetime,
    staff_id: UUID | None,
    now: dt.datetime | None,
    ignore_appointment_id: UUID | None = None,
) -> StaffMember:
    """The requested or first free qualified staff member at `start`, locked; 409 if none.

    The rules (hours, time off, closures, who performs what) come from the salon's schedule
    snapshot. The candidates' rows are locked first: competing writers for the same people
    queue there, so the second meets the first's committed row instead of both waiting on each
    other's uncommitted one (PostgreSQL reports that as a deadlock after a second). Then the
    no-overlap rule (the exclusion constraint, MySQL's triggers) judges: one free candidate
    needs no read of the appointments at all; a choice among several reads them once, and so
    does every booking on the embedded SQLite, which has no such rule.
    """
    schedule = salon_schedule(service.salon_id)
    if staff_id is None:
        candidate_ids = [member.id for member in schedule.qualified_staff(service.id)]
    elif service.id in schedule.staff_member(staff_id).service_ids:
        candidate_ids = [staff_id]
    else:
        raise NotFound("That staff member does not perform this service.", code="staff_not_found")
    locked = lock_staff(candidate_ids)
    local_day = start.astimezone(ZoneInfo(service.salon.timezone)).date()
    by_rules = availability_for(
        salon=service.salon,
        service=service,
        date_from=local_day,
        date_to=local_day,
        staff_ids=list(locked),
        now=now,
        schedule=schedule,
        with_appointments=False,
        at=start,
    )
    free = by_rules[0].staff_ids if by_rules else ()
    if len(free) > 1 or (free and not database_refuses_overlaps()):
        times = _times(start, service.duration_minutes, service.buffer_after_minutes)
        busy = staff_busy_between(
            free, times["start"], times["occupied_until"], exclude_id=ignore_appointment_id
        )
        free = tuple(member for member in free if member not in busy)
    if not free:
        metrics.booking_conflicts.inc()
        raise SlotUnavailable(details={"start": start.isoformat()})
    return locked[free[0]]


def _times(start: dt.datetime, duration_minutes: int, buffer_minutes: int) -> dict[str, Any]:
    start = start.astimezone(dt.UTC)  # arithmetic in a zone with DST would add wall-clock time
    end = start + dt.timedelta(minutes=duration_minutes)
    return {
        "start": start,
        "end": end,
        "occupied_until": end + dt.timedelta(minutes=buffer_minutes),
    }


def _save(appointment: Appointment, *, update_fields: list[str] | None = None) -> Appointment:
    """Insert (every booking: a statement built once, not through the ORM), or update these
    fields; a violation of the no-overlap constraint means someone else took the time."""
    try:
        # No savepoint: a conflict aborts the whole booking transaction anyway.
        with transaction.atomic(savepoint=False):
            if update_fields is None:
                sql.insert(router.db_for_write(Appointment), [appointment])
            else:
                appointment.save(update_fields=update_fields)
    except IntegrityError as exc:
        metrics.booking_conflicts.inc()
        raise SlotUnavailable() from exc
    return appointment


def _ensure_confirmed(appointment: Appointment) -> None:
    if appointment.status != AppointmentStatus.CONFIRMED:
        raise Conflict(
            f"The appointment is {appointment.status}; only confirmed appointments can change.",
            code="invalid_status_transition",
        )


def _ensure_before_cutoff(appointment: Appointment, now: dt.datetime) -> None:
    cutoff = appointment_change_cutoff(appointment=appointment)
    if now > cutoff:
        raise Conflict(
            "It is too late to change this appointment online; please call the salon.",
            code="cancellation_cutoff_passed",
            details={"cutoff": cutoff.isoformat()},
        )
