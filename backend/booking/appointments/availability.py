"""Free start times: opening hours ∩ staff hours − time off − closures − appointments.

Everything is computed in absolute time (UTC instants) from wall-clock rules interpreted in the
salon's IANA zone, so DST days have the right length and no slot is offered twice or skipped.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import router
from django.utils import timezone

from booking.appointments.models import OCCUPYING_STATUSES, Appointment
from booking.core import sql
from booking.core.errors import ValidationFailed
from booking.salons.schedule import (
    SalonRules,
    SalonSchedule,
    ServiceRules,
    StaffSchedule,
    WeeklyHours,
    salon_schedule_load,
)

MAX_RANGE_DAYS = 31
Interval = tuple[dt.datetime, dt.datetime]


class Slot(NamedTuple):  # a week's answer builds about 150: a tuple is the cheapest to make
    start: dt.datetime
    end: dt.datetime
    staff_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class _StaffCalendar:
    """One staff member's bookable time and busy ranges, sorted."""

    staff_id: UUID
    working: list[Interval]
    busy: list[Interval]

    def start_ranges(self, duration: dt.timedelta, occupied: dt.timedelta) -> list[Interval]:
        """Closed ranges of the instants a service can start at: [start, start + duration]
        inside one working interval, [start, start + occupied) clear of every busy range."""
        fits = [(start, end - duration) for start, end in self.working if start <= end - duration]
        # A start collides with a busy range exactly when busy_start - occupied < start < busy_end.
        return _cut_open(fits, [(start - occupied, end) for start, end in self.busy])


def _cut_open(ranges: list[Interval], holes: list[Interval]) -> list[Interval]:
    """Closed `ranges` minus open `holes`, both sorted. Busy ranges never overlap each other
    (the exclusion constraint), so the holes' ends are sorted too and one pass does."""
    result: list[Interval] = []
    first = 0
    for start, end in ranges:
        while first < len(holes) and holes[first][1] <= start:
            first += 1
        cursor, index = start, first
        while index < len(holes) and holes[index][0] < end:
            hole_start, hole_end = holes[index]
            if cursor <= hole_start:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            index += 1
        if cursor <= end:
            result.append((cursor, end))
    return result


def validate_date_range(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise ValidationFailed("'to' must not be before 'from'.", code="invalid_date_range")
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise ValidationFailed(
            f"Ask for at most {MAX_RANGE_DAYS} days at a time.", code="date_range_too_long"
        )


def availability_for(
    *,
    salon: SalonRules,
    service: ServiceRules,
    date_from: dt.date,
    date_to: dt.date,
    staff_ids: Sequence[UUID] | None = None,
    now: dt.datetime | None = None,
    ignore_appointment_id: UUID | None = None,
    schedule: SalonSchedule | None = None,
    with_appointments: bool = True,
    at: dt.datetime | None = None,
) -> list[Slot]:
    """Free slots for `service` over local dates (inclusive), for `staff_ids` or all qualified.

    The salon's rules come from `schedule` (loaded from the database when not given); the
    appointments are read from the database, unless `with_appointments` is False: then the
    slots are those the rules allow, whoever booked them. With `at`, only the slot starting at
    that instant is looked at (a booking's check), not the whole day's grid.
    """
    validate_date_range(date_from, date_to)
    zone = ZoneInfo(salon.timezone)
    now = (now or timezone.now()).astimezone(dt.UTC)
    window = _bookable_window(salon, zone, date_from, date_to, now)
    if window is None:
        return []
    schedule = schedule or salon_schedule_load(salon.id, now=now)
    if staff_ids is None:
        members = schedule.qualified_staff(service.id)
    else:
        members = [schedule.staff[i] for i in staff_ids if i in schedule.staff]
    opening = _opening_intervals(schedule, zone, date_from, date_to)
    calendars = _staff_calendars(
        schedule, members, zone, opening, window, ignore_appointment_id, with_appointments
    )
    return _slots(salon, service, zone, opening, window, calendars, at)


def _bookable_window(
    salon: SalonRules, zone: ZoneInfo, date_from: dt.date, date_to: dt.date, now: dt.datetime
) -> Interval | None:
    earliest = max(
        _local_midnight(date_from, zone), now + dt.timedelta(minutes=salon.min_notice_minutes)
    )
    latest = min(
        _local_midnight(date_to + dt.timedelta(days=1), zone),
        now + dt.timedelta(days=salon.horizon_days),
    )
    return (earliest, latest) if earliest < latest else None


def _local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return _instant(day, dt.time(0), zone)


def _instant(day: dt.date, wall: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of a wall-clock time; times in a DST gap move forward by the gap."""
    return dt.datetime.combine(day, wall, tzinfo=zone).astimezone(dt.UTC)


def _days(date_from: dt.date, date_to: dt.date) -> Iterable[dt.date]:
    for offset in range((date_to - date_from).days + 1):
        yield date_from + dt.timedelta(days=offset)


def _opening_intervals(
    schedule: SalonSchedule, zone: ZoneInfo, date_from: dt.date, date_to: dt.date
) -> dict[dt.date, list[Interval]]:
    closed = _closed_days(schedule.closures, date_from, date_to)
    return {
        day: _daily(schedule.opening_hours, day, zone)
        for day in _days(date_from, date_to)
        if day not in closed
    }


def _daily(hours: WeeklyHours, day: dt.date, zone: ZoneInfo) -> list[Interval]:
    return sorted(
        (_instant(day, starts, zone), _instant(day, ends, zone))
        for starts, ends in hours.get(day.weekday(), ())
    )


def _closed_days(
    closures: Sequence[tuple[dt.date, dt.date]], date_from: dt.date, date_to: dt.date
) -> set[dt.date]:
    closed: set[dt.date] = set()
    for first, last in closures:
        if first <= date_to and last >= date_from:
            closed.update(_days(max(first, date_from), min(last, date_to)))
    return closed


def _staff_calendars(
    schedule: SalonSchedule,
    members: Sequence[StaffSchedule],
    zone: ZoneInfo,
    opening: dict[dt.date, list[Interval]],
    window: Interval,
    ignore_appointment_id: UUID | None,
    with_appointments: bool,
) -> list[_StaffCalendar]:
    busy: dict[UUID, list[Interval]] = defaultdict(list)
    if with_appointments:
        appointments = _occupying(
            [member.id for member in members], window, exclude_id=ignore_appointment_id
        )
        busy = _ranges_by_staff(appointments)
    calendars = []
    for member in members:
        staff_id = member.id
        working = {day: _daily(member.hours, day, zone) for day in opening}
        time_off = [(s, e) for s, e in schedule.time_off.get(staff_id, ()) if s < window[1]]
        free = _subtract(_intersect(opening, working), time_off)
        calendars.append(_StaffCalendar(staff_id, free, sorted(busy[staff_id])))
    return calendars


def _occupying(
    staff_ids: Sequence[UUID], window: Interval, *, exclude_id: UUID | None
) -> list[tuple[UUID, dt.datetime, dt.datetime]]:
    """(staff_id, start, occupied_until) of the appointments that hold any of these staff
    members' time within the window.

    Served by the (staff_id, occupied_until) index: it reads only what is not over by the
    window's start, however long the staff member's history. The status is checked here, not
    in SQL: a status condition lets the planner take the exclusion constraint's partial GiST
    index instead, which it costs as cheap and which reads the whole index for a staff id
    (3560 buffers and 54 ms against a handful, EXPLAIN on the 10000-salon data set). Written as
    SQL because building it through the ORM cost more CPU than running it, on the two hottest
    paths (availability, booking); values go through the fields' own conversions.
    """
    if not staff_ids:
        return []
    alias = router.db_for_read(Appointment)
    params: list[Any] = [sql.prepared(alias, Appointment, "staff", i) for i in staff_ids]
    params += [sql.prepared(alias, Appointment, "start", instant) for instant in window]
    if exclude_id is not None:
        params.append(sql.prepared(alias, Appointment, "id", exclude_id))
    rows = sql.fetch(alias, _occupying_sql(alias, len(staff_ids), exclude_id is not None), params)
    return [
        (_uuid(staff_id), _aware(s), _aware(e))
        for staff_id, s, e, status in rows
        if status in _OCCUPYING
    ]


_OCCUPYING = frozenset(OCCUPYING_STATUSES)


@functools.cache
def _occupying_sql(alias: str, staff_count: int, excluding: bool) -> str:
    """The statement for `staff_count` staff members: identifiers from the model, every value a
    parameter (the window's start, then its end)."""
    staff, start, until, status, appointment_id = (
        sql.column(alias, Appointment, name)
        for name in ("staff", "start", "occupied_until", "status", "id")
    )
    statement = (
        f"SELECT {staff}, {start}, {until}, {status} "  # noqa: S608
        f"FROM {sql.table(alias, Appointment)} WHERE {staff} IN ({sql.marks(staff_count)}) "
        f"AND {until} > %s AND {start} < %s"
    )
    return f"{statement} AND {appointment_id} <> %s" if excluding else statement


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)


def _aware(value: dt.datetime | str) -> dt.datetime:
    """PostgreSQL answers aware instants; MySQL and SQLite naive UTC (SQLite as text)."""
    instant = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=dt.UTC)


def staff_busy_between(
    staff_ids: Sequence[UUID],
    start: dt.datetime,
    until: dt.datetime,
    *,
    exclude_id: UUID | None = None,
) -> set[UUID]:
    """Which of these staff members hold an appointment overlapping [start, until)."""
    return {staff for staff, _, _ in _occupying(staff_ids, (start, until), exclude_id=exclude_id)}


def _ranges_by_staff(
    rows: Iterable[tuple[UUID, dt.datetime, dt.datetime]],
) -> dict[UUID, list[Interval]]:
    ranges: dict[UUID, list[Interval]] = defaultdict(list)
    for staff_id, start, end in rows:
        ranges[staff_id].append((start, end))
    return ranges


def _intersect(
    opening: dict[dt.date, list[Interval]], working: dict[dt.date, list[Interval]]
) -> list[Interval]:
    result = []
    for day, open_intervals in opening.items():
        for open_start, open_end in open_intervals:
            for work_start, work_end in working[day]:
                start, end = max(open_start, work_start), min(open_end, work_end)
                if start < end:
                    result.append((start, end))
    return sorted(result)


def _subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    for hole_start, hole_end in holes:
        remaining = []
        for start, end in intervals:
            if hole_end <= start or hole_start >= end:
                remaining.append((start, end))
                continue
            if start < hole_start:
                remaining.append((start, hole_start))
            if hole_end < end:
                remaining.append((hole_end, end))
        intervals = remaining
    return intervals


def _slots(
    salon: SalonRules,
    service: ServiceRules,
    zone: ZoneInfo,
    opening: dict[dt.date, list[Interval]],
    window: Interval,
    calendars: list[_StaffCalendar],
    at: dt.datetime | None,
) -> list[Slot]:
    """Slots start on a grid anchored at each opening interval's start (only `at`, if given)."""
    duration = dt.timedelta(minutes=service.duration_minutes)
    occupied = duration + dt.timedelta(minutes=service.buffer_after_minutes)
    step = dt.timedelta(minutes=salon.slot_step_minutes)
    anchors = [interval for day in sorted(opening) for interval in opening[day]]
    lowest, highest = window if at is None else (max(window[0], at), min(window[1], at))
    # Per anchor, per step from its start: who is free to start then, in the calendars' order.
    free: list[dict[int, list[UUID]]] = [defaultdict(list) for _ in anchors]
    for calendar in calendars:
        ranges = calendar.start_ranges(duration, occupied)
        for anchor, steps in _steps_within(anchors, ranges, step, lowest, highest):
            for index in steps:
                free[anchor][index].append(calendar.staff_id)
    slots: list[Slot] = []
    for (open_start, open_end), staff in zip(anchors, free, strict=True):
        local = _local_clock(open_start, open_end, zone)
        for index in sorted(staff):
            starts = index * step
            slots.append(Slot(local(starts), local(starts + duration), tuple(staff[index])))
    return slots


def _steps_within(
    anchors: list[Interval],
    ranges: list[Interval],
    step: dt.timedelta,
    lowest: dt.datetime,
    highest: dt.datetime,
) -> Iterable[tuple[int, range]]:
    """For each closed range of start instants, its anchor and the steps from the anchor's
    start that fall within it and within [lowest, highest]. Both lists are sorted, and each
    range lies within one anchor (staff time is cut from the opening hours)."""
    anchor = 0
    for start, end in ranges:
        while anchors[anchor][1] <= start:  # a start needs `duration` before its anchor ends
            anchor += 1
        origin = anchors[anchor][0]
        first = -((origin - max(start, lowest)) // step)  # rounded up
        yield anchor, range(first, (min(end, highest) - origin) // step + 1)


def _local_clock(
    first: dt.datetime, last: dt.datetime, zone: ZoneInfo
) -> Callable[[dt.timedelta], dt.datetime]:
    """The salon's local time a given time after `first`: by wall-clock arithmetic from the
    local `first` when the offset is the same at `last` (no DST change in between), which is
    several times cheaper than converting each instant; converting each one otherwise."""
    local_first = first.astimezone(zone)
    if local_first.utcoffset() == last.astimezone(zone).utcoffset():
        return lambda after: local_first + after
    return lambda after: (first + after).astimezone(zone)


def seconds_valid(
    *, salon: SalonRules, slots: Sequence[Slot], now: dt.datetime | None = None
) -> float:
    """How long an answer stays right without any write: until notice reaches its first slot."""
    limit = float(settings.AVAILABILITY_CACHE_SECONDS)
    if not slots:
        return limit
    first_bookable_until = slots[0].start - dt.timedelta(minutes=salon.min_notice_minutes)
    return min(limit, (first_bookable_until - (now or timezone.now())).total_seconds())
