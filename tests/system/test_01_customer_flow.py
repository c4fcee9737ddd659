from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import first_salon_slot, new_customer


def wait_for_notifications(session, url: str, want: int, timeout: float = 60) -> list[dict]:
    """The appointment's immediate notifications (reminders are due later), once all are sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        notifications = [n for n in session.get(url, timeout=10).json() if n["kind"] != "reminder"]
        if len(notifications) >= want and all(n["status"] == "sent" for n in notifications):
            return notifications
        time.sleep(0.5)
    raise AssertionError(f"notifications not all sent: {notifications}")


def delivered(stack, channel: str) -> list[dict]:
    outbox = Path(stack.info["outbox"]) / f"{channel}.jsonl"
    return [json.loads(line) for line in outbox.read_text().splitlines()]


def test_register_find_book_get_notified_and_cancel(stack):
    token = new_customer(stack, "flow", phone="+491701234567")
    customer = stack.session(token)
    customer.patch(
        stack.url("/api/v1/auth/me"), json={"notify_by_sms": True}, timeout=10
    ).raise_for_status()

    salons = customer.get(stack.url("/api/v1/salons"), params={"page_size": 5}, timeout=10).json()
    assert salons["count"] > 0
    salon, service, slot = first_salon_slot(stack, customer)
    booked = customer.post(
        stack.url("/api/v1/appointments"),
        json={"service": service["id"], "start": slot["start"]},
        timeout=10,
    )
    assert booked.status_code == 201, booked.text
    appointment = booked.json()
    assert appointment["salon"] == salon["id"]

    notifications_url = stack.url(f"/api/v1/appointments/{appointment['id']}/notifications")
    sent = wait_for_notifications(customer, notifications_url, want=2)
    assert {(n["kind"], n["channel"]) for n in sent} == {
        ("booking_confirmation", "email"),
        ("booking_confirmation", "sms"),
    }
    # "sent" means a provider accepted it: the stack's mail and SMS sinks hold both.
    email = customer.get(stack.url("/api/v1/auth/me"), timeout=10).json()["email"]
    assert any(email in message["to"] for message in delivered(stack, "email"))
    assert any(message["to"] == "+491701234567" for message in delivered(stack, "sms"))

    cancelled = customer.post(
        stack.url(f"/api/v1/appointments/{appointment['id']}/cancel"), timeout=10
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled_by_customer"
    after = wait_for_notifications(customer, notifications_url, want=4)
    assert {n["kind"] for n in after} == {"booking_confirmation", "cancellation"}


def test_http_redirects_to_https_and_metrics_stay_inside(stack):
    import requests

    redirect = requests.get(
        stack.info["http_redirect"] + "/api/v1/salons", allow_redirects=False, timeout=5
    )
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == stack.url("/api/v1/salons")
    assert stack.session().get(stack.url("/metrics"), timeout=5).status_code == 404
    health = stack.session().get(stack.url("/health/ready"), timeout=5)
    assert health.status_code == 200
    assert health.headers["Strict-Transport-Security"].startswith("max-age=")
