"""What a booking's notifications cost: SQL statements and worker CPU, measured in-process.

Run with `-s` to see the figures (`NOTIFY_COST_BOOKINGS` bookings, default 40).
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from booking.appointments.models import Appointment
from booking.appointments.tests.factories import AppointmentFactory
from booking.notifications.models import Kind, Notification
from booking.notifications.services import notifications_for_change
from booking.notifications.tasks import send_notifications
from booking.salons.tests.factories import SalonMemberFactory

pytestmark = pytest.mark.django_db

BOOKINGS = int(os.environ.get("NOTIFY_COST_BOOKINGS", "40"))


def _booked(django_capture_on_commit_callbacks) -> tuple[list[str], int]:
    """A new appointment's outbox rows (customer e-mail + owner notice) and the write's statements."""
    appointment = AppointmentFactory()
    SalonMemberFactory(salon=appointment.salon)
    appointment = Appointment.objects.select_related(
        "salon__address", "service", "staff", "customer"
    ).get(id=appointment.id)
    with (
        django_capture_on_commit_callbacks(execute=False),
        transaction.atomic(),
        CaptureQueriesContext(connection) as queries,
    ):
        rows = notifications_for_change(appointment=appointment, change="booked")
    if os.environ.get("NOTIFY_SQL"):
        print("\n".join(q["sql"][:300] for q in queries.captured_queries))
    return [str(r.id) for r in rows if r.kind != Kind.REMINDER], len(queries.captured_queries)


def test_what_a_booking_s_notifications_cost(django_capture_on_commit_callbacks):
    batches = [_booked(django_capture_on_commit_callbacks) for _ in range(BOOKINGS)]
    cpu, statements = [], []
    import cProfile

    prof = cProfile.Profile(time.process_time)
    for n, (ids, _) in enumerate(batches):
        if n == 5 and os.environ.get("NOTIFY_PROFILE"):
            prof.enable()
        with CaptureQueriesContext(connection) as queries:
            started = time.process_time()
            outcomes = send_notifications.apply(args=[ids]).get()
            cpu.append((time.process_time() - started) / len(ids))
        statements.append(len(queries.captured_queries))
        assert set(outcomes) == {"sent"}
    prof.disable()
    if os.environ.get("NOTIFY_PROFILE"):
        prof.dump_stats(os.environ["NOTIFY_PROFILE"])
    warm = cpu[5:]
    print(
        f"\nwrite: {batches[-1][1]} statements; send batch of {len(batches[-1][0])}: "
        f"{statements[-1]} statements; worker CPU per notification: median "
        f"{statistics.median(warm) * 1000:.2f} ms (min {min(warm) * 1000:.2f}, n={len(warm)})"
    )
    assert Notification.objects.filter(status="sent").count() == sum(len(b[0]) for b in batches)
