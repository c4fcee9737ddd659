"""What a booking's notifications cost: SQL statements, and the worker's CPU (printed).

`pytest -s -k cost` prints CPU time per notification for `NOTIFY_COST_BOOKINGS` bookings
(default 20), each a customer confirmation e-mail (with its .ics) and the owners' notice,
sent by the batch task in-process through the locmem e-mail backend.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.appointments import services as booking_services
from booking.appointments.services import appointment_book
from booking.notifications.models import Kind, Notification, Status
from booking.notifications.services import notifications_for_change
from booking.notifications.tasks import send_notifications
from booking.salons.tests.factories import SalonMemberFactory, open_salon

pytestmark = pytest.mark.django_db

BOOKINGS = int(os.environ.get("NOTIFY_COST_BOOKINGS", "20"))
BERLIN = ZoneInfo("Europe/Berlin")


def test_a_booking_writes_its_notifications_in_three_statements_and_sends_them_in_three(
    monkeypatch, django_capture_on_commit_callbacks
):
    writes: list[int] = []

    def counted(**kwargs: Any) -> list[Notification]:
        with CaptureQueriesContext(connection) as queries:
            rows = notifications_for_change(**kwargs)
        writes.append(len(queries.captured_queries))
        return rows

    monkeypatch.setattr(booking_services, "notifications_for_change", counted)
    salon, service, _ = open_salon()  # its staff have no login: the owner hears of bookings
    SalonMemberFactory(salon=salon)
    batches = []
    for start in _slots(BOOKINGS):
        with django_capture_on_commit_callbacks(execute=False):
            booked = appointment_book(customer=UserFactory(), service=service, start=start)
        batches.append(_immediate_ids(booked.id))

    cpu, sends = [], []
    database_before = _database_cpu()
    for ids in batches:
        with CaptureQueriesContext(connection) as queries:
            started = time.process_time()
            assert send_notifications.apply(args=[ids]).get() == ["sent", "sent"]
            cpu.append((time.process_time() - started) / len(ids))
        sends.append(len(queries.captured_queries))

    database = _database_cpu() - database_before
    print(f"\nstatements: {writes[-1]} to write a booking's rows, {sends[-1]} to send them")
    # The owners, whether the customer's address is verified (for reminders), one INSERT.
    assert set(writes) == {3}
    # One claim, one joined read, one UPDATE recording both as sent.
    assert set(sends) == {3}
    assert Notification.objects.filter(status=Status.SENT).count() == 2 * BOOKINGS
    warm = cpu[len(cpu) // 4 :]
    print(
        f"\nworker CPU per notification over {len(warm)} bookings: median "
        f"{statistics.median(warm) * 1000:.2f} ms, min {min(warm) * 1000:.2f} ms; "
        f"database server process: {database * 1000 / (2 * BOOKINGS):.2f} ms"
    )


def _database_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (when it runs on this machine)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone() or (0,)
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _slots(count: int) -> list[dt.datetime]:
    """Half-hour slots from 10:00 to 16:00 (Berlin), from the day after tomorrow on."""
    first = (dt.datetime.now(BERLIN) + dt.timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    return [first + dt.timedelta(days=n // 12, minutes=30 * (n % 12)) for n in range(count)]


def _immediate_ids(appointment_id: object) -> list[str]:
    rows = Notification.objects.filter(appointment_id=appointment_id).exclude(kind=Kind.REMINDER)
    return [str(i) for i in rows.order_by("kind").values_list("id", flat=True)]
