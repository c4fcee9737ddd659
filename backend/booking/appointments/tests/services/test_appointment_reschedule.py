from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from booking.accounts.tests.factories import UserFactory
from booking.appointments.models import Appointment
from booking.appointments.services import appointment_book, appointment_reschedule
from booking.core.errors import Conflict, SlotUnavailable
from booking.salons.tests.factories import open_salon

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)
TEN = dt.datetime(2026, 3, 2, 10, tzinfo=BERLIN)


def test_it_moves_the_appointment_and_frees_the_old_time():
    _, service, _ = open_salon()
    appointment = appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    moved = appointment_reschedule(
        appointment=appointment, start=TEN + dt.timedelta(hours=2), now=NOW
    )
    assert moved.id == appointment.id
    assert moved.start == TEN + dt.timedelta(hours=2)
    # The old time is bookable again.
    appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)


def test_it_can_move_into_a_time_overlapping_its_own_old_slot():
    _, service, _ = open_salon()
    appointment = appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    moved = appointment_reschedule(
        appointment=appointment, start=TEN + dt.timedelta(minutes=15), now=NOW
    )
    assert moved.start == TEN + dt.timedelta(minutes=15)


def test_when_the_new_time_is_taken_nothing_changes():
    _, service, _ = open_salon()
    mine = appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    appointment_book(
        customer=UserFactory(), service=service, start=TEN + dt.timedelta(hours=1), now=NOW
    )
    with pytest.raises(SlotUnavailable):
        appointment_reschedule(appointment=mine, start=TEN + dt.timedelta(hours=1), now=NOW)
    mine.refresh_from_db()
    assert mine.start == TEN
    assert Appointment.objects.count() == 2


def test_a_customer_cannot_reschedule_after_the_cutoff():
    _, service, _ = open_salon()
    appointment = appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    with pytest.raises(Conflict) as error:
        appointment_reschedule(
            appointment=appointment,
            start=TEN + dt.timedelta(days=1),
            now=TEN - dt.timedelta(hours=1),
        )
    assert error.value.code == "cancellation_cutoff_passed"
