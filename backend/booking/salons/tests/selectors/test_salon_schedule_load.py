from __future__ import annotations

import datetime as dt
import pickle
import pickletools
import uuid
from collections import Counter

import pytest

from booking.core.errors import NotFound
from booking.salons.schedule import (
    ServiceSnapshot,
    StaffSchedule,
    salon_schedule_load,
)
from booking.salons.tests.factories import (
    ClosureFactory,
    OpeningHoursFactory,
    ServiceFactory,
    StaffMemberFactory,
    TimeOffFactory,
    WorkingHoursFactory,
    open_salon,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 3, 4, 12, tzinfo=dt.UTC)


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2030, 3, day, hour, tzinfo=dt.UTC)


def test_it_holds_the_salon_rules_its_active_services_and_their_durations():
    salon, service, _ = open_salon(duration_minutes=45, buffer_after_minutes=10, horizon_days=30)
    ServiceFactory(salon=salon, is_active=False)
    ServiceFactory()  # another salon's

    schedule = salon_schedule_load(salon.id, now=NOW)

    assert schedule.salon.id == salon.id
    assert schedule.salon.timezone == "Europe/Berlin"
    assert schedule.salon.horizon_days == 30
    assert type(schedule.salon.horizon_days) is int  # not MariaDB's DECIMAL for a UNION column
    assert schedule.services == {service.id: ServiceSnapshot(service.id, 45, 10)}


def test_weekly_hours_are_grouped_by_weekday_in_order():
    salon, _, _ = open_salon(opens=dt.time(9), closes=dt.time(12))
    OpeningHoursFactory(salon=salon, weekday=2, opens=dt.time(13), closes=dt.time(18))

    schedule = salon_schedule_load(salon.id, now=NOW)

    assert schedule.opening_hours[2] == [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(18))]
    assert schedule.opening_hours[6] == [(dt.time(9), dt.time(12))]
    assert set(schedule.opening_hours) == set(range(7))


def test_a_salon_without_opening_hours_has_none():
    salon, _, _ = open_salon()
    salon.opening_hours.all().delete()

    assert salon_schedule_load(salon.id, now=NOW).opening_hours == {}


def test_active_staff_carry_their_hours_and_every_service_they_perform():
    salon, service, (member,) = open_salon()
    second = ServiceFactory(salon=salon)
    member.services.add(second)
    idle = StaffMemberFactory(salon=salon)  # performs nothing yet, works Mondays
    WorkingHoursFactory(staff=idle, weekday=0, starts=dt.time(10), ends=dt.time(11))
    StaffMemberFactory(salon=salon, is_active=False, services=[service])

    staff = salon_schedule_load(salon.id, now=NOW).staff

    assert list(staff) == sorted([member.id, idle.id])
    assert staff[member.id].service_ids == {service.id, second.id}
    assert staff[member.id].hours[3] == [(dt.time(9), dt.time(17))]
    assert staff[idle.id] == StaffSchedule(idle.id, {0: [(dt.time(10), dt.time(11))]}, frozenset())


def test_only_time_off_and_closures_not_yet_over_are_kept():
    salon, _, (member,) = open_salon()
    TimeOffFactory(staff=member, start=at(1, 9), end=at(1, 10))  # over
    TimeOffFactory(staff=member, start=at(6, 9), end=at(6, 10))
    TimeOffFactory(staff=member, start=at(4, 9), end=at(4, 13))  # running now
    ClosureFactory(salon=salon, start_date=dt.date(2030, 3, 1), end_date=dt.date(2030, 3, 2))
    ClosureFactory(salon=salon, start_date=dt.date(2030, 3, 3), end_date=dt.date(2030, 3, 3))
    ClosureFactory(salon=salon, start_date=dt.date(2030, 3, 9), end_date=dt.date(2030, 3, 10))

    schedule = salon_schedule_load(salon.id, now=NOW)

    assert schedule.time_off == {member.id: [(at(4, 9), at(4, 13)), (at(6, 9), at(6, 10))]}
    # From yesterday on: a salon west of UTC may still be living yesterday.
    assert schedule.closures == [
        (dt.date(2030, 3, 3), dt.date(2030, 3, 3)),
        (dt.date(2030, 3, 9), dt.date(2030, 3, 10)),
    ]


@pytest.mark.parametrize("active", [False, None], ids=["closed", "unknown"])
def test_a_closed_or_unknown_salon_is_not_found(active):
    salon, _, _ = open_salon(is_active=bool(active))
    salon_id = salon.id if active is not None else uuid.uuid4()

    with pytest.raises(NotFound) as raised:
        salon_schedule_load(salon_id, now=NOW)

    assert raised.value.code == "salon_not_found"


def test_it_is_read_in_one_statement(django_assert_num_queries):
    salon, _, _ = open_salon(staff_count=3)

    with django_assert_num_queries(1):
        salon_schedule_load(salon.id, now=NOW)


def test_repeated_ids_and_hours_are_one_object_each_so_a_pickle_writes_them_once():
    salon, service, staff = open_salon(staff_count=3)

    schedule = salon_schedule_load(salon.id, now=NOW)

    service_id = schedule.services[service.id].id
    assert all(next(iter(m.service_ids)) is service_id for m in schedule.staff.values())
    daily = schedule.opening_hours[0][0]
    weeks = [schedule.opening_hours, *(member.hours for member in schedule.staff.values())]
    assert all(hours is daily for week in weeks for day in week.values() for hours in day)
    pickled = pickle.dumps(schedule, pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(pickled) == schedule
    built = Counter(op.name for op, _, _ in pickletools.genops(pickled))
    # Objects made (NEWOBJ): the schedule, the salon's and the service's snapshots, a schedule
    # per staff member, and one UUID for each of those five ids. Times of day (REDUCE): 9 and 17.
    assert (built["NEWOBJ"], built["REDUCE"]) == (2 + 2 + 2 * len(staff) + 1, 2)
