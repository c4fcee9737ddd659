from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from booking.core.errors import ValidationFailed
from booking.salons.models import OpeningHours, WorkingHours
from booking.salons.services import WeeklyInterval, opening_hours_replace, working_hours_replace
from booking.salons.tests.factories import (
    OpeningHoursFactory,
    SalonFactory,
    StaffMemberFactory,
    WorkingHoursFactory,
)

pytestmark = pytest.mark.django_db


def interval(weekday: int, start: int, end: int) -> WeeklyInterval:
    return WeeklyInterval(weekday, dt.time(start), dt.time(end))


def test_it_replaces_opening_hours_with_split_days(
    django_capture_on_commit_callbacks: Any,
) -> None:
    salon = SalonFactory()
    OpeningHoursFactory(salon=salon, weekday=3)
    with django_capture_on_commit_callbacks() as callbacks:
        opening_hours_replace(
            salon=salon, intervals=[interval(0, 13, 18), interval(0, 9, 12), interval(1, 9, 17)]
        )
    rows = list(OpeningHours.objects.filter(salon=salon).values_list("weekday", "opens"))
    assert rows == [(0, dt.time(9)), (0, dt.time(13)), (1, dt.time(9))]
    assert len(callbacks) == 1


def test_it_accepts_intervals_that_touch() -> None:
    salon = SalonFactory()
    opening_hours_replace(salon=salon, intervals=[interval(0, 9, 12), interval(0, 12, 15)])
    assert OpeningHours.objects.filter(salon=salon).count() == 2


def test_it_rejects_overlapping_opening_hours_and_keeps_the_old_ones() -> None:
    salon = SalonFactory()
    OpeningHoursFactory(salon=salon, weekday=3)
    with pytest.raises(ValidationFailed) as error:
        opening_hours_replace(salon=salon, intervals=[interval(0, 9, 13), interval(0, 12, 18)])
    assert error.value.code == "overlapping_intervals"
    assert list(OpeningHours.objects.filter(salon=salon).values_list("weekday", flat=True)) == [3]


def test_it_rejects_an_interval_that_ends_before_it_starts() -> None:
    with pytest.raises(ValidationFailed) as error:
        opening_hours_replace(salon=SalonFactory(), intervals=[interval(0, 17, 9)])
    assert error.value.code == "invalid_interval"


def test_it_allows_the_same_hours_on_different_days() -> None:
    salon = SalonFactory()
    opening_hours_replace(salon=salon, intervals=[interval(0, 9, 17), interval(1, 9, 17)])
    assert OpeningHours.objects.filter(salon=salon).count() == 2


def test_it_replaces_working_hours() -> None:
    member = StaffMemberFactory()
    WorkingHoursFactory(staff=member, weekday=5)
    working_hours_replace(staff_member=member, intervals=[interval(2, 10, 14)])
    rows = list(WorkingHours.objects.filter(staff=member).values_list("weekday", "starts", "ends"))
    assert rows == [(2, dt.time(10), dt.time(14))]


def test_it_rejects_overlapping_working_hours() -> None:
    with pytest.raises(ValidationFailed) as error:
        working_hours_replace(
            staff_member=StaffMemberFactory(), intervals=[interval(4, 9, 17), interval(4, 16, 18)]
        )
    assert error.value.code == "overlapping_intervals"


def test_it_clears_all_hours_with_an_empty_list() -> None:
    member = StaffMemberFactory()
    WorkingHoursFactory(staff=member)
    working_hours_replace(staff_member=member, intervals=[])
    assert not WorkingHours.objects.filter(staff=member).exists()
