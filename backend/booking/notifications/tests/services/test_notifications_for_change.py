from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from booking.accounts.tests.factories import UserFactory
from booking.appointments.services import (
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
)
from booking.notifications.models import Kind, Notification
from booking.salons.models import SalonMember
from booking.salons.tests.factories import SalonMemberFactory, open_salon

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def salon():
    salon, service, [stylist] = open_salon()
    stylist.user = UserFactory(email="stylist@example.com")
    stylist.save()
    return salon, service, stylist


def kinds(appointment) -> list[tuple[str, str, str]]:
    return sorted(appointment.notifications.values_list("kind", "channel", "recipient"))


def test_a_booking_writes_confirmation_staff_notice_and_reminders(
    salon, django_capture_on_commit_callbacks, monkeypatch
):
    _, service, _ = salon
    customer = UserFactory(email="c@example.com", phone="+491701234567", notify_by_sms=True)
    start = dt.datetime(2026, 3, 4, 10, tzinfo=BERLIN)
    batches = []
    monkeypatch.setattr(
        "booking.notifications.services.enqueue_sends",
        lambda ids: batches.append(list(ids)) or True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(customer=customer, service=service, start=start)
    assert kinds(appointment) == [
        ("booking_confirmation", "email", "c@example.com"),
        ("booking_confirmation", "sms", "+491701234567"),
        ("new_booking_for_staff", "email", "stylist@example.com"),
        ("reminder", "email", "c@example.com"),
        ("reminder", "email", "c@example.com"),
        ("reminder", "sms", "+491701234567"),
        ("reminder", "sms", "+491701234567"),
    ]
    reminders = appointment.notifications.filter(kind=Kind.REMINDER, channel="email")
    assert sorted(start - r.due_at for r in reminders) == [
        dt.timedelta(hours=2),
        dt.timedelta(hours=24),
    ]
    # Only the immediate ones are enqueued after commit; reminders wait for the sweep.
    immediate = appointment.notifications.exclude(kind=Kind.REMINDER).values_list("id", flat=True)
    assert len(batches) == 1  # one broker message for the booking
    assert sorted(batches[0]) == sorted(immediate)


def test_sms_is_skipped_without_opt_in(salon):
    _, service, _ = salon
    customer = UserFactory(phone="+491701234567", notify_by_sms=False)
    appointment = appointment_book(
        customer=customer, service=service, start=dt.datetime(2026, 3, 4, 10, tzinfo=BERLIN)
    )
    assert not appointment.notifications.filter(channel="sms").exists()


def test_without_a_staff_login_the_owners_hear_of_the_booking():
    salon, service, _ = open_salon()
    owner = SalonMemberFactory(salon=salon, role=SalonMember.Role.OWNER).user
    appointment = appointment_book(
        customer=UserFactory(), service=service, start=dt.datetime(2026, 3, 4, 10, tzinfo=BERLIN)
    )
    assert appointment.notifications.get(kind=Kind.NEW_BOOKING_FOR_STAFF).recipient == owner.email


def test_reminders_already_due_at_booking_time_are_not_written(salon):
    _, service, _ = salon
    appointment = appointment_book(
        customer=UserFactory(), service=service, start=dt.datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    )  # 24 h before is in the past
    assert appointment.notifications.filter(kind=Kind.REMINDER).count() == 1


def test_rescheduling_replaces_pending_reminders_and_notifies_both_sides(salon):
    _, service, _ = salon
    appointment = appointment_book(
        customer=UserFactory(), service=service, start=dt.datetime(2026, 3, 4, 10, tzinfo=BERLIN)
    )
    new_start = dt.datetime(2026, 3, 5, 14, tzinfo=BERLIN)
    appointment_reschedule(appointment=appointment, start=new_start)
    reminders = appointment.notifications.filter(kind=Kind.REMINDER)
    assert sorted(new_start - r.due_at for r in reminders) == [
        dt.timedelta(hours=2),
        dt.timedelta(hours=24),
    ]
    assert appointment.notifications.filter(kind=Kind.RESCHEDULE).count() == 1
    assert appointment.notifications.filter(kind=Kind.RESCHEDULE_FOR_STAFF).count() == 1


def test_cancelling_drops_pending_reminders(salon):
    _, service, _ = salon
    appointment = appointment_book(
        customer=UserFactory(), service=service, start=dt.datetime(2026, 3, 4, 10, tzinfo=BERLIN)
    )
    appointment_cancel(appointment=appointment)
    assert not appointment.notifications.filter(kind=Kind.REMINDER).exists()
    assert appointment.notifications.filter(kind=Kind.CANCELLATION).count() == 1


def test_a_rolled_back_booking_leaves_no_notification_and_enqueues_nothing(
    salon, django_capture_on_commit_callbacks
):
    _, service, _ = salon
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        appointment_book(
            customer=UserFactory(),
            service=service,
            start=dt.datetime(2026, 3, 4, 10, tzinfo=BERLIN),
        )
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert not Notification.objects.exists()


def test_reminders_keep_absolute_offsets_across_a_dst_change():
    salon, service, _ = open_salon(timezone="America/New_York")
    # Sunday 2026-03-08 is the spring-forward day in New York.
    start = dt.datetime(2026, 3, 8, 10, tzinfo=ZoneInfo("America/New_York"))
    appointment = appointment_book(customer=UserFactory(), service=service, start=start)
    day_before = appointment.notifications.get(
        kind=Kind.REMINDER, due_at__lt=start - dt.timedelta(hours=3)
    )
    assert start - day_before.due_at == dt.timedelta(hours=24)
    local = day_before.due_at.astimezone(ZoneInfo("America/New_York"))
    assert (local.day, local.hour) == (7, 9)  # 24 real hours earlier is 09:00 on the old offset
