"""Thin, idempotent tasks: ids in, a service call inside (imported lazily: services enqueue us)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from celery import shared_task
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


@shared_task(name="notifications.send")
def send_notification(notification_id: str) -> str:
    from booking.notifications.services import notification_send

    return notification_send(notification_id=UUID(notification_id))


@shared_task(name="notifications.send_batch")
def send_notifications(notification_ids: list[str]) -> list[str]:
    """Several sends in one message: a booking change's immediate ones, or a chunk of the sweep.

    A send that raises leaves the rest of the batch to the sweep, like a crashed single send.
    """
    from booking.notifications.services import notifications_send

    return notifications_send(notification_ids=[UUID(i) for i in notification_ids])


@shared_task(name="notifications.enqueue_due")
def enqueue_due_notifications() -> int:
    from booking.notifications.services import notifications_enqueue_due

    return notifications_enqueue_due()


def enqueue_send(notification_id: UUID, *, countdown: float = 0) -> bool:
    """Publish a send; False when the broker cannot be reached (the sweep will catch up)."""
    options: dict[str, Any] = {"countdown": countdown} if countdown else {}
    return _publish(send_notification, (str(notification_id),), options)


def enqueue_sends(notification_ids: Sequence[UUID]) -> bool:
    """Publish several sends as one message (one broker round trip); False if the broker is down."""
    return _publish(send_notifications, ([str(i) for i in notification_ids],), {})


def _publish(task: Any, args: tuple[Any, ...], options: dict[str, Any]) -> bool:
    try:
        task.apply_async(args, **options)
    except OperationalError as exc:
        logger.warning("broker unavailable, %s%s left to the sweep: %s", task.name, args, exc)
        return False
    return True
