from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from booking.accounts.models import User
from booking.addresses.models import Address
from booking.appointments.models import Appointment
from booking.demo import writer
from booking.demo.planner import demo_data_plan
from booking.demo.services import demo_data_seed
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

pytestmark = pytest.mark.django_db
TODAY = dt.date(2030, 3, 6)
MODELS = (
    User,
    Address,
    Salon,
    SalonMember,
    Service,
    StaffMember,
    StaffMember.services.through,
    OpeningHours,
    WorkingHours,
    Closure,
    TimeOff,
    Appointment,
)
# Differ between any two writes: salted hashes, timestamps, database-generated keys.
UNSTABLE = {"password", "date_joined", "last_login", "created_at", "updated_at"}


def written_rows() -> dict[str, list[tuple]]:
    rows = {}
    for model in MODELS:
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if field.attname not in UNSTABLE and not field.db_returning
        ]
        rows[model.__name__] = sorted(model.objects.values_list(*names), key=repr)
    return rows


def write_and_read_back() -> dict[str, list[tuple]]:
    with transaction.atomic():
        writer.plan_write(demo_data_plan(salons=3, seed=4, today=TODAY))
        rows = written_rows()
        transaction.set_rollback(True)
    return rows


def test_copy_writes_exactly_what_bulk_create_writes(monkeypatch):
    copied = write_and_read_back()
    monkeypatch.setattr(writer, "_copy", writer._bulk_create)
    assert write_and_read_back() == copied
    assert len(copied["Appointment"]) > 0


def test_copy_fills_in_the_timestamps(monkeypatch):
    writer.plan_write(demo_data_plan(salons=1, seed=4, today=TODAY))
    assert not Appointment.objects.filter(created_at__isnull=True).exists()
    assert not WorkingHours.objects.filter(updated_at__isnull=True).exists()


def test_a_copied_table_has_planner_statistics_at_once():
    if connection.vendor != "postgresql":
        pytest.skip("COPY and ANALYZE are PostgreSQL's; elsewhere bulk_create inserts")
    writer.plan_write(demo_data_plan(salons=3, seed=4, today=TODAY))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [Appointment._meta.db_table],
        )
        assert cursor.fetchone()[0] == Appointment.objects.count()


@pytest.mark.django_db(transaction=True)  # VACUUM runs only outside a transaction
@pytest.mark.postgres_only(reason="VACUUM and the visibility map are PostgreSQL's")
def test_a_seed_leaves_its_tables_vacuumed_as_autovacuum_would():
    demo_data_seed(salons=2, seed=4, today=TODAY)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relallvisible FROM pg_class WHERE oid = %s::regclass",
            [Appointment._meta.db_table],
        )
        assert cursor.fetchone()[0] > 0  # index-only scans need not visit these pages


def test_inside_a_transaction_nothing_is_vacuumed(django_assert_num_queries):
    with django_assert_num_queries(0):
        writer.vacuum_loaded()  # the test's own transaction is open
