"""Notification writes: the outbox rows for booking changes, sending, retries and the sweep."""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import router, transaction
from django.db.models import Q
from django.utils import timezone

from booking.accounts.selectors import user_email_verified
from booking.appointments.models import Appointment
from booking.core import metrics, sql
from booking.notifications import claims
from booking.notifications.bursts import Burst
from booking.notifications.channels import channel_for
from booking.notifications.channels.base import PermanentSendError, TransientSendError
from booking.notifications.messages import render_message
from booking.notifications.models import Channel, Kind, Notification, Status
from booking.notifications.recipients import Recipient, customer_recipients, staff_recipients
from booking.notifications.tasks import enqueue_send, enqueue_sends

logger = logging.getLogger(__name__)
# Sends per broker message. Each task costs the worker about 4 ms before its first send (the
# broker, the prefork pipe, tracing, acknowledging); at 10 a burst of bookings took 0.28 tasks
# a booking and at 25 0.17, a quarter less Celery CPU per booking (bench/README.md (17)). Small
# enough that a sweep's backlog (500 rows) still spreads over the workers.
SEND_BATCH_SIZE = 25
# How long finished rows are kept (for support questions) before housekeeping deletes them.
RETENTION = dt.timedelta(days=180)

_CUSTOMER_KIND = {
    "booked": Kind.BOOKING_CONFIRMATION,
    "cancelled": Kind.CANCELLATION,
    "rescheduled": Kind.RESCHEDULE,
}
_STAFF_KIND = {
    "booked": Kind.NEW_BOOKING_FOR_STAFF,
    "cancelled": Kind.CANCELLATION_FOR_STAFF,
    "rescheduled": Kind.RESCHEDULE_FOR_STAFF,
}


def notifications_for_change(*, appointment: Appointment, change: str) -> list[Notification]:
    """Outbox rows for a booking change, in the caller's transaction; sent after it commits.

    `change` is "booked", "cancelled" or "rescheduled". Pending reminders for the old time are
    dropped and new ones written for the new time.
    """
    now = timezone.now()
    version = int(appointment.updated_at.timestamp() * 1000)
    rows = [
        _row(appointment, recipient, _CUSTOMER_KIND[change], now, f"{change}:{version}")
        for recipient in customer_recipients(appointment)
    ] + [
        _row(appointment, recipient, _STAFF_KIND[change], now, f"{change}:{version}")
        for recipient in staff_recipients(appointment)
    ]
    for row in rows:
        row.last_enqueued_at = now  # enqueued on commit; the sweep waits out the grace period
    if change != "booked":  # a new appointment has no reminders to replace
        Notification.objects.filter(
            appointment=appointment, kind=Kind.REMINDER, status=Status.PENDING
        ).delete()
    if change != "cancelled":
        rows += _reminders(appointment, now)
    sql.insert(router.db_for_write(Notification), rows)  # every booking: not through the ORM
    immediate = [row.id for row in rows if row.kind != Kind.REMINDER]
    transaction.on_commit(lambda: _BURST.add(immediate), robust=True)
    return rows


def _reminders(appointment: Appointment, now: dt.datetime) -> list[Notification]:
    rows: list[Notification] = []
    offsets = appointment.salon.reminder_offsets_minutes or []
    recipients = _reminder_recipients(appointment) if offsets else []
    start = appointment.start.astimezone(dt.UTC)  # UTC: offsets are elapsed time, not wall time
    for minutes in offsets:
        due = start - dt.timedelta(minutes=int(minutes))
        if due <= now:
            continue
        tag = f"reminder:{minutes}:{start.isoformat()}"
        rows += [_row(appointment, recipient, Kind.REMINDER, due, tag) for recipient in recipients]
    return rows


def _reminder_recipients(appointment: Appointment) -> list[Recipient]:
    """Reminders go by e-mail only to a verified address (booking itself does not need one)."""
    verified = user_email_verified(user=appointment.customer)
    return [r for r in customer_recipients(appointment) if r.channel != Channel.EMAIL or verified]


def _row(
    appointment: Appointment, recipient: Recipient, kind: str, due_at: dt.datetime, tag: str
) -> Notification:
    return Notification(
        appointment=appointment,
        channel=recipient.channel,
        kind=kind,
        recipient=recipient.address,
        language=recipient.language,
        due_at=due_at,
        dedupe_key=f"{appointment.id}:{kind}:{recipient.channel}:{recipient.address}:{tag}"[:200],
    )


def notification_account_email(
    *, recipient: str, subject: str, body: str, language: str, purpose: str
) -> Notification:
    """An account e-mail (verify, reset, ...) as an outbox row, sent after the caller commits.

    `purpose` names the message (allauth's template prefix); every call is a new message, so
    a second "resend the link" is a second row, while one row is still sent at most once.
    """
    now = timezone.now()
    row = Notification.objects.create(
        channel=Channel.EMAIL,
        kind=Kind.ACCOUNT_EMAIL,
        recipient=recipient,
        language=language,
        subject=" ".join(subject.split())[:300],
        body=body,
        due_at=now,
        last_enqueued_at=now,
        dedupe_key=f"account:{purpose}:{recipient}:{uuid.uuid4()}"[:200],
    )
    transaction.on_commit(lambda: enqueue_send(row.id), robust=True)
    return row


def _enqueue_all(notification_ids: Sequence[UUID]) -> None:
    for first in range(0, len(notification_ids), SEND_BATCH_SIZE):
        if not enqueue_sends(notification_ids[first : first + SEND_BATCH_SIZE]):
            return  # the broker is down: the sweep delivers the rest once it is back


def _publish_delay() -> float:
    """Seconds a booking change's sends wait for others of the same burst (none when tasks run
    in-process, without a broker)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return 0.0
    return float(settings.NOTIFICATION_PUBLISH_DELAY_MS) / 1000


_BURST = Burst(_enqueue_all, _publish_delay)


def notification_send(*, notification_id: UUID) -> str:
    """Claim, send, record. Returns the resulting status; safe to call any number of times."""
    return notifications_send(notification_ids=[notification_id])[0]


def notifications_send(*, notification_ids: Sequence[UUID]) -> list[str]:
    """`notification_send` for each id: one claim, one read, one write per kind of outcome.

    The rows are claimed together under a token of this call, then read back in one joined
    query (claims.py). The lease outlives the task's hard time limit, so it covers the whole
    batch. Outcomes are recorded after the last send; a send that raises leaves its own row
    claimed until the lease runs out (it may have gone out) and gives the rows after it back
    at once.
    """
    token = uuid.uuid4()
    if not _claim(notification_ids, token):
        return ["skipped"] * len(notification_ids)
    rows = claims.claimed(notification_ids, token)
    outcomes: dict[UUID, _Outcome] = {}
    try:
        for row in rows:
            outcomes[row.id] = _send(row)
    finally:
        untried = [row.id for row in rows if row.id not in outcomes][1:]
        _record(outcomes, token, released=untried)
        _report(rows, outcomes)
    return [outcomes[i].result if i in outcomes else "skipped" for i in notification_ids]


@dataclass(frozen=True)
class _Outcome:
    """What one send came to: the value the caller sees and what its row is updated with."""

    result: str
    fields: dict[str, Any]
    retry_in: dt.timedelta | None = None


def _claim(notification_ids: Sequence[UUID], token: UUID) -> int:
    """A due row moves to `sending` for exactly one claimer, under a lease."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.NOTIFICATION_SEND_LEASE_SECONDS)
    return claims.claim(notification_ids, token, now, now + lease)


def _send(notification: Notification) -> _Outcome:
    if notification.channel in settings.NOTIFICATIONS_DISABLED_CHANNELS:
        return _finished(Status.SUPPRESSED)
    try:
        provider_id = channel_for(notification.channel).send(render_message(notification))
    except PermanentSendError as exc:
        return _finished(Status.FAILED, error=str(exc))
    except TransientSendError as exc:
        return _retry(notification, str(exc))
    return _finished(Status.SENT, provider_id=provider_id)


def _finished(status: str, *, error: str = "", provider_id: str = "") -> _Outcome:
    """A final outcome (`sent_at` is the time the batch is recorded)."""
    fields = {"status": status, "last_error": error[:2000], "provider_message_id": provider_id}
    return _Outcome(status, fields if status == Status.SENT else {**fields, "sent_at": None})


def _retry(notification: Notification, error: str) -> _Outcome:
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        return _finished(Status.FAILED, error=f"gave up: {error}")
    delay = retry_delay(notification.attempts)
    again = timezone.now() + delay
    fields = {
        "status": Status.PENDING,
        "last_error": error[:2000],
        "next_attempt_at": again,
        "last_enqueued_at": again,
    }
    return _Outcome("retrying", fields, retry_in=delay)


# Rows handed back untried (a send before them raised): the claim did not count as an attempt.
_RELEASED = {"status": Status.PENDING, "attempts": claims.Decrement()}


def _record(outcomes: dict[UUID, _Outcome], token: UUID, *, released: Sequence[UUID] = ()) -> None:
    """One UPDATE per kind of outcome, each row with its own values, then the retries' tasks."""
    groups: dict[str, dict[UUID, dict[str, Any]]] = {}
    now = timezone.now()
    for notification_id, outcome in outcomes.items():
        sent_at = {"sent_at": now} if outcome.result == Status.SENT else {}
        groups.setdefault(outcome.result, {})[notification_id] = outcome.fields | sent_at
    if released:
        groups["released"] = dict.fromkeys(released, _RELEASED)
    for values in groups.values():
        claims.record(values, token)
    for notification_id, outcome in outcomes.items():
        if outcome.retry_in is not None:
            enqueue_send(notification_id, countdown=outcome.retry_in.total_seconds())


def _report(rows: Sequence[Notification], outcomes: dict[UUID, _Outcome]) -> None:
    """Metrics per row, one log line per batch (a line per row cost the worker as much as a
    statement)."""
    done = [(row, outcomes[row.id].result) for row in rows if row.id in outcomes]
    for row, result in done:
        metrics.notifications.labels(channel=row.channel, outcome=result).inc()
    if done:
        lines = (f"{row.id} {result} via {row.channel}" for row, result in done)
        logger.info("notifications %s", ", ".join(lines))


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff with full jitter, capped."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    capped = min(base, settings.NOTIFICATION_RETRY_MAX_SECONDS)
    return dt.timedelta(seconds=capped / 2 + random.uniform(0, capped / 2))  # noqa: S311


def notifications_enqueue_due(*, limit: int = 500) -> int:
    """The sweep: enqueue what is due and was not enqueued recently, or whose lease ran out."""
    now = timezone.now()
    grace = now - dt.timedelta(seconds=settings.NOTIFICATION_ENQUEUE_GRACE_SECONDS)
    due = Q(status=Status.PENDING, due_at__lte=now) & (
        Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=grace)
    ) | Q(status=Status.SENDING, claimed_until__lt=now)
    ids = list(
        Notification.objects.filter(due).order_by("due_at").values_list("id", flat=True)[:limit]
    )
    Notification.objects.filter(id__in=ids).update(last_enqueued_at=now)
    _enqueue_all(ids)
    return len(ids)


def notification_resend(*, notification: Notification) -> Notification:
    """Send the same message again as a new row (the old one keeps its history)."""
    with transaction.atomic():
        copy = Notification.objects.create(
            appointment=notification.appointment,
            channel=notification.channel,
            kind=notification.kind,
            recipient=notification.recipient,
            language=notification.language,
            due_at=timezone.now(),
            last_enqueued_at=timezone.now(),
            dedupe_key=f"resend:{notification.id}:{timezone.now().timestamp()}"[:200],
        )
        transaction.on_commit(lambda: enqueue_send(copy.id), robust=True)
    return copy


def notifications_purge_old(*, older_than: dt.timedelta = RETENTION) -> int:
    """Delivered and failed rows not touched for `older_than`; never undelivered work."""
    cutoff = timezone.now() - older_than
    deleted, _ = Notification.objects.filter(
        status__in=[Status.SENT, Status.FAILED, Status.SUPPRESSED], updated_at__lt=cutoff
    ).delete()
    return deleted
