"""The database itself refuses a double booking, whoever writes: PostgreSQL's exclusion
constraint, MySQL's triggers (appointments migration 0003). Raw SQL here bypasses the services
and their locks on purpose."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from booking.appointments.models import Appointment, AppointmentStatus
from booking.appointments.tests.factories import AppointmentFactory

CONSTRAINT = "appointment_no_overlap_per_staff"
TIMES = ("start", "end", "occupied_until")


def insert_copy(source: Appointment, *, shift_minutes: int, status: str = "confirmed") -> None:
    """INSERT ... SELECT a copy of `source` moved by `shift_minutes`, as raw SQL."""
    fields = {f.column: f for f in Appointment._meta.concrete_fields}
    quote = connection.ops.quote_name
    given = {
        "id": uuid.uuid4(),
        "status": status,
        **{
            column: getattr(source, column) + dt.timedelta(minutes=shift_minutes)
            for column in TIMES
        },
    }
    selected = [("%s" if column in given else quote(column)) for column in fields]
    params = [
        fields[column].get_db_prep_value(given[column], connection)
        for column in fields
        if column in given
    ]
    params.append(Appointment._meta.pk.get_db_prep_value(source.id, connection))
    table = quote(Appointment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quote(c) for c in fields)}) "
            f"SELECT {', '.join(selected)} FROM {table} WHERE {quote('id')} = %s",
            params,
        )


def move_raw(appointment: Appointment, *, start: dt.datetime, end: dt.datetime) -> None:
    quote = connection.ops.quote_name
    field = Appointment._meta.get_field("start")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Appointment._meta.db_table)} SET {quote('start')} = %s, "
            f"{quote('end')} = %s, {quote('occupied_until')} = %s WHERE {quote('id')} = %s",
            [
                field.get_db_prep_value(start, connection),
                field.get_db_prep_value(end, connection),
                field.get_db_prep_value(end, connection),
                Appointment._meta.pk.get_db_prep_value(appointment.id, connection),
            ],
        )


@pytest.mark.django_db
def test_the_server_rejects_a_direct_insert_of_an_overlapping_active_appointment():
    booked = AppointmentFactory()

    with pytest.raises(IntegrityError, match=CONSTRAINT), transaction.atomic():
        insert_copy(booked, shift_minutes=10)

    assert Appointment.objects.filter(staff=booked.staff).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["completed", "no_show"])
def test_every_occupying_status_holds_the_time(status):
    booked = AppointmentFactory(status=status)

    with pytest.raises(IntegrityError, match=CONSTRAINT), transaction.atomic():
        insert_copy(booked, shift_minutes=0)


@pytest.mark.django_db
def test_a_cancelled_appointment_neither_blocks_nor_is_blocked():
    booked = AppointmentFactory()
    insert_copy(booked, shift_minutes=0, status=AppointmentStatus.CANCELLED_BY_CUSTOMER)
    booked.status = AppointmentStatus.CANCELLED_BY_SALON
    booked.save()
    insert_copy(booked, shift_minutes=0)

    assert Appointment.objects.filter(staff=booked.staff).count() == 3


@pytest.mark.django_db
def test_back_to_back_appointments_do_not_overlap():
    booked = AppointmentFactory()
    minutes = (booked.occupied_until - booked.start) // dt.timedelta(minutes=1)
    insert_copy(booked, shift_minutes=minutes)
    insert_copy(booked, shift_minutes=-minutes)

    assert Appointment.objects.filter(staff=booked.staff).count() == 3


@pytest.mark.django_db
def test_the_server_rejects_a_direct_update_onto_another_appointment():
    first = AppointmentFactory()
    later = first.start + dt.timedelta(hours=3)
    second = AppointmentFactory(
        service=first.service, staff=first.staff, start=later, customer=first.customer
    )

    with pytest.raises(IntegrityError, match=CONSTRAINT), transaction.atomic():
        move_raw(second, start=first.start, end=first.end)


@pytest.mark.django_db
def test_the_server_rejects_reviving_a_cancelled_appointment_onto_a_taken_time():
    cancelled = AppointmentFactory(status=AppointmentStatus.CANCELLED_BY_CUSTOMER)
    insert_copy(cancelled, shift_minutes=0)
    cancelled.status = AppointmentStatus.CONFIRMED

    with pytest.raises(IntegrityError, match=CONSTRAINT), transaction.atomic():
        cancelled.save(update_fields=["status"])


RAW_RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_direct_inserts_for_one_staff_member_leave_exactly_one():
    """Each racer inserts on its own connection and holds its transaction open a moment, so
    a check that did not wait for the others' commits would let several through."""
    booked = AppointmentFactory(status=AppointmentStatus.CANCELLED_BY_CUSTOMER)
    barrier = threading.Barrier(RAW_RACERS)

    def attempt(_: int) -> str:
        try:
            barrier.wait()
            with transaction.atomic():
                insert_copy(booked, shift_minutes=5)
                time.sleep(0.3)
            return "inserted"
        except IntegrityError:
            return "rejected"
        except OperationalError as exc:
            # Two racers each waiting on the other's row: the database breaks the cycle by
            # rolling one back (PostgreSQL checking the exclusion constraint, InnoDB's locks).
            if "deadlock" not in str(exc).lower():
                raise
            return "rejected"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=RAW_RACERS) as pool:
        outcomes = sorted(pool.map(attempt, range(RAW_RACERS)))

    assert outcomes == ["inserted"] + ["rejected"] * (RAW_RACERS - 1)
    active = Appointment.objects.filter(staff=booked.staff, status=AppointmentStatus.CONFIRMED)
    assert active.count() == 1
