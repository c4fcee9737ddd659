from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from booking.core.errors import ValidationFailed
from booking.salons.models import Closure, TimeOff
from booking.salons.services import (
    closure_create,
    closure_delete,
    time_off_create,
    time_off_delete,
)
from booking.salons.tests.factories import (
    ClosureFactory,
    SalonFactory,
    StaffMemberFactory,
    TimeOffFactory,
)

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_it_creates_a_one_day_closure(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        closure = closure_create(
            salon=SalonFactory(), start_date=dt.date(2031, 5, 1), end_date=dt.date(2031, 5, 1)
        )
    assert closure.pk is not None
    assert len(callbacks) == 1


def test_it_rejects_a_closure_that_ends_before_it_starts() -> None:
    with pytest.raises(ValidationFailed) as error:
        closure_create(
            salon=SalonFactory(), start_date=dt.date(2031, 5, 2), end_date=dt.date(2031, 5, 1)
        )
    assert error.value.code == "invalid_range"


def test_it_deletes_a_closure(django_capture_on_commit_callbacks: Any) -> None:
    closure = ClosureFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        closure_delete(closure=closure)
    assert not Closure.objects.exists()
    assert len(callbacks) == 1


def test_it_creates_time_off() -> None:
    start = dt.datetime(2031, 5, 1, 8, tzinfo=UTC)
    time_off = time_off_create(
        staff_member=StaffMemberFactory(), start=start, end=start + dt.timedelta(hours=2)
    )
    assert time_off.end - time_off.start == dt.timedelta(hours=2)


def test_it_rejects_time_off_that_ends_before_it_starts() -> None:
    start = dt.datetime(2031, 5, 1, 8, tzinfo=UTC)
    with pytest.raises(ValidationFailed) as error:
        time_off_create(staff_member=StaffMemberFactory(), start=start, end=start)
    assert error.value.code == "invalid_range"


def test_it_rejects_naive_time_off() -> None:
    start = dt.datetime(2031, 5, 1, 8)
    with pytest.raises(ValidationFailed) as error:
        time_off_create(
            staff_member=StaffMemberFactory(), start=start, end=start + dt.timedelta(hours=1)
        )
    assert error.value.code == "naive_datetime"


def test_it_deletes_time_off(django_capture_on_commit_callbacks: Any) -> None:
    start = dt.datetime(2031, 5, 1, 8, tzinfo=UTC)
    time_off = TimeOffFactory(start=start, end=start + dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks() as callbacks:
        time_off_delete(time_off=time_off)
    assert not TimeOff.objects.exists()
    assert len(callbacks) == 1
