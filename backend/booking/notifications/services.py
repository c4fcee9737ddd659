"""Notification writes: the outbox rows for booking changes, sending, retries and the sweep."""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Sequence
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from booking.accounts.selectors import user_email_verified
from booking.appointments.models import Appointment
from booking.core import metrics
from booking.notifications.channels import channel_for
from booking.notifications.channels.base import PermanentSendError, TransientSendError
from booking.notifications.messages import render_message
from booking.notifications.models import Channel, Kind, Notification, Status
from booking.notifications.recipients import Recipient, customer_recipients, staff_recipients
from booking.notifications.tasks import enqueue_send, enqueue_sends

logger = logging.getLogger(__name__)
# Sends per broker message: small enough that a sweep's backlog still spreads over the workers.
SEND_BATCH_SIZE = 10
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
    created = Notification.objects.bulk_create(rows, ignore_conflicts=False)
    immediate = [row.id for row in created if row.kind != Kind.REMINDER]
    transaction.on_commit(lambda: _enqueue_all(immediate), robust=True)
    return created


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


def notification_send(*, notification_id: UUID) -> str:
    """Claim, send, record. Returns the resulting status; safe to call any number of times."""
    return notifications_send(notification_ids=[notification_id])[0]


def notifications_send(*, notification_ids: Sequence[UUID]) -> list[str]:
    """`notification_send` for each id, with what the messages need read in one query.

    That query joins seven tables: planning it costs PostgreSQL more than running it, so a
    batch plans it once. Each row is still claimed just before its own send, so a lease never
    has to cover the rest of the batch.
    """
    rows = Notification.objects.select_related(
        "appointment__salon__address",
        "appointment__service",
        "appointment__staff",
        "appointment__customer",
    ).in_bulk(notification_ids)
    return [_send(rows[i]) if i in rows and _claim(i) else "skipped" for i in notification_ids]


def _send(notification: Notification) -> str:
    if notification.channel in settings.NOTIFICATIONS_DISABLED_CHANNELS:
        return _finish(notification, Status.SUPPRESSED)
    try:
        provider_id = channel_for(notification.channel).send(render_message(notification))
    except PermanentSendError as exc:
        return _finish(notification, Status.FAILED, error=str(exc))
    except TransientSendError as exc:
        return _release_for_retry(notification, str(exc))
    return _finish(notification, Status.SENT, provider_id=provider_id)


def _claim(notification_id: UUID) -> bool:
    """One conditional UPDATE: only one worker can move a due row to `sending`."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.NOTIFICATION_SEND_LEASE_SECONDS)
    claimable = Q(status=Status.PENDING, due_at__lte=now) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ) | Q(status=Status.SENDING, claimed_until__lt=now)
    return bool(
        Notification.objects.filter(claimable, id=notification_id).update(
            status=Status.SENDING, claimed_until=now + lease, attempts=F("attempts") + 1
        )
    )


def _finish(
    notification: Notification, status: str, *, error: str = "", provider_id: str = ""
) -> str:
    Notification.objects.filter(id=notification.id, status=Status.SENDING).update(
        status=status,
        last_error=error[:2000],
        provider_message_id=provider_id,
        sent_at=timezone.now() if status == Status.SENT else None,
        claimed_until=None,
    )
    logger.info("notification %s %s via %s", notification.id, status, notification.channel)
    metrics.notifications.labels(channel=notification.channel, outcome=status).inc()
    return status


def _release_for_retry(notification: Notification, error: str) -> str:
    notification.refresh_from_db(fields=["attempts"])
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        return _finish(notification, Status.FAILED, error=f"gave up: {error}")
    delay = retry_delay(notification.attempts)
    Notification.objects.filter(id=notification.id, status=Status.SENDING).update(
        status=Status.PENDING,
        last_error=error[:2000],
        next_attempt_at=timezone.now() + delay,
        last_enqueued_at=timezone.now() + delay,
        claimed_until=None,
    )
    enqueue_send(notification.id, countdown=delay.total_seconds())
    metrics.notifications.labels(channel=notification.channel, outcome="retrying").inc()
    return "retrying"


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
