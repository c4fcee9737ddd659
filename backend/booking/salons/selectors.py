from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import Q, QuerySet
from django.utils import timezone

from booking.accounts.models import User
from booking.core import sql
from booking.core.errors import NotFound
from booking.salons.models import (
    Closure,
    OpeningHours,
    Salon,
    SalonMember,
    Service,
    StaffMember,
)

MANAGING_ROLES = (SalonMember.Role.OWNER,)
ALL_ROLES = (SalonMember.Role.OWNER, SalonMember.Role.STAFF)
# The public page lists the closures of the coming weeks, not the salon's whole calendar.
UPCOMING_CLOSURE_DAYS = 8 * 7
MAX_UPCOMING_CLOSURES = 20


def salon_list(
    *, search: str | None = None, city: str | None = None, service: str | None = None
) -> QuerySet[Salon]:
    salons = Salon.objects.filter(is_active=True).select_related("address")
    if search:
        salons = salons.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if city:
        salons = salons.filter(address__city__iexact=city)
    if service:
        salons = salons.filter(
            id__in=Service.objects.filter(is_active=True, name__icontains=service).values(
                "salon_id"
            )
        )
    return salons.order_by("name", "id")


def salons_in_order(*, ids: Sequence[UUID]) -> list[Salon]:
    """These salons with their addresses, in the order of `ids` (a page of `salon_list`'s);
    one gone meanwhile is left out."""
    found = Salon.objects.select_related("address").in_bulk(ids)
    return [found[salon_id] for salon_id in ids if salon_id in found]


@dataclass(frozen=True)
class StaffCard:
    id: UUID
    display_name: str
    service_ids: list[UUID]  # every service linked to the staff member, by service name


@dataclass(frozen=True)
class SalonPage:
    """An active salon as its public page shows it; the salon's own fields read through."""

    salon: Salon
    services: list[Service]
    staff: list[StaffCard]
    opening_hours: list[OpeningHours]
    closures: list[Closure]  # not over yet on the salon's calendar, within the coming weeks

    def __getattr__(self, name: str) -> Any:
        if name == "salon":  # not set yet (copying): never recurse
            raise AttributeError(name)
        return getattr(self.salon, name)


def salon_get(*, salon_id: UUID | str, now: dt.datetime | None = None) -> SalonPage:
    """An active salon with its active services and staff, weekly opening hours and the
    closures of the coming weeks (at most MAX_UPCOMING_CLOSURES, soonest first), or NotFound.

    Six statements built once: built through the ORM with its prefetches, the page cost 11 ms
    of CPU, most of it in building the statements (bench README, fifth round).
    """
    now = now or timezone.now()
    alias = router.db_for_read(Salon)
    try:
        key = sql.prepared(alias, Salon, "id", salon_id)
    except ValidationError as exc:
        raise NotFound("Salon not found.", code="salon_not_found") from exc
    by_salon = [key, sql.prepared(alias, Salon, "is_active", True)]
    found = _PAGE_SALON.load(alias, _PAGE_SALON.where(alias, "id", "is_active"), by_salon)
    if not found:
        raise NotFound("Salon not found.", code="salon_not_found")
    services = _PAGE_SERVICES.where(alias, "salon", "is_active", order_by=("name", "id"))
    hours = _PAGE_HOURS.where(alias, "salon", order_by=("weekday", "opens"))
    return SalonPage(
        salon=found[0],
        services=_PAGE_SERVICES.load(alias, services, by_salon),
        staff=_staff_cards(alias, by_salon),
        opening_hours=_PAGE_HOURS.load(alias, hours, [key]),
        closures=_upcoming_closures(alias, found[0], key, now),
    )


_PAGE_SALON = sql.JoinedSelect(Salon, ("*", "address__*"))
_PAGE_SERVICES = sql.JoinedSelect(Service, ("*",))
_PAGE_STAFF = sql.JoinedSelect(StaffMember, ("display_name",))
_PAGE_OFFERS = sql.JoinedSelect(
    StaffMember.services.through,
    ("staffmember", "service", "staffmember__salon", "staffmember__is_active", "service__name"),
)
_PAGE_HOURS = sql.JoinedSelect(OpeningHours, ("*",))
_PAGE_CLOSURES = sql.JoinedSelect(Closure, ("start_date", "end_date", "reason"))


def _staff_cards(alias: str, by_salon: list[Any]) -> list[StaffCard]:
    conditions = ("staffmember__salon", "staffmember__is_active")
    offers = _PAGE_OFFERS.where(alias, *conditions, order_by=("service__name", "service__id"))
    service_ids: dict[UUID, list[UUID]] = {}
    for offer in _PAGE_OFFERS.load(alias, offers, by_salon):
        service_ids.setdefault(offer.staffmember_id, []).append(offer.service_id)
    statement = _PAGE_STAFF.where(alias, "salon", "is_active", order_by=("display_name", "id"))
    return [
        StaffCard(staff.id, staff.display_name, service_ids.get(staff.id, []))
        for staff in _PAGE_STAFF.load(alias, statement, by_salon)
    ]


def _upcoming_closures(alias: str, salon: Salon, key: Any, now: dt.datetime) -> list[Closure]:
    today = salon_today(salon=salon, now=now)
    last = today + dt.timedelta(days=UPCOMING_CLOSURE_DAYS)
    statement = _PAGE_CLOSURES.where(
        alias, "salon", "end_date__gte", "start_date__lte", order_by=("start_date", "id")
    )
    params = [
        key,
        sql.prepared(alias, Closure, "end_date", today),
        sql.prepared(alias, Closure, "start_date", last),
    ]
    return _PAGE_CLOSURES.load(alias, statement, params)[:MAX_UPCOMING_CLOSURES]


def salon_today(*, salon: Salon, now: dt.datetime | None = None) -> dt.date:
    """The calendar day it is at the salon."""
    return (now or timezone.now()).astimezone(ZoneInfo(salon.timezone)).date()


def salon_page_seconds_valid(*, salon: Salon, now: dt.datetime | None = None) -> float:
    """Seconds until the salon's next midnight: the page's closures are those of its today."""
    now = now or timezone.now()
    zone = ZoneInfo(salon.timezone)
    tomorrow = salon_today(salon=salon, now=now) + dt.timedelta(days=1)
    midnight = dt.datetime.combine(tomorrow, dt.time(0), tzinfo=zone)
    # In UTC: between datetimes sharing a tzinfo, Python subtracts wall-clock times (DST).
    return max((midnight.astimezone(dt.UTC) - now.astimezone(dt.UTC)).total_seconds(), 0.0)


def service_get_bookable(*, service_id: UUID | str) -> Service:
    """An active service of an active salon, with its salon; NotFound otherwise. Every booking
    reads it: a statement built once, not through the ORM."""
    alias = router.db_for_read(Service)
    try:
        params = [sql.prepared(alias, Service, "id", service_id)]
    except ValidationError as exc:
        raise NotFound("Service not found.", code="service_not_found") from exc
    params += [sql.prepared(alias, Service, "is_active", True)] * 2
    statement = _SERVICE.where(alias, "id", "is_active", "salon__is_active")
    found: list[Service] = _SERVICE.load(alias, statement, params)
    if not found:
        raise NotFound("Service not found.", code="service_not_found")
    return found[0]


_SERVICE = sql.JoinedSelect(Service, ("*", "salon__*"))


def salon_get_for_member(
    *, user: User, salon_id: UUID | str, roles: tuple[str, ...] = ALL_ROLES
) -> Salon:
    """A salon the user belongs to in one of `roles`; NotFound for anyone else."""
    salons = Salon.objects.select_related("address").filter(
        members__user=user, members__role__in=roles
    )
    return _get_or_not_found(salons, salon_id)


def _get_or_not_found(queryset: QuerySet[Salon], salon_id: UUID | str) -> Salon:
    try:
        return queryset.get(id=salon_id)
    except (Salon.DoesNotExist, ValueError) as exc:
        raise NotFound("Salon not found.", code="salon_not_found") from exc
