from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from booking.accounts.models import User
from booking.core.errors import NotFound
from booking.salons.models import Salon, SalonMember, Service, StaffMember

MANAGING_ROLES = (SalonMember.Role.OWNER,)
ALL_ROLES = (SalonMember.Role.OWNER, SalonMember.Role.STAFF)


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


def salon_get(*, salon_id: UUID | str) -> Salon:
    """An active salon with its active services and staff, or NotFound."""
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
        )
    )
    return _get_or_not_found(salons, salon_id)


def service_get_bookable(*, service_id: UUID | str) -> Service:
    """An active service of an active salon, with its salon; NotFound otherwise."""
    try:
        return Service.objects.select_related("salon").get(
            id=service_id, is_active=True, salon__is_active=True
        )
    except Service.DoesNotExist as exc:
        raise NotFound("Service not found.", code="service_not_found") from exc


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
