from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.appointments import services
from booking.appointments.models import Appointment, AppointmentStatus
from booking.appointments.services import appointment_book
from booking.appointments.tests.factories import AppointmentFactory
from booking.core.constraints import database_refuses_overlaps
from booking.core.errors import NotFound, SlotUnavailable
from booking.salons.tests.factories import ServiceFactory, StaffMemberFactory, open_salon

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)
TEN = dt.datetime(2026, 3, 2, 10, tzinfo=BERLIN)


def test_it_books_a_free_slot_and_snapshots_the_price():
    salon, service, [stylist] = open_salon(buffer_after_minutes=10)
    customer = UserFactory()
    appointment = appointment_book(customer=customer, service=service, start=TEN, now=NOW)
    service.price = Decimal("99.00")
    service.save()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert appointment.staff == stylist
    assert appointment.price == Decimal("35.00")
    assert appointment.end == TEN + dt.timedelta(minutes=30)
    assert appointment.occupied_until == TEN + dt.timedelta(minutes=40)


def test_it_rejects_an_overlapping_slot():
    salon, service, [stylist] = open_salon()
    appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    # A caller that goes on after a refusal keeps its transaction usable with a savepoint.
    with pytest.raises(SlotUnavailable), transaction.atomic():
        appointment_book(
            customer=UserFactory(), service=service, start=TEN + dt.timedelta(minutes=15), now=NOW
        )
    assert Appointment.objects.count() == 1


def test_it_rejects_a_time_that_is_not_on_the_grid():
    _, service, _ = open_salon()
    with pytest.raises(SlotUnavailable):
        appointment_book(
            customer=UserFactory(), service=service, start=TEN + dt.timedelta(minutes=7), now=NOW
        )


def test_it_rejects_a_time_outside_opening_hours():
    _, service, _ = open_salon(opens=dt.time(9), closes=dt.time(17))
    with pytest.raises(SlotUnavailable):
        appointment_book(
            customer=UserFactory(),
            service=service,
            start=dt.datetime(2026, 3, 2, 16, 45, tzinfo=BERLIN),
            now=NOW,
        )


def test_without_staff_it_picks_the_first_free_qualified_member_deterministically():
    _, service, staff = open_salon(staff_count=3)
    ordered = sorted(staff, key=lambda member: member.id)
    first = appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    second = appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    assert [first.staff, second.staff] == ordered[:2]


def test_it_books_the_requested_staff_member():
    _, service, staff = open_salon(staff_count=2)
    chosen = max(staff, key=lambda member: member.id)
    appointment = appointment_book(
        customer=UserFactory(), service=service, start=TEN, staff_id=chosen.id, now=NOW
    )
    assert appointment.staff == chosen


def test_a_requested_staff_member_is_booked_without_reading_the_appointments():
    _, service, [stylist] = open_salon()
    services.salon_schedule(service.salon_id)  # the rules come from the cached snapshot
    with CaptureQueriesContext(connection) as queries:
        appointment_book(
            customer=UserFactory(), service=service, start=TEN, staff_id=stylist.id, now=NOW
        )
    statements = [query["sql"] for query in queries.captured_queries]
    reads = [
        sql for sql in statements if sql.startswith("SELECT") and "appointments_appoint" in sql
    ]
    on_sqlite = not database_refuses_overlaps()  # there the service's own read is the judge
    assert len(reads) == (1 if on_sqlite else 0)


def test_it_rejects_a_staff_member_who_does_not_perform_the_service():
    salon, service, _ = open_salon()
    other_service = ServiceFactory(salon=salon)
    outsider = StaffMemberFactory(salon=salon, services=[other_service])
    with pytest.raises(NotFound) as error:
        appointment_book(
            customer=UserFactory(), service=service, start=TEN, staff_id=outsider.id, now=NOW
        )
    assert error.value.code == "staff_not_found"


def test_the_database_refuses_overlaps_even_when_the_service_is_bypassed():
    _, service, [stylist] = open_salon()
    AppointmentFactory(service=service, staff=stylist, start=TEN)
    with pytest.raises(IntegrityError):
        AppointmentFactory(service=service, staff=stylist, start=TEN + dt.timedelta(minutes=10))


def test_an_overlap_only_the_database_sees_is_reported_as_slot_unavailable(monkeypatch):
    _, service, [stylist] = open_salon()
    AppointmentFactory(service=service, staff=stylist, start=TEN)
    # The application's own check is blind here: the constraint (PostgreSQL) or the trigger
    # (MySQL) refuses the row, and the service says what a client must hear.
    monkeypatch.setattr(services, "_free_staff_at", lambda **_: stylist)
    with pytest.raises(SlotUnavailable) as error, transaction.atomic():
        appointment_book(customer=UserFactory(), service=service, start=TEN, now=NOW)
    assert error.value.code == "slot_unavailable"
    assert Appointment.objects.count() == 1


def test_the_database_allows_overlap_with_a_cancelled_appointment():
    _, service, [stylist] = open_salon()
    AppointmentFactory(
        service=service, staff=stylist, start=TEN, status=AppointmentStatus.CANCELLED_BY_SALON
    )
    AppointmentFactory(service=service, staff=stylist, start=TEN)
    assert Appointment.objects.count() == 2
