"""A batch of sends: claimed together, recorded together, and still each sent at most once."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction
from django.utils import timezone

from booking.notifications import channels
from booking.notifications.channels.base import (
    OutboundMessage,
    PermanentSendError,
    TransientSendError,
)
from booking.notifications.models import Notification, Status
from booking.notifications.services import notifications_send
from booking.notifications.tests.factories import NotificationFactory


@dataclass
class ScriptedChannel:
    """Outcomes by recipient (an exception to raise); records what it sent, thread-safely."""

    outcomes: dict[str, Exception] = field(default_factory=dict)
    sent: list[OutboundMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, message: OutboundMessage) -> str:
        if message.recipient in self.outcomes:
            raise self.outcomes[message.recipient]
        with self.lock:
            self.sent.append(message)
            return f"provider-{len(self.sent)}"


@pytest.fixture
def channel(monkeypatch):
    scripted = ScriptedChannel()
    monkeypatch.setattr(channels, "channel_for", lambda name: scripted)
    monkeypatch.setattr("booking.notifications.services.channel_for", lambda name: scripted)
    return scripted


def states(notifications) -> list[tuple[str, int]]:
    by_id = Notification.objects.in_bulk([n.id for n in notifications])
    return [(by_id[n.id].status, by_id[n.id].attempts) for n in notifications]


@pytest.mark.django_db
def test_each_kind_of_outcome_is_recorded_in_one_statement(
    channel, enqueued, settings, django_assert_num_queries
):
    settings.NOTIFICATIONS_DISABLED_CHANNELS = ["sms"]
    sent, also_sent, rejected, throttled = NotificationFactory.create_batch(4)
    suppressed = NotificationFactory(channel="sms", recipient="+491701234567")
    channel.outcomes = {
        rejected.recipient: PermanentSendError("mailbox unknown"),
        throttled.recipient: TransientSendError("429"),
    }
    batch = [sent, also_sent, rejected, throttled, suppressed]
    # Claim, read, then sent / failed / retrying / suppressed: one UPDATE each.
    with django_assert_num_queries(2 + 4):
        outcomes = notifications_send(notification_ids=[n.id for n in batch])
    assert outcomes == ["sent", "sent", "failed", "retrying", "suppressed"]
    rows = Notification.objects.in_bulk([n.id for n in batch])
    assert {rows[sent.id].provider_message_id, rows[also_sent.id].provider_message_id} == {
        "provider-1",
        "provider-2",
    }
    assert rows[sent.id].sent_at is not None and rows[rejected.id].sent_at is None
    assert rows[rejected.id].last_error == "mailbox unknown"
    retry = rows[throttled.id]
    assert (retry.status, retry.last_error, retry.claimed_until) == (Status.PENDING, "429", None)
    assert retry.next_attempt_at > timezone.now()
    assert enqueued == [(str(throttled.id), pytest.approx(enqueued[0][1]))]
    assert enqueued[0][1] > 0
    assert all(row.claim_token is None for row in rows.values())


@pytest.mark.django_db
def test_a_batch_sent_already_costs_one_statement(channel, django_assert_num_queries):
    batch = NotificationFactory.create_batch(2)
    notifications_send(notification_ids=[n.id for n in batch])
    with django_assert_num_queries(1):
        assert notifications_send(notification_ids=[n.id for n in batch]) == ["skipped"] * 2
    assert len(channel.sent) == 2


@pytest.mark.django_db
def test_a_send_that_raises_keeps_its_row_claimed_and_gives_the_untried_back(channel):
    done, crashing, untried = NotificationFactory.create_batch(3)
    channel.outcomes = {crashing.recipient: RuntimeError("worker bug")}
    with pytest.raises(RuntimeError):
        notifications_send(notification_ids=[done.id, crashing.id, untried.id])
    # What went out is recorded; the one in flight may have gone out, so it waits for its
    # lease like a crashed worker's; the one never tried is pending again, its attempt undone.
    assert states([done, crashing, untried]) == [
        (Status.SENT, 1),
        (Status.SENDING, 1),
        (Status.PENDING, 0),
    ]
    channel.outcomes = {}
    assert notifications_send(notification_ids=[crashing.id, untried.id]) == ["skipped", "sent"]


def _release_connection(target):
    def run(*args):
        try:
            target(*args)
        finally:
            connection.close()

    return run


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_claimers_split_the_rows(channel):
    batch = NotificationFactory.create_batch(4)
    ids = [n.id for n in batch]
    first_claimed, outcomes = threading.Event(), {}

    def first() -> None:
        with transaction.atomic():  # holds its claim's row locks until the second has queued
            outcomes["first"] = notifications_send(notification_ids=ids[:2])
            first_claimed.set()
            time.sleep(0.5)

    def second() -> None:
        first_claimed.wait(timeout=10)
        outcomes["second"] = notifications_send(notification_ids=ids)

    threads = [threading.Thread(target=_release_connection(f)) for f in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == {
        "first": ["sent", "sent"],
        "second": ["skipped", "skipped", "sent", "sent"],
    }
    assert sorted(m.reference for m in channel.sent) == sorted(str(i) for i in ids)


@pytest.mark.django_db(transaction=True)
def test_racing_batches_send_each_notification_once(channel):
    ids = [n.id for n in NotificationFactory.create_batch(10)]
    start, results = threading.Barrier(3), []

    def race() -> None:
        start.wait(timeout=10)
        results.append(notifications_send(notification_ids=ids))

    threads = [threading.Thread(target=_release_connection(race)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 3
    assert sorted(m.reference for m in channel.sent) == sorted(str(i) for i in ids)
    assert [sum(r[n] == "sent" for r in results) for n in range(10)] == [1] * 10
