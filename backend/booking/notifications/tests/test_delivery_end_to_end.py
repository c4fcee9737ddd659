"""Delivery with real processes: a Redis broker, Celery workers, PostgreSQL, fake providers.

Each test prints the figures it measured (expected, sent, duplicates, commit-to-sent time).
"""

from __future__ import annotations

import datetime as dt
import email
import statistics
import tempfile
from collections import Counter
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis
from django.db import connection, transaction
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from booking.accounts.tests.factories import UserFactory
from booking.appointments.services import appointment_book
from booking.core.tests.processes import CeleryWorker, RedisServer, database_url, wait_for
from booking.notifications.models import Notification, Status
from booking.notifications.services import notifications_enqueue_due
from booking.notifications.tests.fakes import fake_smtp, fake_twilio
from booking.salons.tests.factories import open_salon
from config.celery import app as celery_app

LEASE_SECONDS = 6


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    broker = RedisServer()
    broker.start()
    with fake_twilio() as (twilio_url, twilio), fake_smtp() as (smtp_port, smtp):
        db = connection.settings_dict
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_VAR_DIR": tempfile.mkdtemp(prefix="worker-var-"),
            "DATABASE_URL": database_url(db),
            "CELERY_BROKER_URL": broker.url,
            "CELERY_TASK_TIME_LIMIT": str(LEASE_SECONDS - 2),
            "CELERY_TASK_SOFT_TIME_LIMIT": str(LEASE_SECONDS - 3),
            "NOTIFICATION_SEND_LEASE_SECONDS": str(LEASE_SECONDS),
            "SMS_BACKEND": "twilio",
            "TWILIO_ACCOUNT_SID": "AC" + "2" * 32,
            "TWILIO_AUTH_TOKEN": "token",
            "TWILIO_FROM_NUMBER": "+15005550006",
            "TWILIO_API_BASE_URL": twilio_url,
            "EMAIL_BACKEND": "booking.notifications.channels.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
        }
        worker = CeleryWorker(env)
        worker.start()
        _point_publisher_at(broker.url)
        try:
            yield {"broker": broker, "worker": worker, "twilio": twilio, "smtp": smtp}
        finally:
            worker.stop()
            broker.stop()
            _point_publisher_at(None)


def _point_publisher_at(broker_url: str | None) -> None:
    """Make this test process publish to the test broker (or go back to in-process tasks)."""
    celery_app.conf.update(broker_url=broker_url, task_always_eager=broker_url is None)
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def reset_fakes(stack):
    stack["twilio"].requests.clear()
    stack["twilio"].delivered.clear()
    stack["twilio"].responses.clear()
    stack["twilio"].hold_seconds = 0
    stack["smtp"].messages.clear()
    return stack


_phones = iter(range(100, 1000))


def customer(**fields: Any):
    """A customer with SMS on, with a number of their own so deliveries can be told apart."""
    return UserFactory(phone=f"+4917012{next(_phones):05d}", notify_by_sms=True, **fields)


def next_start(hour: int) -> dt.datetime:
    day = dt.datetime.now(ZoneInfo("Europe/Berlin")) + dt.timedelta(days=3)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def deliveries(stack) -> Counter[str]:
    """Successful provider deliveries per notification id."""
    counts: Counter[str] = Counter()
    for envelope in stack["smtp"].messages:
        counts[email.message_from_bytes(envelope.content)["X-Notification-Id"]] += 1
    sms_ids = {row.recipient: str(row.id) for row in immediate().filter(channel="sms")}
    for request in stack["twilio"].delivered:
        counts[sms_ids[request["form"]["To"]]] += 1
    return counts


def immediate() -> Any:
    return Notification.objects.exclude(kind="reminder")


def wait_until_settled(timeout: float = 60) -> None:
    wait_for(
        lambda: not immediate().exclude(status__in=[Status.SENT, Status.FAILED]).exists(),
        timeout=timeout,
        what="every notification to be sent",
    )


def report(name: str, stack) -> dict[str, int]:
    rows = list(immediate())
    counts = deliveries(stack)
    figures = {
        "expected": len(rows),
        "sent": sum(1 for row in rows if row.status == Status.SENT),
        "delivered": sum(counts[str(row.id)] for row in rows),
        "duplicates": sum(max(counts[str(row.id)] - 1, 0) for row in rows),
    }
    print(f"\n[{name}] {figures}")
    return figures


@pytest.mark.django_db(transaction=True)
def test_a_booking_through_the_api_is_delivered_once_on_every_channel(reset_fakes):
    stack = reset_fakes
    salon, service, [stylist] = open_salon(reminder_offsets_minutes=[])
    stylist.user = UserFactory()
    stylist.save()
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(customer()).access_token}"
    )
    response = client.post(
        "/api/v1/appointments",
        {"service": str(service.id), "start": next_start(10).isoformat()},
        format="json",
    )
    assert response.status_code == 201

    wait_until_settled()
    figures = report("end-to-end", stack)
    assert figures == {"expected": 3, "sent": 3, "delivered": 3, "duplicates": 0}
    latencies = [(row.sent_at - row.created_at).total_seconds() for row in immediate()]
    print(
        f"[end-to-end] commit-to-sent seconds: median {statistics.median(latencies):.3f}, max {max(latencies):.3f}"
    )
    listed = client.get(f"/api/v1/appointments/{response.json()['id']}/notifications").json()
    assert sorted((n["kind"], n["channel"], n["status"]) for n in listed) == [
        ("booking_confirmation", "email", "sent"),
        ("booking_confirmation", "sms", "sent"),
    ]


@pytest.mark.django_db(transaction=True)
def test_bookings_made_while_the_broker_is_down_are_delivered_once_it_is_back(
    reset_fakes, settings
):
    stack = reset_fakes
    _, service, _ = open_salon(reminder_offsets_minutes=[], staff_count=3)
    stack["broker"].stop()
    client = APIClient()
    statuses = []
    for hour in (10, 11, 12):
        client.credentials(
            HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(customer()).access_token}"
        )
        statuses.append(
            client.post(
                "/api/v1/appointments",
                {"service": str(service.id), "start": next_start(hour).isoformat()},
                format="json",
            ).status_code
        )
    assert statuses == [201, 201, 201]
    assert immediate().filter(status=Status.PENDING).count() == immediate().count() > 0

    stack["broker"].start()
    settings.NOTIFICATION_ENQUEUE_GRACE_SECONDS = 0
    assert notifications_enqueue_due() == immediate().count()
    notifications_enqueue_due()  # a second sweep, as beat might run while sends are queued
    wait_until_settled()
    figures = report("broker-down", stack)
    assert figures["sent"] == figures["expected"] == figures["delivered"]
    assert figures["duplicates"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_delivers_each_notification_exactly_once(reset_fakes, settings):
    stack = reset_fakes
    _, service, _ = open_salon(reminder_offsets_minutes=[], staff_count=2)
    stack["twilio"].hold_seconds = 2
    for hour in (10, 11):
        appointment_book(
            customer=customer(notify_by_email=False), service=service, start=next_start(hour)
        )
    wait_for(lambda: len(stack["twilio"].requests) >= 1, timeout=30, what="a send in flight")
    killed = stack["worker"].kill_children()
    assert killed > 0
    stack["twilio"].hold_seconds = 0

    # The lost tasks come back at once; their rows stay claimed until the lease runs out,
    # then the sweep (beat's job, run here) hands them out again.
    settings.NOTIFICATION_ENQUEUE_GRACE_SECONDS = 0
    wait_for(
        lambda: (
            notifications_enqueue_due() == 0
            and not immediate().exclude(status=Status.SENT).exists()
        ),
        timeout=LEASE_SECONDS * 6,
        what="killed sends to be retried and delivered",
    )
    figures = report("worker-killed", stack)
    assert figures == {"expected": 2, "sent": 2, "delivered": 2, "duplicates": 0}
    assert len(stack["twilio"].requests) > len(stack["twilio"].delivered)  # a send was cut off


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_booking_enqueues_and_sends_nothing(reset_fakes):
    stack = reset_fakes
    _, service, _ = open_salon()
    with pytest.raises(RuntimeError), transaction.atomic():
        appointment_book(customer=customer(), service=service, start=next_start(10))
        raise RuntimeError("rolled back after the booking")
    queued = redis.Redis(port=stack["broker"].port)
    assert queued.llen("notifications") == 0 and queued.llen("default") == 0
    assert not Notification.objects.exists()
    assert stack["twilio"].requests == [] and stack["smtp"].messages == []
