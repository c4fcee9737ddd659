from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.appointments.selectors import availability_cached
from booking.appointments.services import appointment_book, appointment_cancel
from booking.salons.availability_cache import availability_changed
from booking.salons.tests.factories import open_salon

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def starts(slots) -> list[str]:
    return [slot.start.astimezone(BERLIN).strftime("%H:%M") for slot in slots]


def cached(salon, service, **kwargs):
    return availability_cached(salon=salon, service=service, date_from=DAY, date_to=DAY, **kwargs)


def test_a_repeated_request_is_answered_from_the_cache():
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(11))
    first = cached(salon, service)
    with CaptureQueriesContext(connection) as queries:
        second = cached(salon, service)
    assert second == first
    assert len(queries) == 0


def test_a_booking_invalidates_the_salon_once_committed(django_capture_on_commit_callbacks):
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(11))
    assert "10:00" in starts(cached(salon, service))
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            customer=UserFactory(),
            service=service,
            start=dt.datetime(2026, 3, 2, 10, tzinfo=BERLIN),
        )
    assert "10:00" not in starts(cached(salon, service))
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment)
    assert "10:00" in starts(cached(salon, service))


def test_other_salons_stay_cached_when_one_changes():
    salon, service, _ = open_salon()
    other, other_service, _ = open_salon()
    cached(other, other_service)
    availability_changed(salon_id=salon.id)
    with CaptureQueriesContext(connection) as queries:
        cached(other, other_service)
    assert len(queries) == 0


def test_slots_that_minimum_notice_has_passed_are_dropped_from_a_cached_answer(frozen_now):
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(12), min_notice_minutes=120)
    frozen_now.move_to(dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC))  # 07:00 in Berlin
    assert starts(cached(salon, service))[0] == "09:00"
    frozen_now.move_to(dt.datetime(2026, 3, 2, 8, 5, tzinfo=dt.UTC))  # 09:05: notice ends 11:05
    assert starts(cached(salon, service))[0] == "11:15"
