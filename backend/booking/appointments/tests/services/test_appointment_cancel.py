from __future__ import annotations

import datetime as dt

import pytest

from booking.appointments.models import AppointmentStatus
from booking.appointments.services import appointment_cancel, appointment_set_status
from booking.appointments.tests.factories import AppointmentFactory
from booking.core.errors import Conflict

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 1, 7, 10, tzinfo=dt.UTC)


def test_a_customer_cancels_before_the_cutoff():
    appointment = AppointmentFactory(start=START)
    cancelled = appointment_cancel(appointment=appointment, now=START - dt.timedelta(hours=25))
    assert cancelled.status == AppointmentStatus.CANCELLED_BY_CUSTOMER
    assert cancelled.cancelled_at is not None


def test_a_customer_cannot_cancel_after_the_cutoff():
    appointment = AppointmentFactory(start=START)
    with pytest.raises(Conflict) as error:
        appointment_cancel(appointment=appointment, now=START - dt.timedelta(hours=23))
    assert error.value.code == "cancellation_cutoff_passed"
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED


def test_the_salon_cancels_at_any_time():
    appointment = AppointmentFactory(start=START)
    cancelled = appointment_cancel(appointment=appointment, by_salon=True, now=START)
    assert cancelled.status == AppointmentStatus.CANCELLED_BY_SALON


def test_a_cancelled_appointment_cannot_be_cancelled_again():
    appointment = AppointmentFactory(start=START, status=AppointmentStatus.CANCELLED_BY_SALON)
    with pytest.raises(Conflict) as error:
        appointment_cancel(appointment=appointment, now=START - dt.timedelta(days=3))
    assert error.value.code == "invalid_status_transition"


def test_the_salon_marks_a_started_appointment_completed_or_no_show():
    done = AppointmentFactory(start=START)
    missed = AppointmentFactory(start=START + dt.timedelta(hours=2))
    later = START + dt.timedelta(hours=3)
    assert (
        appointment_set_status(appointment=done, status="completed", now=later).status
        == "completed"
    )
    assert (
        appointment_set_status(appointment=missed, status="no_show", now=later).status == "no_show"
    )


def test_a_future_appointment_cannot_be_completed():
    appointment = AppointmentFactory(start=START)
    with pytest.raises(Conflict) as error:
        appointment_set_status(
            appointment=appointment, status="completed", now=START - dt.timedelta(hours=1)
        )
    assert error.value.code == "appointment_not_started"
