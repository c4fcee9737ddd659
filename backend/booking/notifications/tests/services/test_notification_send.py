from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from booking.notifications import channels
from booking.notifications.channels.base import (
    OutboundMessage,
    PermanentSendError,
    TransientSendError,
)
from booking.notifications.models import Status
from booking.notifications.services import (
    SEND_BATCH_SIZE,
    notification_resend,
    notification_send,
    notifications_enqueue_due,
    notifications_send,
    retry_delay,
)
from booking.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@dataclass
class ScriptedChannel:
    """A channel whose next outcomes are scripted; records what it was asked to send."""

    outcomes: list[Exception | None] = field(default_factory=list)
    sent: list[OutboundMessage] = field(default_factory=list)

    def send(self, message: OutboundMessage) -> str:
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        self.sent.append(message)
        return f"provider-{len(self.sent)}"


@pytest.fixture
def channel(monkeypatch):
    scripted = ScriptedChannel()
    monkeypatch.setattr(channels, "channel_for", lambda name: scripted)
    monkeypatch.setattr("booking.notifications.services.channel_for", lambda name: scripted)
    return scripted


def test_it_sends_once_and_records_the_provider_id(channel):
    notification = NotificationFactory()
    assert notification_send(notification_id=notification.id) == "sent"
    assert notification_send(notification_id=notification.id) == "skipped"
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.provider_message_id == "provider-1"
    assert notification.sent_at is not None
    assert len(channel.sent) == 1


def test_the_message_is_rendered_in_the_salon_time_zone(channel):
    notification = NotificationFactory()
    notification_send(notification_id=notification.id)
    message = channel.sent[0]
    assert "Europe/Berlin" in message.body
    assert "Jan. 7, 2030, 11 a.m." in message.body  # 10:00 UTC is 11:00 in Berlin
    assert message.attachments[0].filename == "appointment.ics"
    assert b"DTSTART:20300107T100000Z" in message.attachments[0].content


def test_a_permanent_error_fails_with_the_reason(channel):
    channel.outcomes = [PermanentSendError("invalid number")]
    notification = NotificationFactory(channel="sms", recipient="+491701234567")
    assert notification_send(notification_id=notification.id) == "failed"
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.last_error == "invalid number"


def test_a_transient_error_schedules_a_retry_with_backoff(channel, enqueued):
    channel.outcomes = [TransientSendError("503 from provider")]
    notification = NotificationFactory()
    assert notification_send(notification_id=notification.id) == "retrying"
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.next_attempt_at > timezone.now()
    assert enqueued and enqueued[0][1] > 0
    # Not claimable before its next attempt time.
    assert notification_send(notification_id=notification.id) == "skipped"


def test_attempts_are_bounded(channel, enqueued, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    channel.outcomes = [TransientSendError("timeout")] * 3
    notification = NotificationFactory()
    for _ in range(3):
        notification_send(notification_id=notification.id)
        notification.refresh_from_db()
        notification.next_attempt_at = timezone.now() - dt.timedelta(seconds=1)
        notification.save()
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.attempts == 3
    assert notification.last_error.startswith("gave up")


def test_retry_delays_grow_exponentially_with_jitter(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 10
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 1000
    for attempt, base in [(1, 10), (2, 20), (3, 40), (10, 1000)]:
        delay = retry_delay(attempt).total_seconds()
        assert base / 2 <= delay <= base


def test_a_reminder_is_not_sent_before_it_is_due(channel):
    notification = NotificationFactory(
        kind="reminder", due_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert notification_send(notification_id=notification.id) == "skipped"
    assert channel.sent == []


def test_a_send_whose_worker_died_is_claimable_after_its_lease(channel):
    notification = NotificationFactory(
        status=Status.SENDING, claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert notification_send(notification_id=notification.id) == "sent"


def test_a_send_in_progress_is_not_claimed_twice(channel):
    notification = NotificationFactory(
        status=Status.SENDING, claimed_until=timezone.now() + dt.timedelta(minutes=1)
    )
    assert notification_send(notification_id=notification.id) == "skipped"


class TestSweep:
    def test_it_enqueues_due_rows_after_the_grace_period(self, enqueued, settings):
        settings.NOTIFICATION_ENQUEUE_GRACE_SECONDS = 60
        fresh = NotificationFactory(last_enqueued_at=timezone.now())
        stale = NotificationFactory(last_enqueued_at=timezone.now() - dt.timedelta(minutes=2))
        due_reminder = NotificationFactory(kind="reminder", due_at=timezone.now())
        NotificationFactory(kind="reminder", due_at=timezone.now() + dt.timedelta(hours=1))
        NotificationFactory(status=Status.SENT)
        assert notifications_enqueue_due() == 2
        assert {call[0] for call in enqueued} == {str(stale.id), str(due_reminder.id)}
        assert str(fresh.id) not in {call[0] for call in enqueued}

    def test_it_enqueues_sends_whose_lease_expired(self, enqueued):
        dead = NotificationFactory(
            status=Status.SENDING, claimed_until=timezone.now() - dt.timedelta(seconds=5)
        )
        assert notifications_enqueue_due() == 1
        assert enqueued == [(str(dead.id), 0)]

    def test_a_backlog_goes_out_in_broker_messages_of_a_batch_each(self, monkeypatch):
        messages: list[list[uuid.UUID]] = []
        monkeypatch.setattr(
            "booking.notifications.services.enqueue_sends",
            lambda ids: messages.append(list(ids)) or True,
        )
        backlog = NotificationFactory.create_batch(SEND_BATCH_SIZE + 3, due_at=timezone.now())
        assert notifications_enqueue_due() == len(backlog)
        assert [len(ids) for ids in messages] == [SEND_BATCH_SIZE, 3]
        assert {i for ids in messages for i in ids} == {row.id for row in backlog}


def test_resend_creates_a_new_pending_row(channel, django_capture_on_commit_callbacks, enqueued):
    original = NotificationFactory(status=Status.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        copy = notification_resend(notification=original)
    assert copy.id != original.id
    assert copy.status == Status.PENDING
    assert enqueued == [(str(copy.id), 0)]


def test_a_batch_is_claimed_read_and_recorded_in_three_statements(
    channel, django_assert_num_queries
):
    notifications = NotificationFactory.create_batch(3)
    # One claim, one joined read, one write for all that were sent, whatever the batch size.
    with django_assert_num_queries(3):
        outcomes = notifications_send(notification_ids=[n.id for n in notifications])
    assert outcomes == ["sent", "sent", "sent"]
    assert sorted(m.recipient for m in channel.sent) == sorted(n.recipient for n in notifications)


def test_a_batch_skips_what_is_sent_already_or_unknown(channel):
    sent, pending = NotificationFactory.create_batch(2)
    notification_send(notification_id=sent.id)
    unknown = uuid.uuid4()
    outcomes = notifications_send(notification_ids=[sent.id, unknown, pending.id])
    assert outcomes == ["skipped", "skipped", "sent"]
    assert [m.recipient for m in channel.sent] == [sent.recipient, pending.recipient]


class TestDisabledChannels:
    def test_a_notification_on_a_disabled_channel_is_suppressed_not_sent(self, channel, settings):
        settings.NOTIFICATIONS_DISABLED_CHANNELS = ["email"]
        notification = NotificationFactory(channel="email")
        assert notification_send(notification_id=notification.id) == Status.SUPPRESSED
        notification.refresh_from_db()
        assert (notification.status, notification.sent_at) == (Status.SUPPRESSED, None)
        assert channel.sent == []

    def test_other_channels_are_still_sent(self, channel, settings):
        settings.NOTIFICATIONS_DISABLED_CHANNELS = ["sms"]
        notification = NotificationFactory(channel="email")
        assert notification_send(notification_id=notification.id) == Status.SENT
        assert len(channel.sent) == 1

    def test_a_suppressed_notification_is_neither_pending_nor_retried(
        self, channel, settings, enqueued
    ):
        settings.NOTIFICATIONS_DISABLED_CHANNELS = ["email"]
        notification = NotificationFactory(channel="email")
        notification_send(notification_id=notification.id)
        assert notification_send(notification_id=notification.id) == "skipped"
        assert notifications_enqueue_due() == 0
        assert enqueued == []
