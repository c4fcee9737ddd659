"""A salon's booking rules in one snapshot: what availability needs besides the appointments.

Hours, closures, time off, services and staff change rarely; appointments change all the time.
The snapshot is cached under the salon's schedule version (bumped on commit by every write to
those rules, never by bookings), so a request whose availability is not cached reads only the
appointments from the database. A cache that is down (core.cache) means a fresh load each time.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import router
from django.db.models import Model
from django.utils import timezone

from booking.core import sql
from booking.core.errors import NotFound
from booking.core.versioned_cache import LocalValues, versioned_get, versioned_set
from booking.salons.availability_cache import schedule_version, schedule_version_key
from booking.salons.models import (
    Closure,
    OpeningHours,
    Salon,
    Service,
    StaffMember,
    TimeOff,
    WorkingHours,
)

# Part of the cache key: change it with the snapshot classes, so that during a rolling deploy
# old and new processes never unpickle each other's snapshots.
SNAPSHOT_FORMAT = 3
WeeklyHours = dict[int, list[tuple[dt.time, dt.time]]]
# Apart from cached answers, which a stream of distinct questions would churn through.
_snapshots = LocalValues(settings.SCHEDULE_LOCAL_ENTRIES)


# Plain values, not model instances: unpickling model instances cost more than the query.
@dataclass(frozen=True, slots=True)
class SalonSnapshot:
    id: UUID
    timezone: str
    min_notice_minutes: int
    horizon_days: int
    slot_step_minutes: int


@dataclass(frozen=True, slots=True)
class ServiceSnapshot:
    id: UUID
    duration_minutes: int
    buffer_after_minutes: int


# The columns the snapshots copy, in their fields' order.
SALON_RULES = ("id", "timezone", "min_notice_minutes", "horizon_days", "slot_step_minutes")
SERVICE_RULES = ("id", "duration_minutes", "buffer_after_minutes")


# What availability needs of a salon and a service: the rows, or their snapshots.
SalonRules = Salon | SalonSnapshot
ServiceRules = Service | ServiceSnapshot


@dataclass(frozen=True, slots=True)
class StaffSchedule:
    id: UUID
    hours: WeeklyHours
    service_ids: frozenset[UUID]


@dataclass(frozen=True, slots=True)
class SalonSchedule:
    """Active services and staff, weekly hours, and closures and time off not yet over."""

    salon: SalonSnapshot
    services: dict[UUID, ServiceSnapshot]
    staff: dict[UUID, StaffSchedule]  # ordered by id: the order used to pick a staff member
    opening_hours: WeeklyHours
    closures: list[tuple[dt.date, dt.date]]
    time_off: dict[UUID, list[tuple[dt.datetime, dt.datetime]]]

    def service(self, service_id: UUID) -> ServiceSnapshot:
        try:
            return self.services[service_id]
        except KeyError:
            raise NotFound("Service not found.", code="service_not_found") from None

    def staff_member(self, staff_id: UUID) -> StaffSchedule:
        try:
            return self.staff[staff_id]
        except KeyError:
            raise NotFound("Staff member not found.", code="staff_not_found") from None

    def qualified_staff(self, service_id: UUID) -> list[StaffSchedule]:
        return [member for member in self.staff.values() if service_id in member.service_ids]


def salon_schedule(salon_id: UUID) -> SalonSchedule:
    """The cached snapshot if it was built under the current schedule version, else a fresh one."""
    key = f"schedule:{SNAPSHOT_FORMAT}:{salon_id}"
    schedule, version = versioned_get(key, schedule_version_key(salon_id), _snapshots)
    if schedule is not None:
        return schedule  # type: ignore[no-any-return]
    if version is None:  # read before loading: a racing write leaves the snapshot stale
        version = schedule_version(salon_id)
    schedule = salon_schedule_load(salon_id)
    versioned_set(key, version, schedule, settings.SCHEDULE_CACHE_SECONDS, _snapshots)
    return schedule


def salon_schedule_load(salon_id: UUID, *, now: dt.datetime | None = None) -> SalonSchedule:
    """The snapshot from the database (six statements); NotFound for an unknown or closed salon.

    Plain values from hand-written statements (`_Statements`): built through the ORM, the
    queries cost more CPU than running them, and a salon no process has seen yet pays this on
    its first availability question.
    """
    alias = router.db_for_read(Salon)
    statements = _statements(alias)
    key = sql.prepared(alias, Salon, "id", salon_id)
    salon_rows = sql.values(alias, statements.salon, [key, True], _SALON_COLUMNS)
    if not salon_rows:
        raise NotFound("Salon not found.", code="salon_not_found")
    now = now or timezone.now()
    # One row per staff member and service performed, (id, None) for someone with none yet.
    performs: dict[UUID, set[UUID]] = defaultdict(set)
    for staff_id, service_id in sql.values(alias, statements.staff, [key, True], _STAFF_COLUMNS):
        performed = performs[staff_id]
        if service_id is not None:
            performed.add(service_id)
    hours: dict[UUID, list[Sequence[Any]]] = defaultdict(list)
    for staff_id, *weekly in sql.values(alias, statements.hours, [key, True], _HOURS_COLUMNS):
        hours[staff_id].append(weekly)
    time_off: dict[UUID, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    since = sql.prepared(alias, TimeOff, "end", now)
    for staff_id, start, end in sql.values(alias, statements.time_off, [key, since], _OFF_COLUMNS):
        time_off[staff_id].append((start, end))
    services = sql.values(alias, statements.services, [key, True], _SERVICE_COLUMNS)
    day_before = sql.prepared(alias, Closure, "end_date", now.date() - dt.timedelta(days=1))
    return SalonSchedule(
        salon=SalonSnapshot(*salon_rows[0][: len(SALON_RULES)]),
        services={row[0]: ServiceSnapshot(*row) for row in services},
        staff={
            # Python's UUID order: MariaDB's uuid type sorts by its last segment first.
            staff_id: StaffSchedule(
                staff_id, _weekly(hours[staff_id]), frozenset(performs[staff_id])
            )
            for staff_id in sorted(performs)
        },
        opening_hours=_weekly(
            row[len(SALON_RULES) :] for row in salon_rows if row[len(SALON_RULES)] is not None
        ),
        closures=sql.values(alias, statements.closures, [key, day_before], _CLOSURE_COLUMNS),
        time_off=dict(time_off),
    )


# What each statement selects, in column order, for the fields' converters.
_SALON_COLUMNS = [(Salon, name) for name in SALON_RULES] + [
    (OpeningHours, name) for name in ("weekday", "opens", "closes")
]
_SERVICE_COLUMNS = [(Service, name) for name in SERVICE_RULES]
_PERFORMS: type[Model] = StaffMember.services.through  # staff member ↔ service rows
_STAFF_COLUMNS: list[tuple[type[Model], str]] = [(StaffMember, "id"), (_PERFORMS, "service")]
_HOURS_COLUMNS = [(WorkingHours, name) for name in ("staff", "weekday", "starts", "ends")]
_OFF_COLUMNS = [(TimeOff, name) for name in ("staff", "start", "end")]
_CLOSURE_COLUMNS = [(Closure, name) for name in ("start_date", "end_date")]


@dataclass(frozen=True)
class _Statements:
    """The snapshot's statements for one database; each takes the salon's id first."""

    salon: str  # active salon LEFT JOIN its opening hours; (id, is_active)
    services: str  # (salon, is_active)
    staff: str  # active staff LEFT JOIN the services they perform; (salon, is_active)
    hours: str  # working hours of active staff; (salon, is_active)
    time_off: str  # time off not yet over; (salon, end after)
    closures: str  # closures not over by yesterday; (salon, end date from)


@functools.cache
def _statements(alias: str) -> _Statements:
    def col(letter: str, model: type[Model], name: str) -> str:
        return f"{letter}.{sql.column(alias, model, name)}"

    def cols(letter: str, model: type[Model], names: Sequence[str]) -> str:
        return ", ".join(col(letter, model, name) for name in names)

    def tab(model: type[Model], letter: str) -> str:
        return f"{sql.table(alias, model)} {letter}"

    staff_of_salon = f"{col('m', StaffMember, 'salon')} = %s"
    return _Statements(
        salon=(
            f"SELECT {cols('s', Salon, SALON_RULES)}, "  # noqa: S608
            f"{cols('h', OpeningHours, ('weekday', 'opens', 'closes'))} FROM {tab(Salon, 's')} "
            f"LEFT JOIN {tab(OpeningHours, 'h')} ON {col('h', OpeningHours, 'salon')} = "
            f"{col('s', Salon, 'id')} WHERE {col('s', Salon, 'id')} = %s "
            f"AND {col('s', Salon, 'is_active')} = %s "
            f"ORDER BY {cols('h', OpeningHours, ('weekday', 'opens'))}"
        ),
        services=(
            f"SELECT {cols('v', Service, SERVICE_RULES)} FROM {tab(Service, 'v')} "  # noqa: S608
            f"WHERE {col('v', Service, 'salon')} = %s AND {col('v', Service, 'is_active')} = %s"
        ),
        staff=(
            f"SELECT {col('m', StaffMember, 'id')}, {col('t', _PERFORMS, 'service')} "  # noqa: S608
            f"FROM {tab(StaffMember, 'm')} LEFT JOIN {tab(_PERFORMS, 't')} "
            f"ON {col('t', _PERFORMS, 'staffmember')} = {col('m', StaffMember, 'id')} "
            f"WHERE {staff_of_salon} AND {col('m', StaffMember, 'is_active')} = %s"
        ),
        hours=(
            f"SELECT {cols('w', WorkingHours, ('staff', 'weekday', 'starts', 'ends'))} "  # noqa: S608
            f"FROM {tab(WorkingHours, 'w')} JOIN {tab(StaffMember, 'm')} "
            f"ON {col('m', StaffMember, 'id')} = {col('w', WorkingHours, 'staff')} "
            f"WHERE {staff_of_salon} AND {col('m', StaffMember, 'is_active')} = %s "
            f"ORDER BY {cols('w', WorkingHours, ('weekday', 'starts'))}"
        ),
        time_off=(
            f"SELECT {cols('o', TimeOff, ('staff', 'start', 'end'))} "  # noqa: S608
            f"FROM {tab(TimeOff, 'o')} JOIN {tab(StaffMember, 'm')} "
            f"ON {col('m', StaffMember, 'id')} = {col('o', TimeOff, 'staff')} "
            f"WHERE {staff_of_salon} AND {col('o', TimeOff, 'end')} > %s "
            f"ORDER BY {col('o', TimeOff, 'start')}"
        ),
        closures=(
            f"SELECT {cols('c', Closure, ('start_date', 'end_date'))} "  # noqa: S608
            f"FROM {tab(Closure, 'c')} WHERE {col('c', Closure, 'salon')} = %s "
            f"AND {col('c', Closure, 'end_date')} >= %s ORDER BY {col('c', Closure, 'start_date')}"
        ),
    )


def _weekly(rows: Iterable[Sequence[Any]]) -> WeeklyHours:
    hours: WeeklyHours = defaultdict(list)
    for weekday, starts, ends in rows:
        hours[weekday].append((starts, ends))
    return dict(hours)
