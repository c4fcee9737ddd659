"""A salon's booking rules in one snapshot: what availability needs besides the appointments.

Hours, closures, time off, services and staff change rarely; appointments change all the time.
The snapshot is cached under the salon's schedule version (bumped on commit by every write to
those rules, never by bookings), so a request whose availability is not cached reads only the
appointments from the database. A cache that is down (core.cache) means a fresh load each time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils import timezone

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
    """The snapshot from the database (seven queries); NotFound for an unknown or closed salon.

    Plain values throughout: building model instances (and a prefetch) cost more than the
    queries, and a salon no process has seen yet pays this on its first availability question.
    """
    salon = Salon.objects.filter(id=salon_id, is_active=True).values_list(*SALON_RULES).first()
    if salon is None:
        raise NotFound("Salon not found.", code="salon_not_found")
    now = now or timezone.now()
    active = {"salon_id": salon_id, "is_active": True}
    services = Service.objects.filter(**active).values_list(*SERVICE_RULES)
    # One row per staff member and service performed, (id, None) for someone with none yet.
    performs: dict[UUID, set[UUID]] = defaultdict(set)
    for staff_id, service_id in StaffMember.objects.filter(**active).values_list("id", "services"):
        performed = performs[staff_id]
        if service_id is not None:
            performed.add(service_id)
    hours: dict[UUID, list[tuple[int, dt.time, dt.time]]] = defaultdict(list)
    for staff_id, weekday, starts, ends in WorkingHours.objects.filter(
        staff__salon_id=salon_id, staff__is_active=True
    ).values_list("staff_id", "weekday", "starts", "ends"):
        hours[staff_id].append((weekday, starts, ends))
    time_off: dict[UUID, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for staff_id, start, end in TimeOff.objects.filter(
        staff__salon_id=salon_id, end__gt=now
    ).values_list("staff_id", "start", "end"):
        time_off[staff_id].append((start, end))
    return SalonSchedule(
        salon=SalonSnapshot(*salon),
        services={row[0]: ServiceSnapshot(*row) for row in services},
        staff={
            # Python's UUID order: MariaDB's uuid type sorts by its last segment first.
            staff_id: StaffSchedule(
                staff_id, _weekly(hours[staff_id]), frozenset(performs[staff_id])
            )
            for staff_id in sorted(performs)
        },
        opening_hours=_weekly(
            OpeningHours.objects.filter(salon_id=salon_id).values_list("weekday", "opens", "closes")
        ),
        closures=list(
            Closure.objects.filter(
                salon_id=salon_id, end_date__gte=now.date() - dt.timedelta(days=1)
            ).values_list("start_date", "end_date")
        ),
        time_off=dict(time_off),
    )


def _weekly(rows: Any) -> WeeklyHours:
    hours: WeeklyHours = defaultdict(list)
    for weekday, starts, ends in rows:
        hours[weekday].append((starts, ends))
    return dict(hours)
