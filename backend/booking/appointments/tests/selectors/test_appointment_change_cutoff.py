from __future__ import annotations

import datetime as dt

import pytest

from booking.appointments.selectors import appointment_change_cutoff
from booking.appointments.services import appointment_reschedule
from booking.appointments.tests.factories import AppointmentFactory
from booking.core.errors import Conflict
from booking.salons.tests.factories import SalonFactory, ServiceFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 1, 7, 10, tzinfo=dt.UTC)


def test_the_cutoff_is_the_salons_policy_before_the_start():
    salon = SalonFactory(cancellation_cutoff_minutes=36 * 60)
    appointment = AppointmentFactory(service=ServiceFactory(salon=salon), start=START)
    assert appointment_change_cutoff(appointment=appointment) == START - dt.timedelta(hours=36)


def test_without_a_cutoff_the_customer_may_change_until_the_start():
    salon = SalonFactory(cancellation_cutoff_minutes=0)
    appointment = AppointmentFactory(service=ServiceFactory(salon=salon), start=START)
    assert appointment_change_cutoff(appointment=appointment) == START


def test_reschedule_is_refused_just_after_the_cutoff():
    appointment = AppointmentFactory(start=START)
    late = appointment_change_cutoff(appointment=appointment) + dt.timedelta(microseconds=1)
    with pytest.raises(Conflict) as error:
        appointment_reschedule(appointment=appointment, start=START, now=late)
    assert error.value.code == "cancellation_cutoff_passed"
