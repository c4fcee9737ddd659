from __future__ import annotations

import pytest


@pytest.fixture
def enqueued(monkeypatch):
    """The send tasks the services would publish, as (notification id, countdown)."""
    calls: list[tuple[str, float]] = []
    monkeypatch.setattr(
        "booking.notifications.services.enqueue_send",
        lambda notification_id, countdown=0: (
            calls.append((str(notification_id), countdown)) or True
        ),
    )
    monkeypatch.setattr(
        "booking.notifications.services.enqueue_sends",
        lambda ids: calls.extend((str(i), 0) for i in ids) or True,
    )
    return calls
