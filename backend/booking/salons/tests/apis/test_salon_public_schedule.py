"""The public salon page's weekly hours, coming closures and booking policy, and its cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from booking.salons.services import (
    WeeklyInterval,
    closure_create,
    closure_delete,
    opening_hours_replace,
    salon_policy_update,
)
from booking.salons.tests.factories import (
    ClosureFactory,
    OpeningHoursFactory,
    SalonFactory,
    ServiceFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db

# 10:00 UTC on Tuesday 3 March 2026: already Wednesday the 4th in Kiritimati (UTC+14).
NOW = dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def page(client: Any, salon: Any) -> dict[str, Any]:
    response = client.get(f"/api/v1/salons/{salon.id}")
    assert response.status_code == 200
    return response.json()


def test_the_page_shows_the_weekly_hours_in_order_with_split_days(api_client):
    salon = SalonFactory()
    OpeningHoursFactory(salon=salon, weekday=2, opens=dt.time(14), closes=dt.time(18, 30))
    OpeningHoursFactory(salon=salon, weekday=2, opens=dt.time(9), closes=dt.time(12))
    OpeningHoursFactory(salon=salon, weekday=0, opens=dt.time(10), closes=dt.time(16))
    assert page(api_client, salon)["opening_hours"] == [
        {"weekday": 0, "opens": "10:00:00", "closes": "16:00:00"},
        {"weekday": 2, "opens": "09:00:00", "closes": "12:00:00"},
        {"weekday": 2, "opens": "14:00:00", "closes": "18:30:00"},
    ]


def test_the_page_shows_the_booking_policy(api_client):
    salon = SalonFactory(min_notice_minutes=60, horizon_days=30, cancellation_cutoff_minutes=720)
    assert page(api_client, salon)["policy"] == {
        "min_notice_minutes": 60,
        "horizon_days": 30,
        "cancellation_cutoff_minutes": 720,
    }


def test_the_page_lists_closures_not_over_on_the_salons_calendar_within_eight_weeks(api_client):
    salon = SalonFactory(timezone="Pacific/Kiritimati")  # its today is 4 March
    ClosureFactory(salon=salon, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 3))
    ClosureFactory(
        salon=salon, start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 4), reason="Fair"
    )
    ClosureFactory(salon=salon, start_date=dt.date(2026, 4, 29), end_date=dt.date(2026, 4, 29))
    ClosureFactory(salon=salon, start_date=dt.date(2026, 4, 30), end_date=dt.date(2026, 5, 2))
    ClosureFactory(start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 10))  # elsewhere
    assert page(api_client, salon)["closures"] == [
        {"start_date": "2026-03-02", "end_date": "2026-03-04", "reason": "Fair"},
        {"start_date": "2026-04-29", "end_date": "2026-04-29", "reason": ""},
    ]


def test_the_page_costs_six_queries_however_much_the_salon_has(
    api_client, django_assert_num_queries
):
    salon = SalonFactory()
    services = ServiceFactory.create_batch(5, salon=salon)
    for _ in range(5):
        StaffMemberFactory(salon=salon, services=services)
    for weekday in range(7):
        OpeningHoursFactory(salon=salon, weekday=weekday, opens=dt.time(8), closes=dt.time(12))
        OpeningHoursFactory(salon=salon, weekday=weekday, opens=dt.time(13), closes=dt.time(19))
    for day in range(10):
        start = dt.date(2026, 3, 5) + dt.timedelta(days=day)
        ClosureFactory(salon=salon, start_date=start, end_date=start)
    # The salon with its address, then services, staff, staff's services, hours, closures.
    with django_assert_num_queries(6):
        body = page(api_client, salon)
    assert (len(body["opening_hours"]), len(body["closures"])) == (14, 10)


def test_a_repeat_of_the_page_is_kept_no_later_than_the_salons_midnight(api_client, settings):
    settings.SALON_PAGE_CACHE_SECONDS = 2 * 24 * 3600
    salon = SalonFactory(timezone="Pacific/Kiritimati")  # 00:00 on 4 March there
    ClosureFactory(salon=salon, start_date=dt.date(2026, 3, 4), end_date=dt.date(2026, 3, 4))
    assert len(page(api_client, salon)["closures"]) == 1
    with time_machine.travel(NOW + dt.timedelta(hours=23, minutes=59), tick=False):
        assert len(page(api_client, salon)["closures"]) == 1
    with time_machine.travel(NOW + dt.timedelta(hours=24, minutes=1), tick=False):
        assert page(api_client, salon)["closures"] == []


def on_commit(capture: Callable[..., Any], change: Callable[[], object]) -> None:
    with capture(execute=True):
        change()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda salon: opening_hours_replace(
                salon=salon, intervals=[WeeklyInterval(4, dt.time(9), dt.time(13))]
            ),
            "opening_hours",
        ),
        (
            lambda salon: closure_create(
                salon=salon, start_date=dt.date(2026, 3, 20), end_date=dt.date(2026, 3, 21)
            ),
            "closures",
        ),
        (
            lambda salon: closure_delete(closure=salon.closures.get()),
            "closures",
        ),
        (
            lambda salon: salon_policy_update(
                salon=salon,
                min_notice_minutes=30,
                horizon_days=14,
                cancellation_cutoff_minutes=60,
                slot_step_minutes=15,
            ),
            "policy",
        ),
    ],
    ids=["hours replaced", "closure added", "closure removed", "policy changed"],
)
def test_the_cached_page_changes_with_the_salons_hours_closures_and_policy(
    api_client, django_capture_on_commit_callbacks, change, field
):
    salon = SalonFactory()
    OpeningHoursFactory(salon=salon, weekday=0)
    ClosureFactory(salon=salon, start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 10))
    cache.clear()
    before = page(api_client, salon)[field]
    assert page(api_client, salon)[field] == before  # served again from the cache
    on_commit(django_capture_on_commit_callbacks, lambda: change(salon))
    assert page(api_client, salon)[field] != before
