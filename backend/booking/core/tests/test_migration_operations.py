"""Index changes that leave bookings writing: CONCURRENTLY on PostgreSQL, plain elsewhere."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)  # CONCURRENTLY is refused inside a transaction
def test_the_busy_time_index_is_swapped_without_blocking_writes() -> None:
    out = StringIO()
    call_command("sqlmigrate", "appointments", "0004", stdout=out)
    statements = [line for line in out.getvalue().splitlines() if not line.startswith("--")]
    if connection.vendor == "postgresql":
        assert statements[0].startswith('CREATE INDEX CONCURRENTLY "appointment_staff_until"')
        assert statements[1] == 'DROP INDEX CONCURRENTLY IF EXISTS "appointment_staff_start";'
    else:  # InnoDB builds a secondary index online; SQLite is the development database
        assert "CONCURRENTLY" not in out.getvalue()
        assert any("appointment_staff_until" in statement for statement in statements)
