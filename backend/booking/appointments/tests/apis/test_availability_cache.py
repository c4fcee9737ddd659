"""The availability answer is cached per salon version and never outlives a change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.appointments.services import appointment_book, appointment_cancel
from booking.salons.availability_cache import availability_changed
from booking.salons.services import (
    WeeklyInterval,
    closure_create,
    closure_delete,
    opening_hours_replace,
    time_off_create,
    working_hours_replace,
)
from booking.salons.tests.factories import open_salon

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def starts(api_client, salon, service) -> list[str]:
    response = api_client.get(
        f"/api/v1/salons/{salon.id}/availability",
        {"service": str(service.id), "from": "2026-03-02", "to": "2026-03-02"},
    )
    assert response.status_code == 200
    return [slot["start"][11:16] for slot in response.json()["slots"]]


def queries_for(api_client, salon, service) -> int:
    with CaptureQueriesContext(connection) as queries:
        starts(api_client, salon, service)
    return len(queries)


def test_a_repeated_request_is_answered_without_the_database(api_client):
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(11))
    assert queries_for(api_client, salon, service) > 0
    assert queries_for(api_client, salon, service) == 0


def test_a_booking_and_a_cancellation_invalidate_the_salon_once_committed(
    api_client, django_capture_on_commit_callbacks
):
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(11))
    assert "10:00" in starts(api_client, salon, service)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            customer=UserFactory(),
            service=service,
            start=dt.datetime(2026, 3, 2, 10, tzinfo=BERLIN),
        )
    assert "10:00" not in starts(api_client, salon, service)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment)
    assert "10:00" in starts(api_client, salon, service)


def test_other_salons_stay_cached_when_one_changes(api_client):
    salon, service, _ = open_salon()
    other, other_service, _ = open_salon()
    starts(api_client, other, other_service)
    availability_changed(salon_id=salon.id)
    assert queries_for(api_client, other, other_service) == 0


def test_an_answer_expires_when_minimum_notice_reaches_its_first_slot(api_client, frozen_now):
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(12), min_notice_minutes=120)
    frozen_now.move_to(dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC))  # 07:00 in Berlin
    assert starts(api_client, salon, service)[0] == "09:00"
    frozen_now.move_to(dt.datetime(2026, 3, 2, 8, 5, tzinfo=dt.UTC))  # 09:05: notice ends 11:05
    assert starts(api_client, salon, service)[0] == "11:15"


def test_errors_are_not_cached(api_client):
    salon, service, _ = open_salon()
    url = f"/api/v1/salons/{salon.id}/availability"
    params = {
        "service": "00000000-0000-0000-0000-000000000000",
        "from": "2026-03-02",
        "to": "2026-03-02",
    }
    assert api_client.get(url, params).status_code == 404
    assert api_client.get(url, params).status_code == 404
    assert api_client.get(url, {**params, "service": str(service.id)}).status_code == 200


def schedule_changes(salon, stylist):
    """Each closes 10:00 on 2026-03-02 through a salon service (the schedule snapshot's rules)."""
    monday_9_to_10 = [WeeklyInterval(0, dt.time(9), dt.time(10))]
    return {
        "time off": lambda: time_off_create(
            staff_member=stylist,
            start=dt.datetime(2026, 3, 2, 10, tzinfo=BERLIN),
            end=dt.datetime(2026, 3, 2, 11, tzinfo=BERLIN),
        ),
        "opening hours": lambda: opening_hours_replace(salon=salon, intervals=monday_9_to_10),
        "working hours": lambda: working_hours_replace(
            staff_member=stylist, intervals=monday_9_to_10
        ),
    }


@pytest.mark.parametrize("change", ["time off", "opening hours", "working hours"])
def test_a_schedule_change_shows_on_the_next_request(
    api_client, django_capture_on_commit_callbacks, change
):
    salon, service, [stylist] = open_salon(opens=dt.time(9), closes=dt.time(11))
    assert "10:00" in starts(api_client, salon, service)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_changes(salon, stylist)[change]()
    assert "10:00" not in starts(api_client, salon, service)


def test_a_closure_empties_the_day_and_its_deletion_reopens_it(
    api_client, django_capture_on_commit_callbacks
):
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(11))
    with django_capture_on_commit_callbacks(execute=True):
        closure = closure_create(
            salon=salon, start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 2)
        )
    assert starts(api_client, salon, service) == []
    with django_capture_on_commit_callbacks(execute=True):
        closure_delete(closure=closure)
    assert "10:00" in starts(api_client, salon, service)


def test_a_booking_keeps_the_schedule_snapshot(api_client, django_capture_on_commit_callbacks):
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(11))
    starts(api_client, salon, service)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(
            customer=UserFactory(),
            service=service,
            start=dt.datetime(2026, 3, 2, 10, tzinfo=BERLIN),
        )
    assert queries_for(api_client, salon, service) == 1  # only the appointments
