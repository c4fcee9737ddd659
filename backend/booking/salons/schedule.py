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
from booking.salons.models import Closure, OpeningHours, Salon, Service, StaffMember, TimeOff

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
    """The snapshot from the database (seven queries); NotFound for an unknown or closed salon."""
    try:
        salon = Salon.objects.get(id=salon_id, is_active=True)
    except Salon.DoesNotExist:
        raise NotFound("Salon not found.", code="salon_not_found") from None
    now = now or timezone.now()
    services = Service.objects.filter(salon=salon, is_active=True).order_by("id")
    members = (
        StaffMember.objects.filter(salon=salon, is_active=True)
        .prefetch_related("working_hours")
        .order_by("id")
    )
    performs: dict[UUID, set[UUID]] = defaultdict(set)
    for staff_id, service_id in StaffMember.services.through.objects.filter(
        staffmember__salon=salon
    ).values_list("staffmember_id", "service_id"):
        performs[staff_id].add(service_id)
    time_off: dict[UUID, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for staff_id, start, end in TimeOff.objects.filter(staff__salon=salon, end__gt=now).values_list(
        "staff_id", "start", "end"
    ):
        time_off[staff_id].append((start, end))
    return SalonSchedule(
        salon=SalonSnapshot(
            salon.id,
            salon.timezone,
            salon.min_notice_minutes,
            salon.horizon_days,
            salon.slot_step_minutes,
        ),
        services={
            service.id: ServiceSnapshot(
                service.id, service.duration_minutes, service.buffer_after_minutes
            )
            for service in services
        },
        staff={
            member.id: StaffSchedule(
                id=member.id,
                hours=_weekly((h.weekday, h.starts, h.ends) for h in member.working_hours.all()),
                service_ids=frozenset(performs[member.id]),
            )
            # Python's UUID order: MariaDB's uuid type sorts by its last segment first.
            for member in sorted(members, key=lambda member: member.id)
        },
        opening_hours=_weekly(
            OpeningHours.objects.filter(salon=salon).values_list("weekday", "opens", "closes")
        ),
        closures=list(
            Closure.objects.filter(
                salon=salon, end_date__gte=now.date() - dt.timedelta(days=1)
            ).values_list("start_date", "end_date")
        ),
        time_off=dict(time_off),
    )


def _weekly(rows: Any) -> WeeklyHours:
    hours: WeeklyHours = defaultdict(list)
    for weekday, starts, ends in rows:
        hours[weekday].append((starts, ends))
    return dict(hours)
