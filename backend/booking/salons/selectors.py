from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from booking.accounts.models import User
from booking.core import sql
from booking.core.errors import NotFound
from booking.salons.models import Closure, Salon, SalonMember, Service, StaffMember

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


def salon_get(*, salon_id: UUID | str, now: dt.datetime | None = None) -> Salon:
    """An active salon with its active services and staff, weekly opening hours and the
    closures near the coming weeks (`salon_upcoming_closures` picks the salon's own), or
    NotFound."""
    today = (now or timezone.now()).astimezone(dt.UTC).date()
    # The salon's zone is unknown before its row is read, and its "today" is at most a day
    # from UTC's: the window is a day wider on each side, trimmed to the salon's calendar later.
    closures = Closure.objects.filter(
        end_date__gte=today - dt.timedelta(days=1),
        start_date__lte=today + dt.timedelta(days=UPCOMING_CLOSURE_DAYS + 1),
    )
    salons = (
        Salon.objects.filter(is_active=True)
        .select_related("address")
        .prefetch_related(
            Prefetch("services", queryset=Service.objects.filter(is_active=True)),
            Prefetch(
                "staff",
                queryset=StaffMember.objects.filter(is_active=True).prefetch_related(
                    Prefetch("services", queryset=Service.objects.only("id"))
                ),
            ),
            "opening_hours",
            Prefetch("closures", queryset=closures.order_by("start_date", "id")),
        )
    )
    return _get_or_not_found(salons, salon_id)


def salon_today(*, salon: Salon, now: dt.datetime | None = None) -> dt.date:
    """The calendar day it is at the salon."""
    return (now or timezone.now()).astimezone(ZoneInfo(salon.timezone)).date()


def salon_upcoming_closures(*, salon: Salon, now: dt.datetime | None = None) -> list[Closure]:
    """Closures not over yet on the salon's calendar that begin within UPCOMING_CLOSURE_DAYS,
    soonest first, at most MAX_UPCOMING_CLOSURES; from the rows `salon_get` prefetched."""
    today = salon_today(salon=salon, now=now)
    last = today + dt.timedelta(days=UPCOMING_CLOSURE_DAYS)
    upcoming = [c for c in salon.closures.all() if c.end_date >= today and c.start_date <= last]
    return upcoming[:MAX_UPCOMING_CLOSURES]


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
