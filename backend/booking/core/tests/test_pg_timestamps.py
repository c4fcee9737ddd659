"""PostgreSQL timestamps come back as Django's loader gave them, parsed by psycopg's C loader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from booking.core.pg_timestamps import (
    TIMESTAMPTZ,
    UtcTimestamptzLoader,
    use_psycopg_timestamp_loader,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loader only"),
]

INSTANTS = [
    "2026-03-29 00:59:59.999999+00",
    "2026-10-25 01:30:00+02",
    "1969-12-31 23:59:59.5+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2026-06-01 12:00:00-09:30",
]


def loader_in_use() -> type:
    adapters = connection.connection.adapters
    return adapters.get_loader(adapters.types[TIMESTAMPTZ].oid, Format.TEXT)


def read(instants: list[str]) -> list[dt.datetime]:
    with connection.cursor() as cursor:
        marks = ", ".join(["%s::timestamptz"] * len(instants))
        cursor.execute(f"SELECT {marks}", instants)
        return list(cursor.fetchone())


def test_a_new_connection_reads_timestamps_as_djangos_loader_did():
    connection.ensure_connection()
    assert loader_in_use() is UtcTimestamptzLoader
    fast = read(INSTANTS)

    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor)  # Django's own, on this cursor only
        marks = ", ".join(["%s::timestamptz"] * len(INSTANTS))
        cursor.execute(f"SELECT {marks}", INSTANTS)
        django = list(cursor.fetchone())

    assert fast == django
    assert [value.tzinfo for value in fast] == [dt.UTC] * len(INSTANTS)
    assert fast[1] == dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC)


def test_a_session_in_another_time_zone_keeps_djangos_loader():
    connection.ensure_connection()
    session = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Europe/Berlin'")
    try:
        register_tzloader(connection.timezone, session)
        use_psycopg_timestamp_loader(sender=None, connection=connection)
        assert loader_in_use() is not UtcTimestamptzLoader
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
        use_psycopg_timestamp_loader(sender=None, connection=connection)
    assert loader_in_use() is UtcTimestamptzLoader
