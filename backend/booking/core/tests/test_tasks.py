from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from booking.accounts.tests.factories import UserFactory
from booking.core.models import IdempotencyRecord
from booking.core.tasks import purge_stale_rows
from booking.notifications.models import Notification, Status
from booking.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_housekeeping_purges_expired_keys_old_notifications_and_tokens():
    user = UserFactory()
    now = timezone.now()
    IdempotencyRecord.objects.create(
        user=user,
        key="old",
        scope="s",
        request_fingerprint="x",
        response_status=201,
        response_body={},
        expires_at=now - dt.timedelta(seconds=1),
    )
    IdempotencyRecord.objects.create(
        user=user,
        key="live",
        scope="s",
        request_fingerprint="x",
        response_status=201,
        response_body={},
        expires_at=now + dt.timedelta(hours=1),
    )
    old = NotificationFactory(status=Status.SENT)
    Notification.objects.filter(id=old.id).update(updated_at=now - dt.timedelta(days=200))
    pending_old = NotificationFactory(status=Status.PENDING)
    Notification.objects.filter(id=pending_old.id).update(updated_at=now - dt.timedelta(days=200))
    OutstandingToken.objects.create(
        user=user, jti="expired", token="t", expires_at=now - dt.timedelta(days=1)
    )

    purged = purge_stale_rows.apply().get()

    assert purged == {"idempotency_records": 1, "notifications": 1, "expired_tokens": 1}
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["live"]
    assert Notification.objects.filter(id=pending_old.id).exists()  # never drop undelivered work


def test_every_beat_entry_names_a_registered_task():
    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry
