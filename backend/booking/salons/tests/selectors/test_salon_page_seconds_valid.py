from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from booking.salons.selectors import salon_page_seconds_valid, salon_today
from booking.salons.tests.factories import SalonFactory

pytestmark = pytest.mark.django_db


def test_the_page_is_valid_until_the_salons_next_midnight():
    salon = SalonFactory(timezone="Europe/Berlin")
    now = dt.datetime(2026, 3, 1, 22, 0, tzinfo=dt.UTC)  # 23:00 in Berlin
    assert salon_page_seconds_valid(salon=salon, now=now) == 3600


def test_a_night_that_changes_the_clock_is_counted_in_real_seconds():
    salon = SalonFactory(timezone="Europe/Berlin")
    # Midnight starting 29 March 2026 in Berlin, when clocks go forward at 02:00: a 23-hour day,
    # also when `now` carries the salon's own zone (where Python subtracts wall-clock times).
    midnight = dt.datetime(2026, 3, 29, tzinfo=ZoneInfo("Europe/Berlin"))
    assert salon_page_seconds_valid(salon=salon, now=midnight) == 23 * 3600


def test_today_is_the_salons_calendar_day():
    salon = SalonFactory(timezone="Pacific/Kiritimati")
    assert salon_today(salon=salon, now=dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC)) == dt.date(
        2026, 3, 4
    )
