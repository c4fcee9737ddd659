"""Every list endpoint costs the same number of queries for 1 item as for 50."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.salons.tests.apis.conftest import SalonWorld, url
from booking.salons.tests.factories import (
    ClosureFactory,
    OpeningHoursFactory,
    ServiceFactory,
    StaffMemberFactory,
    TimeOffFactory,
    WorkingHoursFactory,
)

pytestmark = pytest.mark.django_db


def add_services(world: SalonWorld, n: int) -> None:
    ServiceFactory.create_batch(n, salon=world.salon)


def add_staff(world: SalonWorld, n: int) -> None:
    for _ in range(n):
        StaffMemberFactory(salon=world.salon, services=[world.service])


def add_time_off(world: SalonWorld, n: int) -> None:
    base = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    for i in range(n):
        start = base + dt.timedelta(days=i)
        TimeOffFactory(staff=world.staff_member, start=start, end=start + dt.timedelta(hours=1))


def add_closures(world: SalonWorld, n: int) -> None:
    ClosureFactory.create_batch(n, salon=world.salon)


def add_opening_hours(world: SalonWorld, n: int) -> None:
    for i in range(n):
        OpeningHoursFactory(
            salon=world.salon, weekday=i % 7, opens=dt.time(i % 20), closes=dt.time(23)
        )


def add_working_hours(world: SalonWorld, n: int) -> None:
    for i in range(n):
        WorkingHoursFactory(staff=world.staff_member, weekday=i % 7)


LISTS: list[tuple[str, Callable[[SalonWorld, int], None]]] = [
    ("salons/{salon}/services", add_services),
    ("salons/{salon}/staff", add_staff),
    ("salons/{salon}/staff/{staff}/time-off", add_time_off),
    ("salons/{salon}/closures", add_closures),
    ("salons/{salon}/hours", add_opening_hours),
    ("salons/{salon}/staff/{staff}/hours", add_working_hours),
]


@pytest.mark.parametrize(("path", "add"), LISTS)
def test_it_lists_in_a_constant_number_of_queries(
    client_for: Any, world: SalonWorld, path: str, add: Callable[[SalonWorld, int], None]
) -> None:
    client = client_for(world.owner)
    endpoint = url(path, **world.ids())
    with CaptureQueriesContext(connection) as few:
        assert client.get(endpoint, {"page_size": 100}).status_code == 200
    add(world, 49)
    with CaptureQueriesContext(connection) as many:
        response = client.get(endpoint, {"page_size": 100})
    body = response.json()
    assert len(body if isinstance(body, list) else body["results"]) >= 49
    assert len(many) == len(few)
