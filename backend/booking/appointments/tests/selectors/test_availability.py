from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.appointments.availability import availability_for
from booking.appointments.models import AppointmentStatus
from booking.appointments.tests.factories import AppointmentFactory
from booking.core.errors import ValidationFailed
from booking.salons.schedule import salon_schedule_load
from booking.salons.tests.factories import (
    ClosureFactory,
    OpeningHoursFactory,
    TimeOffFactory,
    open_salon,
)

pytestmark = pytest.mark.django_db


def week_before(day: dt.date) -> dt.datetime:
    """A `now` far enough before `day` for minimum notice, close enough for the horizon."""
    return dt.datetime.combine(day - dt.timedelta(days=7), dt.time(), tzinfo=dt.UTC)


def local(zone: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


def starts(slots: list) -> list[str]:
    return [slot.start.strftime("%H:%M") for slot in slots]


def slots_on(salon, service, day: dt.date, now=None, **kwargs):
    return availability_for(
        salon=salon,
        service=service,
        date_from=day,
        date_to=day,
        now=now or week_before(day),
        **kwargs,
    )


def test_it_offers_every_step_inside_opening_hours():
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(11), duration_minutes=30)
    slots = slots_on(salon, service, dt.date(2026, 3, 2))
    assert starts(slots) == ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30"]


def test_at_looks_only_at_the_slot_starting_then_as_the_whole_day_offers_it():
    salon, service, (staff,) = open_salon(opens=dt.time(9), closes=dt.time(11), duration_minutes=30)
    day = dt.date(2026, 3, 2)
    whole_day = slots_on(salon, service, day)

    at_nine_thirty = slots_on(salon, service, day, at=local("Europe/Berlin", 2026, 3, 2, 9, 30))
    in_utc = slots_on(salon, service, day, at=dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC))

    assert at_nine_thirty == in_utc == [whole_day[2]]
    assert at_nine_thirty[0].staff_ids == (staff.id,)


def test_each_opening_interval_anchors_its_own_grid_even_where_two_touch():
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(10, 10), duration_minutes=30)
    day = dt.date(2026, 3, 2)
    OpeningHoursFactory(
        salon=salon, weekday=day.weekday(), opens=dt.time(10, 10), closes=dt.time(11)
    )
    hours = salon.staff.get().working_hours.get(weekday=day.weekday())
    hours.ends = dt.time(11)
    hours.save()

    assert starts(slots_on(salon, service, day)) == [
        *["09:00", "09:15", "09:30"],
        *["10:10", "10:25"],  # from 10:10, not on the 09:00 grid
    ]


@pytest.mark.parametrize(
    "wall",
    [(9, 20), (10, 45), (8, 45), (11, 0)],
    ids=["off-grid", "would-end-after-closing", "before-opening", "at-closing"],
)
def test_at_an_instant_the_day_does_not_offer_gives_no_slot(wall):
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(11), duration_minutes=30)
    instant = local("Europe/Berlin", 2026, 3, 2, *wall)

    assert slots_on(salon, service, dt.date(2026, 3, 2), at=instant) == []


def test_it_returns_times_with_the_salon_offset():
    salon, service, _ = open_salon(
        timezone="America/New_York", opens=dt.time(9), closes=dt.time(10)
    )
    slots = slots_on(salon, service, dt.date(2026, 7, 1))
    assert slots[0].start.isoformat() == "2026-07-01T09:00:00-04:00"
    assert slots[0].end.isoformat() == "2026-07-01T09:30:00-04:00"


@pytest.mark.parametrize(
    ("zone", "day", "expected_hours"),
    [
        ("America/New_York", dt.date(2026, 3, 8), 4),  # spring forward: 02:00 does not exist
        ("America/New_York", dt.date(2026, 11, 1), 6),  # fall back: 01:00-02:00 happens twice
        ("Europe/Berlin", dt.date(2026, 3, 29), 4),
        ("Europe/Berlin", dt.date(2026, 10, 25), 6),
    ],
)
def test_it_follows_the_real_length_of_dst_change_nights(zone, day, expected_hours):
    salon, service, _ = open_salon(
        timezone=zone, opens=dt.time(0), closes=dt.time(5), duration_minutes=15
    )
    slots = slots_on(salon, service, day)
    assert len(slots) == expected_hours * 4
    instants = [slot.start.astimezone(dt.UTC) for slot in slots]
    assert len(set(instants)) == len(instants)
    assert all(b - a == dt.timedelta(minutes=15) for a, b in itertools.pairwise(instants))
    # Each time carries the offset in force at that instant, the night's change included.
    in_force = [
        (s.start.astimezone(ZoneInfo(zone)), s.end.astimezone(ZoneInfo(zone))) for s in slots
    ]
    assert [(s.start.isoformat(), s.end.isoformat()) for s in slots] == [
        (start.isoformat(), end.isoformat()) for start, end in in_force
    ]


@pytest.mark.parametrize(
    ("zone", "day", "offset_before", "offset_after"),
    [
        ("America/New_York", dt.date(2026, 3, 8), "-05:00", "-04:00"),
        ("America/New_York", dt.date(2026, 11, 1), "-04:00", "-05:00"),
        ("Europe/Berlin", dt.date(2026, 3, 29), "+01:00", "+02:00"),
        ("Europe/Berlin", dt.date(2026, 10, 25), "+02:00", "+01:00"),
    ],
)
def test_daytime_hours_keep_their_wall_clock_on_dst_days(zone, day, offset_before, offset_after):
    salon, service, _ = open_salon(timezone=zone, opens=dt.time(9), closes=dt.time(17))
    previous = slots_on(salon, service, day - dt.timedelta(days=1))
    on_the_day = slots_on(salon, service, day)
    assert starts(on_the_day) == starts(previous)
    assert previous[0].start.isoformat().endswith(offset_before)
    assert on_the_day[0].start.isoformat().endswith(offset_after)


def test_an_appointment_and_its_buffer_block_the_staff_member():
    salon, service, [stylist] = open_salon(
        opens=dt.time(9), closes=dt.time(12), duration_minutes=30, buffer_after_minutes=15
    )
    AppointmentFactory(
        service=service, staff=stylist, start=local("Europe/Berlin", 2026, 3, 2, 10)
    )  # occupies 10:00-10:45
    taken = starts(slots_on(salon, service, dt.date(2026, 3, 2)))
    # 09:30 would run 09:30-10:00 plus its buffer to 10:15: it overlaps, so it is not offered.
    assert "09:15" in taken and "09:30" not in taken
    assert not {"09:45", "10:00", "10:15", "10:30"} & set(taken)
    assert "10:45" in taken


def test_back_to_back_appointments_are_not_overlaps():
    salon, service, [stylist] = open_salon(opens=dt.time(9), closes=dt.time(12))
    AppointmentFactory(service=service, staff=stylist, start=local("Europe/Berlin", 2026, 3, 2, 10))
    taken = starts(slots_on(salon, service, dt.date(2026, 3, 2)))
    assert "09:30" in taken and "10:30" in taken
    assert "10:00" not in taken and "10:15" not in taken


def test_a_gap_exactly_one_service_long_offers_its_one_start():
    salon, service, [stylist] = open_salon(opens=dt.time(9), closes=dt.time(12))
    for hour, minute in ((9, 0), (10, 0)):
        AppointmentFactory(
            service=service, staff=stylist, start=local("Europe/Berlin", 2026, 3, 2, hour, minute)
        )  # 09:00-09:30 and 10:00-10:30: the gap between them is one 30-minute service
    taken = starts(slots_on(salon, service, dt.date(2026, 3, 2)))
    assert taken == ["09:30", "10:30", "10:45", "11:00", "11:15", "11:30"]


def test_a_cancelled_appointment_frees_its_time():
    salon, service, [stylist] = open_salon(opens=dt.time(9), closes=dt.time(12))
    AppointmentFactory(
        service=service,
        staff=stylist,
        start=local("Europe/Berlin", 2026, 3, 2, 10),
        status=AppointmentStatus.CANCELLED_BY_CUSTOMER,
    )
    assert "10:00" in starts(slots_on(salon, service, dt.date(2026, 3, 2)))


def test_a_closure_removes_whole_days():
    salon, service, _ = open_salon()
    ClosureFactory(salon=salon, start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 4))
    slots = availability_for(
        salon=salon,
        service=service,
        date_from=dt.date(2026, 3, 2),
        date_to=dt.date(2026, 3, 5),
        now=week_before(dt.date(2026, 3, 1)),
    )
    assert {slot.start.date() for slot in slots} == {dt.date(2026, 3, 2), dt.date(2026, 3, 5)}


def test_time_off_removes_that_staff_member_only():
    salon, service, [first, second] = open_salon(
        staff_count=2, opens=dt.time(9), closes=dt.time(12)
    )
    TimeOffFactory(
        staff=first,
        start=local("Europe/Berlin", 2026, 3, 2, 9),
        end=local("Europe/Berlin", 2026, 3, 2, 10),
    )
    slots = {
        slot.start.strftime("%H:%M"): slot.staff_ids
        for slot in slots_on(salon, service, dt.date(2026, 3, 2))
    }
    assert slots["09:00"] == (second.id,)
    assert set(slots["10:00"]) == {first.id, second.id}


def test_staff_hours_narrow_the_opening_hours():
    salon, service, [stylist] = open_salon(opens=dt.time(9), closes=dt.time(12))
    stylist.working_hours.filter(weekday=0).update(starts=dt.time(10), ends=dt.time(11))
    assert starts(slots_on(salon, service, dt.date(2026, 3, 2))) == ["10:00", "10:15", "10:30"]


def test_it_respects_the_minimum_notice():
    salon, service, _ = open_salon(opens=dt.time(9), closes=dt.time(12), min_notice_minutes=120)
    now = local("Europe/Berlin", 2026, 3, 2, 8, 50)
    assert starts(slots_on(salon, service, dt.date(2026, 3, 2), now=now))[0] == "11:00"


def test_nothing_is_offered_beyond_the_horizon():
    salon, service, _ = open_salon(horizon_days=7)
    now = local("Europe/Berlin", 2026, 3, 2, 10)
    slots = availability_for(
        salon=salon,
        service=service,
        date_from=dt.date(2026, 3, 8),
        date_to=dt.date(2026, 3, 12),
        now=now,
    )
    assert {slot.start.date() for slot in slots} == {dt.date(2026, 3, 8), dt.date(2026, 3, 9)}
    assert max(slot.start for slot in slots) <= now + dt.timedelta(days=7)


def test_it_refuses_more_than_31_days():
    salon, service, _ = open_salon()
    with pytest.raises(ValidationFailed) as error:
        availability_for(
            salon=salon, service=service, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 4, 1)
        )
    assert error.value.code == "date_range_too_long"


def test_it_refuses_a_reversed_range():
    salon, service, _ = open_salon()
    with pytest.raises(ValidationFailed) as error:
        availability_for(
            salon=salon, service=service, date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 1)
        )
    assert error.value.code == "invalid_date_range"


def test_split_opening_hours_offer_no_slot_across_the_break():
    salon, service, [stylist] = open_salon(opens=dt.time(9), closes=dt.time(10))
    salon.opening_hours.create(weekday=0, opens=dt.time(11), closes=dt.time(12))
    stylist.working_hours.filter(weekday=0).update(ends=dt.time(12))
    assert starts(slots_on(salon, service, dt.date(2026, 3, 2))) == [
        "09:00",
        "09:15",
        "09:30",
        "11:00",
        "11:15",
        "11:30",
    ]


def test_its_query_count_does_not_grow_with_the_range(django_assert_num_queries):
    salon, service, _ = open_salon(staff_count=3)
    with django_assert_num_queries(2):  # the schedule snapshot and the appointments
        availability_for(
            salon=salon,
            service=service,
            date_from=dt.date(2026, 3, 1),
            date_to=dt.date(2026, 3, 31),
            now=week_before(dt.date(2026, 3, 1)),
        )


def test_with_a_schedule_snapshot_it_reads_only_the_appointments(django_assert_num_queries):
    salon, service, _ = open_salon(staff_count=3)
    now = week_before(dt.date(2026, 3, 1))
    march = {
        "salon": salon,
        "service": service,
        "date_from": dt.date(2026, 3, 1),
        "date_to": dt.date(2026, 3, 31),
        "now": now,
    }
    schedule = salon_schedule_load(salon.id, now=now)
    with django_assert_num_queries(1):
        slots = availability_for(**march, schedule=schedule)
    assert slots == availability_for(**march)


@pytest.mark.postgres_only(reason="the exclusion constraint's GiST index is PostgreSQL's")
def test_busy_times_are_never_read_through_the_exclusion_constraints_index():
    """The planner costs that partial GiST index as cheap for a staff id, then reads all of it
    (10000 salons: 3560 buffers, 54 ms). Even with no other way in, the statement must not be
    able to use it: here the btree is dropped (inside the test's transaction) and sequential
    scans are priced out, so a usable GiST index would show in the plan."""
    salon, service, _ = open_salon()
    with CaptureQueriesContext(connection) as statements:
        slots_on(salon, service, dt.date(2026, 3, 2))
    (busy,) = [q["sql"] for q in statements if '"occupied_until"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute('DROP INDEX "appointment_staff_until"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {busy}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "appointment_no_overlap_per_staff" not in plan
