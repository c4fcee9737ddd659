from __future__ import annotations

import pytest

from booking.accounts.models import User
from booking.notifications.models import Notification, Status
from booking.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(
        User.objects.create_superuser("root@example.com", "pw", first_name="R", last_name="T")
    )
    return client


def test_the_changelist_shows_attempts_and_last_error(admin_client):
    NotificationFactory(
        status=Status.FAILED, attempts=3, last_error="Twilio 400/21211: invalid number"
    )
    page = admin_client.get("/admin/notifications/notification/?status__exact=failed")
    assert page.status_code == 200
    assert b"Twilio 400/21211" in page.content


def test_resend_queues_a_new_notification(admin_client, django_capture_on_commit_callbacks):
    failed = NotificationFactory(status=Status.FAILED)
    with django_capture_on_commit_callbacks(execute=False):
        response = admin_client.post(
            "/admin/notifications/notification/",
            {"action": "resend", "_selected_action": [str(failed.id)]},
        )
    assert response.status_code == 302
    copy = Notification.objects.exclude(id=failed.id).get()
    assert (copy.kind, copy.channel, copy.recipient, copy.status) == (
        failed.kind,
        failed.channel,
        failed.recipient,
        Status.PENDING,
    )
