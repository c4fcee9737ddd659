"""A salon's booking rules in one snapshot: what availability needs besides the appointments.

Hours, closures, time off, services and staff change rarely; appointments change all the time.
The snapshot is cached under the salon's schedule version (bumped on commit by every write to
those rules, never by bookings), so a request whose availability is not cached reads only the
appointments from the database. A cache that is down (core.cache) means a fresh load each time.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import router
from django.utils import timezone

from booking.core.errors import NotFound
from booking.core.versioned_cache import (
    LocalValues,
    Versioned,
    building_under,
    versioned_get,
    versioned_set,
)
from booking.salons.availability_cache import schedule_version_key
from booking.salons.models import Salon, Service
from booking.salons.schedule_rows import COLUMNS, Kind, schedule_rows

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


def schedule_snapshot(salon_id: UUID) -> Versioned:
    """Where the salon's snapshot is cached (a reader may fetch it ahead: `versioned_get`)."""
    return Versioned(
        f"schedule:{SNAPSHOT_FORMAT}:{salon_id}", schedule_version_key(salon_id), _snapshots
    )


def salon_schedule(salon_id: UUID) -> SalonSchedule:
    """The cached snapshot if it was built under the current schedule version, else a fresh one."""
    snapshot = schedule_snapshot(salon_id)
    schedule, version = versioned_get(*snapshot)
    if schedule is not None:
        return schedule  # type: ignore[no-any-return]
    # The version was read before loading: a racing write leaves this snapshot stale.
    with building_under(version):
        schedule = salon_schedule_load(salon_id)
    versioned_set(snapshot.key, version, schedule, settings.SCHEDULE_CACHE_SECONDS, _snapshots)
    return schedule


def salon_schedule_load(salon_id: UUID, *, now: dt.datetime | None = None) -> SalonSchedule:
    """The snapshot from the database (one statement, `schedule_rows`); NotFound for an unknown
    or closed salon."""
    rows: dict[Kind, list[tuple[Any, ...]]] = defaultdict(list)
    # Each id, time of day and pair of times is one object however many rows repeat it: pickle
    # then writes and rebuilds it once, which halves a snapshot's size and the time to store or
    # read it (1.8 KB to 0.9 KB for 3 staff and 4 services), and a process holding it keeps less.
    same: dict[Any, Any] = {}
    for row in schedule_rows(router.db_for_read(Salon), salon_id, now or timezone.now()):
        shared = list(row)
        for column in _REPEATED:
            shared[column] = same.setdefault(row[column], row[column])
        rows[row[0]].append(tuple(shared))
    if not rows[Kind.SALON]:
        raise NotFound("Salon not found.", code="salon_not_found")
    # One row per staff member and service performed, (id, None) for someone with none yet.
    performs: dict[UUID, set[UUID]] = defaultdict(set)
    for _, staff_id, service_id, *_ in rows[Kind.PERFORMS]:
        performed = performs[staff_id]
        if service_id is not None:
            performed.add(service_id)
    hours: dict[UUID, list[tuple[int, dt.time, dt.time]]] = defaultdict(list)
    for row in rows[Kind.WORKING]:
        hours[row[_ID]].append(_WEEKLY(row))
    time_off: dict[UUID, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for row in rows[Kind.TIME_OFF]:
        time_off[row[_ID]].append(row[_INSTANTS])
    salon = rows[Kind.SALON][0]
    return SalonSchedule(
        salon=SalonSnapshot(salon[_ID], salon[_TEXT], *salon[_NUMBERS]),
        services={
            row[_ID]: ServiceSnapshot(row[_ID], *row[_NUMBERS][:2]) for row in rows[Kind.SERVICE]
        },
        staff={
            # Python's UUID order: MariaDB's uuid type sorts by its last segment first.
            staff_id: StaffSchedule(
                staff_id, _weekly(hours[staff_id], same), frozenset(performs[staff_id])
            )
            for staff_id in sorted(performs)
        },
        opening_hours=_weekly((_WEEKLY(row) for row in rows[Kind.OPENING]), same),
        closures=[row[_DAYS] for row in rows[Kind.CLOSURE]],
        time_off=dict(time_off),
    )


# Where a row of `schedule_rows` keeps each value (after its kind).
_COLUMN = {name: 1 + index for index, name in enumerate(COLUMNS)}
_ID, _TEXT = _COLUMN["id"], _COLUMN["text"]
_NUMBERS = slice(_COLUMN["n1"], _COLUMN["n3"] + 1)
_WEEKLY = operator.itemgetter(_COLUMN["n1"], _COLUMN["t1"], _COLUMN["t2"])
_DAYS = slice(_COLUMN["d1"], _COLUMN["d2"] + 1)
# The columns whose values repeat from row to row: ids and times of day. They, and the pairs
# of times `_weekly` makes, never equal one another, so one map serves them all.
_REPEATED = tuple(_COLUMN[name] for name in ("id", "other", "t1", "t2"))
_INSTANTS = slice(_COLUMN["at1"], _COLUMN["at2"] + 1)


def _weekly(rows: Iterable[Sequence[Any]], same: dict[Any, Any]) -> WeeklyHours:
    hours: WeeklyHours = defaultdict(list)
    for weekday, starts, ends in rows:
        interval = (starts, ends)
        hours[weekday].append(same.setdefault(interval, interval))
    return dict(hours)
