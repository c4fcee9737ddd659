"""Writes for salon management: salons, their services, staff, hours, closures and time off.

Every write that can change which slots are free invalidates the schedule snapshot and the
cached availability after commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any, NamedTuple
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.text import slugify

from booking.accounts.models import User
from booking.addresses.services import address_create, address_update
from booking.core.errors import Conflict, ValidationFailed
from booking.salons.availability_cache import catalogue_changed, schedule_changed_on_commit
from booking.salons.locks import lock_salon, lock_staff
from booking.salons.models import (
    Closure,
    OpeningHours,
    Salon,
    SalonMember,
    Service,
    StaffMember,
    TimeOff,
    WorkingHours,
)

SALON_FIELDS = ("name", "description", "phone", "timezone", "is_active")
POLICY_FIELDS = (
    "min_notice_minutes",
    "horizon_days",
    "cancellation_cutoff_minutes",
    "slot_step_minutes",
)
# Changing these changes which slots are offered.
SERVICE_FIELDS = (
    "name",
    "description",
    "duration_minutes",
    "price",
    "currency",
    "buffer_after_minutes",
    "is_active",
)


class WeeklyInterval(NamedTuple):
    weekday: int
    start: dt.time
    end: dt.time


def _clean(instance: Model, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        raise ValidationFailed(details=exc.message_dict) from exc


def _check_fields(data: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationFailed(details={field: ["Unknown field."] for field in sorted(unknown)})


# Salons


def salon_create(
    *,
    owner: User,
    name: str,
    timezone: str,
    address: dict[str, Any],
    description: str = "",
    phone: str = "",
    **policy: int,
) -> Salon:
    """A new salon at a new address, owned by `owner`."""
    _check_fields(policy, POLICY_FIELDS)
    with transaction.atomic():
        salon = Salon(name=name, description=description, phone=phone, timezone=timezone, **policy)
        _clean(salon, exclude=["address", "slug"])
        salon.address = address_create(**address)
        _save_with_unique_slug(salon)
        SalonMember.objects.create(salon=salon, user=owner, role=SalonMember.Role.OWNER)
        transaction.on_commit(catalogue_changed)
    return salon


def _save_with_unique_slug(salon: Salon) -> None:
    base = slugify(salon.name)[:180] or "salon"
    for candidate in (base, *(f"{base}-{secrets.token_hex(3)}" for _ in range(5))):
        salon.slug = candidate
        try:
            with transaction.atomic():
                salon.save()
            return
        except IntegrityError:
            if not Salon.objects.filter(slug=candidate).exists():
                raise
    raise Conflict("Could not find a free slug for this salon name.", code="slug_taken")


def salon_update(*, salon: Salon, data: dict[str, Any]) -> Salon:
    """Change salon details, booking policy and (under "address") address fields."""
    data = dict(data)
    address = data.pop("address", None)
    _check_fields(data, (*SALON_FIELDS, *POLICY_FIELDS))
    with transaction.atomic():
        for field, value in data.items():
            setattr(salon, field, value)
        _clean(salon, exclude=["address"])
        if address:
            address_update(address=salon.address, data=address)
        if data:
            salon.save(update_fields=[*data, "updated_at"])
        if data or address:
            # The salon's version also keys its cached public page, so any change bumps it.
            schedule_changed_on_commit(salon.id)
    return salon


def salon_policy_update(
    *,
    salon: Salon,
    min_notice_minutes: int,
    horizon_days: int,
    cancellation_cutoff_minutes: int,
    slot_step_minutes: int,
) -> Salon:
    return salon_update(
        salon=salon,
        data={
            "min_notice_minutes": min_notice_minutes,
            "horizon_days": horizon_days,
            "cancellation_cutoff_minutes": cancellation_cutoff_minutes,
            "slot_step_minutes": slot_step_minutes,
        },
    )


# Services


def service_create(
    *,
    salon: Salon,
    name: str,
    duration_minutes: int,
    price: Decimal,
    currency: str,
    description: str = "",
    buffer_after_minutes: int = 0,
    is_active: bool = True,
) -> Service:
    service = Service(
        salon=salon,
        name=name,
        description=description,
        duration_minutes=duration_minutes,
        price=price,
        currency=currency,
        buffer_after_minutes=buffer_after_minutes,
        is_active=is_active,
    )
    _clean(service, exclude=["salon"])
    with transaction.atomic():
        service.save()
        schedule_changed_on_commit(salon.id)
    return service


def service_update(*, service: Service, data: dict[str, Any]) -> Service:
    _check_fields(data, SERVICE_FIELDS)
    for field, value in data.items():
        setattr(service, field, value)
    _clean(service, exclude=["salon"])
    with transaction.atomic():
        service.save(update_fields=[*data, "updated_at"])
        schedule_changed_on_commit(service.salon_id)
    return service


# Staff


def staff_member_create(
    *,
    salon: Salon,
    display_name: str,
    service_ids: Sequence[UUID] = (),
    user_email: str | None = None,
) -> StaffMember:
    """A staff member; with `user_email` that user gets a login to the salon as staff."""
    staff_member = StaffMember(salon=salon, display_name=display_name)
    _clean(staff_member, exclude=["salon", "user"])
    services = _services_of_salon(salon=salon, service_ids=service_ids)
    with transaction.atomic():
        staff_member.save()
        staff_member.services.set(services)
        if user_email:
            _link_user(staff_member, user_email)
            _sync_membership(staff_member)
        schedule_changed_on_commit(salon.id)
    return staff_member


def staff_member_update(*, staff_member: StaffMember, data: dict[str, Any]) -> StaffMember:
    """Change display_name, is_active, service_ids and/or user_email (None removes the login)."""
    data = dict(data)
    service_ids = data.pop("service_ids", None)
    unlink = "user_email" in data and not data["user_email"]
    user_email = data.pop("user_email", None)
    _check_fields(data, ("display_name", "is_active"))
    for field, value in data.items():
        setattr(staff_member, field, value)
    _clean(staff_member, exclude=["salon", "user"])
    salon = staff_member.salon
    with transaction.atomic():
        if service_ids is not None:
            staff_member.services.set(_services_of_salon(salon=salon, service_ids=service_ids))
        if unlink or (user_email and user_email.lower() != _email_of(staff_member)):
            _unlink_user(staff_member)
        if user_email:
            _link_user(staff_member, user_email)
        staff_member.save(update_fields=[*data, "user", "updated_at"])
        _sync_membership(staff_member)
        schedule_changed_on_commit(salon.id)
    return staff_member


def _email_of(staff_member: StaffMember) -> str | None:
    return staff_member.user.email.lower() if staff_member.user else None


def _services_of_salon(*, salon: Salon, service_ids: Sequence[UUID]) -> list[Service]:
    wanted = set(service_ids)
    services = list(Service.objects.filter(salon=salon, id__in=wanted))
    if len(services) != len(wanted):
        missing = sorted(str(i) for i in wanted - {s.id for s in services})
        raise ValidationFailed(
            "Some services do not belong to this salon.",
            code="unknown_service",
            details={"service_ids": missing},
        )
    return services


def _link_user(staff_member: StaffMember, email: str) -> None:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationFailed(
            "No account uses this email; ask the person to register first.",
            code="unknown_user",
            details={"user_email": ["No account uses this email."]},
        )
    if staff_member.user_id == user.id:
        return
    staff_member.user = user
    try:
        with transaction.atomic():
            staff_member.save(update_fields=["user", "updated_at"])
    except IntegrityError as exc:
        raise Conflict(
            "This account already belongs to another staff member of the salon.",
            code="staff_user_taken",
        ) from exc


def _unlink_user(staff_member: StaffMember) -> None:
    if staff_member.user_id is None:
        return
    _revoke_staff_membership(staff_member)
    staff_member.user = None


def _sync_membership(staff_member: StaffMember) -> None:
    """An active staff member's login may read the salon; an inactive one's may not."""
    if staff_member.user_id is None:
        return
    if staff_member.is_active:
        SalonMember.objects.get_or_create(
            salon_id=staff_member.salon_id,
            user_id=staff_member.user_id,
            defaults={"role": SalonMember.Role.STAFF},
        )
    else:
        _revoke_staff_membership(staff_member)


def _revoke_staff_membership(staff_member: StaffMember) -> None:
    # Owners who also cut hair keep their owner membership.
    if staff_member.user_id is None:
        return
    SalonMember.objects.filter(
        salon_id=staff_member.salon_id,
        user_id=staff_member.user_id,
        role=SalonMember.Role.STAFF,
    ).delete()


# Weekly hours


def _validate_weekly(intervals: Sequence[WeeklyInterval]) -> list[WeeklyInterval]:
    for index, interval in enumerate(intervals):
        if not 0 <= interval.weekday <= 6:
            raise ValidationFailed(
                "Weekdays run from 0 (Monday) to 6 (Sunday).",
                code="invalid_weekday",
                details={"index": index},
            )
        if interval.start >= interval.end:
            raise ValidationFailed(
                "An interval must end after it starts.",
                code="invalid_interval",
                details={"index": index},
            )
    ordered = sorted(intervals)
    for earlier, later in pairwise(ordered):
        if earlier.weekday == later.weekday and later.start < earlier.end:
            raise ValidationFailed(
                "Intervals on the same day must not overlap.",
                code="overlapping_intervals",
                details={"weekday": later.weekday},
            )
    return ordered


def opening_hours_replace(
    *, salon: Salon, intervals: Sequence[WeeklyInterval]
) -> list[OpeningHours]:
    """Replace the salon's whole weekly opening hours, all or nothing."""
    ordered = _validate_weekly(intervals)
    with transaction.atomic():
        lock_salon(salon.id)  # serializes concurrent replaces
        OpeningHours.objects.filter(salon=salon).delete()
        rows = OpeningHours.objects.bulk_create(
            OpeningHours(salon=salon, weekday=i.weekday, opens=i.start, closes=i.end)
            for i in ordered
        )
        schedule_changed_on_commit(salon.id)
    return rows


def working_hours_replace(
    *, staff_member: StaffMember, intervals: Sequence[WeeklyInterval]
) -> list[WorkingHours]:
    """Replace the staff member's whole weekly working hours, all or nothing."""
    ordered = _validate_weekly(intervals)
    with transaction.atomic():
        lock_staff([staff_member.id], active_only=False)  # serializes concurrent replaces
        WorkingHours.objects.filter(staff=staff_member).delete()
        rows = WorkingHours.objects.bulk_create(
            WorkingHours(staff=staff_member, weekday=i.weekday, starts=i.start, ends=i.end)
            for i in ordered
        )
        schedule_changed_on_commit(staff_member.salon_id)
    return rows


# Closures and time off


def closure_create(
    *, salon: Salon, start_date: dt.date, end_date: dt.date, reason: str = ""
) -> Closure:
    if start_date > end_date:
        raise ValidationFailed(
            "A closure cannot end before it starts.",
            code="invalid_range",
            details={"end_date": ["Must not be before start_date."]},
        )
    with transaction.atomic():
        closure = Closure.objects.create(
            salon=salon, start_date=start_date, end_date=end_date, reason=reason
        )
        schedule_changed_on_commit(salon.id)
    return closure


def closure_delete(*, closure: Closure) -> None:
    with transaction.atomic():
        closure.delete()
        schedule_changed_on_commit(closure.salon_id)


def time_off_create(
    *, staff_member: StaffMember, start: dt.datetime, end: dt.datetime, reason: str = ""
) -> TimeOff:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationFailed("Times need a UTC offset.", code="naive_datetime")
    if start >= end:
        raise ValidationFailed(
            "Time off must end after it starts.",
            code="invalid_range",
            details={"end": ["Must be after start."]},
        )
    with transaction.atomic():
        time_off = TimeOff.objects.create(staff=staff_member, start=start, end=end, reason=reason)
        schedule_changed_on_commit(staff_member.salon_id)
    return time_off


def time_off_delete(*, time_off: TimeOff) -> None:
    salon_id = time_off.staff.salon_id
    with transaction.atomic():
        time_off.delete()
        schedule_changed_on_commit(salon_id)
