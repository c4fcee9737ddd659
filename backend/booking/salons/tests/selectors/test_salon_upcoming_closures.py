from __future__ import annotations

import datetime as dt

import pytest

from booking.salons.selectors import (
    MAX_UPCOMING_CLOSURES,
    salon_get,
    salon_upcoming_closures,
)
from booking.salons.tests.factories import ClosureFactory, SalonFactory

pytestmark = pytest.mark.django_db

# 23:30 UTC on 1 March 2026: already 00:30 on 2 March in Berlin (UTC+1).
NOW = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)


def closures_on_page(salon_id: object) -> list[tuple[dt.date, dt.date]]:
    salon = salon_get(salon_id=salon_id, now=NOW)
    return [(c.start_date, c.end_date) for c in salon_upcoming_closures(salon=salon, now=NOW)]


def test_a_closure_that_ended_yesterday_in_the_salons_zone_is_left_out():
    salon = SalonFactory(timezone="Europe/Berlin")
    ClosureFactory(salon=salon, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 1))
    assert closures_on_page(salon.id) == []


def test_a_closure_ending_today_in_a_zone_behind_utc_is_kept():
    salon = SalonFactory(timezone="America/Los_Angeles")  # 15:30 on 1 March there
    ClosureFactory(salon=salon, start_date=dt.date(2026, 2, 28), end_date=dt.date(2026, 3, 1))
    assert closures_on_page(salon.id) == [(dt.date(2026, 2, 28), dt.date(2026, 3, 1))]


def test_closures_beginning_more_than_eight_weeks_ahead_are_left_out():
    salon = SalonFactory(timezone="Europe/Berlin")  # today 2 March; the last day is 27 April
    ClosureFactory(salon=salon, start_date=dt.date(2026, 4, 27), end_date=dt.date(2026, 4, 27))
    ClosureFactory(salon=salon, start_date=dt.date(2026, 4, 28), end_date=dt.date(2026, 4, 28))
    assert closures_on_page(salon.id) == [(dt.date(2026, 4, 27), dt.date(2026, 4, 27))]


def test_at_most_a_bounded_number_of_closures_is_listed_soonest_first():
    salon = SalonFactory(timezone="Europe/Berlin")
    for day in reversed(range(MAX_UPCOMING_CLOSURES + 5)):
        date = dt.date(2026, 3, 2) + dt.timedelta(days=day)
        ClosureFactory(salon=salon, start_date=date, end_date=date)
    listed = closures_on_page(salon.id)
    assert len(listed) == MAX_UPCOMING_CLOSURES
    assert listed[0][0] == dt.date(2026, 3, 2) and listed == sorted(listed)
