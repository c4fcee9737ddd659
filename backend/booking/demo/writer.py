"""Writes a planned demo data set, adding only what the database does not have yet.

Salons whose slug exists and users whose email exists are left alone, so writing the same plan
again adds nothing. Rows go in with PostgreSQL's COPY (several times faster than INSERT for the
tens of thousands of appointment rows), then ANALYZE, or bulk_create on other databases.
After the commit, `vacuum_loaded` VACUUMs what was loaded.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone

from booking.accounts.models import User
from booking.addresses.models import Address
from booking.appointments.models import Appointment
from booking.demo.planner import Plan
from booking.demo.tables import DEMO_PASSWORD
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

BATCH = 2000
StaffService = StaffMember.services.through
# Fields whose Python value PostgreSQL's COPY takes as it is (others go through the field).
_PLAIN_FIELDS = (
    models.UUIDField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,  # and DateTimeField
    models.TimeField,
    models.DecimalField,
    models.ForeignKey,
)


def plan_write(plan: Plan) -> dict[str, int]:
    """Insert what of `plan` is new; how many rows of each kind were created."""
    new_users = _new_users(plan)
    created_users = _insert(User, new_users)
    users = _user_ids([user.email for user in plan.users])
    taken = _existing(Salon, "slug", [salon.slug for salon in plan.salons])
    new = {salon.id for salon in plan.salons if salon.slug not in taken}
    staff = [member for member in plan.staff if member.salon_id in new]
    staff_ids = {member.id for member in staff}
    for member, email in plan.staff_logins:
        member.user_id = users[email]
    for appointment, email in plan.appointments:
        appointment.customer_id = users[email]
    salons = [salon for salon in plan.salons if salon.id in new]
    return {
        "users": created_users,
        "email_addresses": _insert(EmailAddress, _verified_addresses(new_users, users)),
        "addresses": _insert(Address, [salon.address for salon in salons]),
        "salons": _insert(Salon, salons),
        "members": _insert(SalonMember, _memberships(plan, users, new)),
        "services": _insert(Service, [s for s in plan.services if s.salon_id in new]),
        "staff": _insert(StaffMember, staff),
        "staff_services": _insert(StaffService, _staff_services(plan, staff_ids)),
        "opening_hours": _insert(
            OpeningHours, [hours for hours in plan.opening_hours if hours.salon_id in new]
        ),
        "working_hours": _insert(
            WorkingHours, [hours for hours in plan.working_hours if hours.staff_id in staff_ids]
        ),
        "closures": _insert(Closure, [c for c in plan.closures if c.salon_id in new]),
        "time_off": _insert(TimeOff, [t for t in plan.time_off if t.staff_id in staff_ids]),
        "appointments": _insert(
            Appointment, [a for a, _ in plan.appointments if a.salon_id in new]
        ),
    }


def _new_users(plan: Plan) -> list[User]:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is the slow part
    known = _existing(User, "email", [user.email for user in plan.users])
    new_users = [user for user in plan.users if user.email not in known]
    for user in new_users:
        user.password = password
    return new_users


def _verified_addresses(new_users: list[User], ids: dict[str, uuid.UUID]) -> list[EmailAddress]:
    """The demo logins sign in through allauth, which asks for a verified address (as the
    users that existed before allauth got one, migration accounts.0003)."""
    return [
        EmailAddress(user_id=ids[user.email], email=user.email, primary=True, verified=True)
        for user in new_users
    ]


def _memberships(plan: Plan, users: dict[str, uuid.UUID], new: set[uuid.UUID]) -> list[Any]:
    owners = [
        SalonMember(id=uuid.uuid5(salon.id, email), salon=salon, user_id=users[email], role=role)
        for salon, email, role in plan.members
        if salon.id in new
    ]
    staff = [
        SalonMember(
            id=uuid.uuid5(member.salon.id, email),
            salon=member.salon,
            user_id=users[email],
            role=SalonMember.Role.STAFF,
        )
        for member, email in plan.staff_logins
        if member.salon_id in new
    ]
    return owners + staff


def _staff_services(plan: Plan, staff_ids: set[uuid.UUID]) -> list[Any]:
    return [
        StaffService(staffmember_id=member.id, service_id=service.id)
        for member, service in plan.staff_services
        if member.id in staff_ids
    ]


def _existing(model: type[models.Model], field_name: str, values: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(values, BATCH):
        rows = model._default_manager.filter(**{f"{field_name}__in": chunk})
        found.update(rows.values_list(field_name, flat=True))
    return found


# Every table plan_write loads.
LOADED = (
    User,
    EmailAddress,
    Address,
    Salon,
    SalonMember,
    Service,
    StaffMember,
    StaffService,
    OpeningHours,
    WorkingHours,
    Closure,
    TimeOff,
    Appointment,
)


def vacuum_loaded() -> None:
    """VACUUM the loaded tables on PostgreSQL, once committed (VACUUM refuses to run inside a
    transaction; in one, nothing is done). It sets the rows' hint bits and the visibility map
    now, as autovacuum would later: otherwise the first readers pay for it on the primary and
    the replica, index-only scans fetch every row from the table (the list's deep page read
    1010 pages at 10000 salons), and autovacuum does it in the middle of whatever runs next."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in LOADED:
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")


def _user_ids(emails: Sequence[str]) -> dict[str, uuid.UUID]:
    ids: dict[str, uuid.UUID] = {}
    for chunk in _chunks(sorted(set(emails)), BATCH):
        ids.update(User.objects.filter(email__in=chunk).values_list("email", "id"))
    return ids


def _insert(model: Any, rows: Sequence[Any]) -> int:
    if connection.vendor == "postgresql":
        _copy(model, rows)
    else:
        _bulk_create(model, rows)
    return len(rows)


def _bulk_create(model: Any, rows: Sequence[Any]) -> None:
    for chunk in _chunks(rows, BATCH):
        model._default_manager.bulk_create(chunk)


def _copy(model: Any, rows: Sequence[Any]) -> None:
    """COPY the rows in: what bulk_create would insert, without building INSERT statements.

    Database-generated keys (the through table's) are left to the database; auto_now fields get
    one timestamp for the whole load.
    """
    fields = [field for field in model._meta.concrete_fields if not field.db_returning]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    values = [_value_of(field, timezone.now()) for field in fields]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([value(row) for value in values])
    # Fresh statistics: until autovacuum gets to a freshly loaded table, the planner guesses
    # (it took the exclusion constraint's GiST index for the busy-time query: 2.3 ms and 905
    # buffers against 0.05 ms and 8 on a btree, before that query stopped offering it).
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def _value_of(field: Any, now: Any) -> Callable[[Any], Any]:
    """How to read `field` of an instance as COPY wants it."""
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda row: getattr(row, attname) or now
    if isinstance(field, _PLAIN_FIELDS):
        return lambda row: getattr(row, attname)
    if isinstance(field, models.CharField | models.TextField) and not field.choices:
        return lambda row: getattr(row, attname)
    if type(field) is models.CharField:  # with choices: an enum member, written as its value
        return lambda row: _plain(getattr(row, attname))
    prepare = field.get_db_prep_save
    return lambda row: prepare(getattr(row, attname), connection)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _chunks(rows: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
