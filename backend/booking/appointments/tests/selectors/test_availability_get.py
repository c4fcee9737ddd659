from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from booking.appointments.selectors import availability_get
from booking.core.errors import NotFound
from booking.salons.tests.factories import open_salon

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC), tick=False):
        yield


def test_it_answers_in_the_salon_zone_with_how_long_the_answer_holds():
    salon, service, [stylist] = open_salon(opens=dt.time(9), closes=dt.time(10))
    availability = availability_get(
        salon_id=salon.id, service_id=service.id, date_from=MONDAY, date_to=MONDAY
    )
    assert availability.timezone == "Europe/Berlin"
    assert [slot.staff_ids for slot in availability.slots] == [(stylist.id,)] * 3
    assert availability.seconds_valid > 0


def test_it_keeps_to_the_staff_member_asked_for():
    salon, service, [_, second] = open_salon(staff_count=2)
    availability = availability_get(
        salon_id=salon.id,
        service_id=service.id,
        date_from=MONDAY,
        date_to=MONDAY,
        staff_id=second.id,
    )
    assert {slot.staff_ids for slot in availability.slots} == {(second.id,)}


@pytest.mark.parametrize(
    ("unknown", "code"), [("service_id", "service_not_found"), ("staff_id", "staff_not_found")]
)
def test_it_rejects_an_unknown_service_or_staff_member(unknown, code):
    salon, service, _ = open_salon()
    arguments = {"service_id": service.id, unknown: uuid.uuid4()}
    with pytest.raises(NotFound) as raised:
        availability_get(salon_id=salon.id, date_from=MONDAY, date_to=MONDAY, **arguments)
    assert raised.value.code == code
