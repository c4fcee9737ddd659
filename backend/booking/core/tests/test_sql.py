"""Hand-written statements: joined selects as model instances, values through the fields."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.accounts.tests.factories import UserFactory
from booking.appointments.models import Appointment
from booking.appointments.tests.factories import AppointmentFactory
from booking.core import sql
from booking.core.models import IdempotencyRecord
from booking.notifications.models import Notification
from booking.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
ALIAS = DEFAULT_DB_ALIAS
_BY_ID = sql.JoinedSelect(
    Notification,
    ("kind", "appointment__start", "appointment__salon__name", "appointment__customer__email"),
)


def select_by_id(*ids: uuid.UUID) -> list[Notification]:
    params = [sql.prepared(ALIAS, Notification, "id", i) for i in ids]
    return _BY_ID.load(ALIAS, _BY_ID.where(ALIAS, ("id", len(ids))), params)


def test_a_joined_select_gives_instances_with_their_related_objects_in_one_query():
    notification = NotificationFactory(kind="reminder")
    appointment = notification.appointment

    with CaptureQueriesContext(connection) as queries:
        (found,) = select_by_id(notification.id)
        seen = (
            found.id,
            found.kind,
            found.appointment.start,
            found.appointment.salon.name,
            found.appointment.customer.email,
        )

    assert len(queries) == 1
    assert seen == (
        notification.id,
        "reminder",
        appointment.start,
        appointment.salon.name,
        appointment.customer.email,
    )
    assert isinstance(found.appointment.start, dt.datetime) and found.appointment.start.tzinfo
    assert isinstance(found.appointment.id, uuid.UUID)


def test_extra_expressions_follow_the_models_columns_and_instances_ignore_them():
    notification = NotificationFactory(kind="reminder")
    statement = _BY_ID.where(
        ALIAS, "id", extra=(f"{_BY_ID.column(ALIAS, 'appointment__salon__name')} = %s",)
    )
    name = notification.appointment.salon.name
    params = [name, sql.prepared(ALIAS, Notification, "id", notification.id)]

    rows = sql.fetch(ALIAS, statement, params)
    (found,) = _BY_ID.objects(ALIAS, rows)

    assert bool(rows[0][-1]) is True
    assert (found.id, found.appointment.salon.name) == (notification.id, name)


def test_a_star_selects_every_field_of_its_model():
    notification = NotificationFactory()
    everything = sql.JoinedSelect(Notification, ("*", "appointment__*"))
    statement = f"{everything.select(ALIAS)} WHERE {everything.column(ALIAS, 'id')} = %s"

    (found,) = everything.objects(
        ALIAS,
        sql.fetch(ALIAS, statement, [sql.prepared(ALIAS, Notification, "id", notification.id)]),
    )

    assert found.get_deferred_fields() == set()
    assert found.appointment.get_deferred_fields() == set()
    assert found.appointment.price == notification.appointment.price


def test_a_null_foreign_key_gives_no_related_object():
    notification = NotificationFactory(
        appointment=None, kind="account_email", recipient="someone@example.com"
    )

    (found,) = select_by_id(notification.id)

    assert found.appointment is None


def test_a_field_not_selected_is_deferred_and_read_on_demand():
    notification = NotificationFactory(recipient="someone@example.com")

    (found,) = select_by_id(notification.id)

    assert "recipient" in found.get_deferred_fields()
    with CaptureQueriesContext(connection) as queries:
        assert found.recipient == "someone@example.com"
    assert len(queries) == 1


def test_an_unknown_or_reverse_field_is_refused_when_the_select_is_declared():
    with pytest.raises(Exception, match="no_such_field"):
        sql.JoinedSelect(Notification, ("appointment__no_such_field",)).select(ALIAS)
    with pytest.raises(AssertionError):
        sql.field(Appointment, "notifications")  # a reverse relation has no column


def test_values_read_back_go_through_the_fields_converters():
    appointment = AppointmentFactory()
    statement = (
        f"SELECT {sql.column(ALIAS, Appointment, 'start')}, {sql.column(ALIAS, Appointment, 'id')} "
        f"FROM {sql.table(ALIAS, Appointment)} WHERE {sql.column(ALIAS, Appointment, 'id')} = %s"
    )
    ((start, appointment_id),) = sql.fetch(
        ALIAS, statement, [sql.prepared(ALIAS, Appointment, "id", appointment.id)]
    )

    assert sql.python_value(ALIAS, Appointment, "start", start) == appointment.start
    assert sql.python_value(ALIAS, Appointment, "id", appointment_id) == appointment.id


def test_execute_reports_the_rows_a_write_touched():
    first, second = NotificationFactory(), NotificationFactory()
    statement = (
        f"UPDATE {sql.table(ALIAS, Notification)} SET {sql.column(ALIAS, Notification, 'language')}"
        f" = %s WHERE {sql.column(ALIAS, Notification, 'id')} IN (%s, %s)"
    )
    params = ["de", *(sql.prepared(ALIAS, Notification, "id", n.id) for n in (first, second))]

    assert sql.execute(ALIAS, statement, params) == 2
    assert set(Notification.objects.values_list("language", flat=True)) == {"de"}


def test_insert_writes_new_rows_in_one_statement_with_their_auto_now_fields():
    appointment = AppointmentFactory()
    rows = [
        Notification(
            appointment=appointment,
            channel="email",
            kind=kind,
            recipient="someone@example.com",
            due_at=appointment.start,
            dedupe_key=f"insert:{kind}",
        )
        for kind in ("booking_confirmation", "new_booking_for_staff")
    ]

    with CaptureQueriesContext(connection) as queries:
        sql.insert(ALIAS, rows)

    assert len(queries) == 1
    assert all(row.created_at is not None and not row._state.adding for row in rows)
    stored = Notification.objects.filter(appointment=appointment).order_by("kind")
    assert [(n.kind, n.status, n.created_at) for n in stored] == [
        (row.kind, "pending", row.created_at) for row in rows
    ]


def test_an_unset_auto_numbered_key_is_left_to_the_database():
    user = UserFactory()
    records = [
        IdempotencyRecord(
            user=user,
            key=f"key-{n}",
            scope="s",
            request_fingerprint="f",
            response_status=201,
            response_body={"n": n},
            expires_at=timezone.now(),
        )
        for n in range(2)
    ]

    with CaptureQueriesContext(connection) as queries:
        sql.insert(ALIAS, records)

    assert len(queries) == 1
    stored = IdempotencyRecord.objects.order_by("key")
    assert [(r.key, r.response_body) for r in stored] == [("key-0", {"n": 0}), ("key-1", {"n": 1})]
    assert len({r.pk for r in stored}) == 2


def test_rows_with_and_without_their_primary_key_are_not_mixed():
    user = UserFactory()
    fields = {"user": user, "scope": "s", "request_fingerprint": "f", "response_status": 201}
    rows = [
        IdempotencyRecord(pk=n, key=str(n), response_body={}, expires_at=timezone.now(), **fields)
        for n in (7, None)
    ]

    with pytest.raises(AssertionError, match="every row's primary key"):
        sql.insert(ALIAS, rows)


def test_an_insert_that_breaks_a_constraint_raises_integrity_error_and_writes_nothing():
    existing = NotificationFactory(dedupe_key="taken")
    again = Notification(
        appointment=existing.appointment,
        channel="email",
        kind="reminder",
        recipient="someone@example.com",
        due_at=existing.due_at,
        dedupe_key="taken",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        sql.insert(ALIAS, [again])
    assert Notification.objects.count() == 1


def test_conditions_compare_ranges_and_rows_come_in_the_order_asked():
    first = AppointmentFactory()
    start = first.start
    later = [
        AppointmentFactory(salon=first.salon, start=start + dt.timedelta(hours=h))
        for h in (3, 1, 2)
    ]
    select = sql.JoinedSelect(Appointment, ("start",))
    statement = select.where(ALIAS, "salon", "start__gt", "start__lte", order_by=("-start", "id"))
    params = [
        sql.prepared(ALIAS, Appointment, "salon", first.salon_id),
        sql.prepared(ALIAS, Appointment, "start", start),
        sql.prepared(ALIAS, Appointment, "start", start + dt.timedelta(hours=2)),
    ]
    found = [a.start for a in select.load(ALIAS, statement, params)]
    assert found == sorted(
        (a.start for a in later if a.start <= start + dt.timedelta(hours=2)), reverse=True
    )
