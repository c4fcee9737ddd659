from __future__ import annotations

import time

from test_02_replica import drill

from conftest import first_salon_slot, new_customer, steady_load


def test_reads_and_bookings_survive_a_redis_outage_and_notifications_follow(stack):
    customer = stack.session(new_customer(stack, "redis"))
    salon, service, slot = first_salon_slot(stack, customer, pick=9)
    drill("stop", "redis")
    try:
        reads = steady_load(stack, f"/api/v1/salons/{salon['id']}", seconds=4, clients=2)
        booked = customer.post(
            stack.url("/api/v1/appointments"),
            json={"service": service["id"], "start": slot["start"]},
            timeout=30,
        )
        ready = stack.session().get(stack.url("/health/ready"), timeout=10)
    finally:
        drill("start", "redis")
    print(
        f"\n[redis-down] reads sent {reads.sent}, failed {reads.failed}; booking {booked.status_code}"
    )
    assert reads.failed == 0 and reads.sent > 10
    assert booked.status_code == 201, booked.text
    assert ready.status_code == 503 and "cache" in ready.json()["error"]["details"]

    url = stack.url(f"/api/v1/appointments/{booked.json()['id']}/notifications")
    deadline = time.monotonic() + 90
    while True:
        notifications = [n for n in customer.get(url, timeout=10).json() if n["kind"] != "reminder"]
        if notifications and all(n["status"] == "sent" for n in notifications):
            break
        assert time.monotonic() < deadline, f"not delivered after Redis returned: {notifications}"
        time.sleep(1)
    assert [n["kind"] for n in notifications] == ["booking_confirmation"]
