from __future__ import annotations

import pytest

from booking.notifications.tasks import send_notification, send_notifications
from booking.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_the_send_task_is_idempotent(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notification = NotificationFactory()
    assert send_notification.apply(args=[str(notification.id)]).get() == "sent"
    assert send_notification.apply(args=[str(notification.id)]).get() == "skipped"
    from django.core import mail

    assert len(mail.outbox) == 1


def test_the_batch_task_sends_each_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first, second = NotificationFactory(), NotificationFactory()
    ids = [str(first.id), str(second.id)]
    assert send_notifications.apply(args=[ids]).get() == ["sent", "sent"]
    assert send_notifications.apply(args=[ids]).get() == ["skipped", "skipped"]
    from django.core import mail

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [first.recipient, second.recipient]
    )
