from __future__ import annotations

import time
from typing import Any

from conftest import (
    STACK_ENV,
    first_salon_slot,
    login,
    new_customer,
    register,
    stack_command,
    steady_load,
)


def book(stack, customer, service: dict[str, Any], slot: dict[str, Any]) -> dict[str, Any]:
    booked = customer.post(
        stack.url("/api/v1/appointments"),
        json={"service": service["id"], "start": slot["start"]},
        timeout=10,
    )
    assert booked.status_code == 201, booked.text
    return booked.json()


def owner_sees(stack, owner, salon_id: str, appointment_id: str) -> bool:
    response = owner.get(
        stack.url(f"/api/v1/manage/salons/{salon_id}/appointments"),
        params={"page_size": 100},
        timeout=10,
    )
    assert response.status_code == 200
    return any(row["id"] == appointment_id for row in response.json()["results"])


def test_a_writer_reads_its_write_while_replay_is_paused_then_the_replica_catches_up(stack):
    replica = STACK_ENV["STACK_PG_REPLICA_PORT"]
    customer = stack.session(new_customer(stack, "ryw"))
    owner = stack.session(login(stack, "owner@example.com"))
    salon, service, slot = first_salon_slot(stack, customer, pick=5)
    stack.psql(replica, "SELECT pg_wal_replay_pause()")
    try:
        appointment_id = book(stack, customer, service, slot)["id"]
        # The writer reads its own write (the primary), every time.
        for _ in range(5):
            assert (
                customer.get(
                    stack.url(f"/api/v1/appointments/{appointment_id}"), timeout=10
                ).status_code
                == 200
            )
        # Someone who did not write reads from the paused replica: the booking is not there yet.
        assert stack.psql(replica, "SELECT pg_is_wal_replay_paused()") == "t"
        assert not owner_sees(stack, owner, salon["id"], appointment_id)
    finally:
        stack.psql(replica, "SELECT pg_wal_replay_resume()")
    deadline = time.monotonic() + 30
    while not owner_sees(stack, owner, salon["id"], appointment_id):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.3)


def offered_with(stack, salon_id: str, service_id: str, start: str) -> dict[str, list[str]]:
    """Anyone's availability for the week of `start`: staff ids by slot start."""
    import datetime as dt

    day = dt.date.fromisoformat(start[:10])
    answer = stack.session().get(
        stack.url(f"/api/v1/salons/{salon_id}/availability"),
        params={"service": service_id, "from": day.isoformat(), "to": day.isoformat()},
        timeout=10,
    )
    assert answer.status_code == 200
    return {slot["start"]: slot["staff_ids"] for slot in answer.json()["slots"]}


def test_a_booking_leaves_everyones_availability_at_once_while_replay_is_paused(stack):
    """The booking moves the salon's availability version; an answer built from a replica that
    has not replayed it would be served as current under the new version for a minute."""
    replica = STACK_ENV["STACK_PG_REPLICA_PORT"]
    customer = stack.session(new_customer(stack, "fresh"))
    salon, service, slot = first_salon_slot(stack, customer, pick=7)
    assert offered_with(stack, salon["id"], service["id"], slot["start"])  # cached before
    stack.psql(replica, "SELECT pg_wal_replay_pause()")
    try:
        staff_id = book(stack, customer, service, slot)["staff"]
        offered = offered_with(stack, salon["id"], service["id"], slot["start"])
        assert staff_id not in offered.get(slot["start"], [])
    finally:
        stack.psql(replica, "SELECT pg_wal_replay_resume()")


ALLAUTH = "/api/_allauth/browser/v1"


def browser_signed_in(stack, email: str, password: str):
    """allauth's browser client, as the web app uses it: the session cookie and CSRF."""
    browser = stack.session()
    browser.headers["Referer"] = stack.url("/")  # Django's CSRF check over HTTPS compares it
    assert browser.get(stack.url(f"{ALLAUTH}/auth/session"), timeout=10).status_code == 401
    browser.headers["X-CSRFToken"] = browser.cookies["csrftoken"]
    signed_in = browser.post(
        stack.url(f"{ALLAUTH}/auth/login"), json={"email": email, "password": password}, timeout=10
    )
    assert signed_in.status_code == 200, signed_in.text
    browser.headers["X-CSRFToken"] = browser.cookies["csrftoken"]  # signing in rotates it
    return browser


def test_a_browser_session_outlives_a_password_change_while_replay_is_paused(stack):
    replica = STACK_ENV["STACK_PG_REPLICA_PORT"]
    email = register(stack, "password")
    stack.manage(
        "shell",
        "-c",
        "from allauth.account.models import EmailAddress; "
        f"EmailAddress.objects.filter(email={email!r}).update(verified=True)",
    )
    browser = browser_signed_in(stack, email, "a-long-enough-secret")
    hash_sql = f"SELECT password FROM accounts_user WHERE email = '{email}'"
    stack.psql(replica, "SELECT pg_wal_replay_pause()")
    try:
        changed = browser.post(
            stack.url(f"{ALLAUTH}/account/password/change"),
            json={"current_password": "a-long-enough-secret", "new_password": "a-new-long-secret"},
            timeout=10,
        )
        assert changed.status_code == 200, changed.text
        # The paused replica still holds the old password hash, which no longer matches the
        # session's: a user row read from it would end the session.
        assert stack.psql(replica, hash_sql) != stack.psql(
            STACK_ENV["STACK_PG_PRIMARY_PORT"], hash_sql
        )
        for _ in range(3):
            session = browser.get(stack.url(f"{ALLAUTH}/auth/session"), timeout=10)
            assert session.status_code == 200, session.text
    finally:
        stack.psql(replica, "SELECT pg_wal_replay_resume()")


def drill(verb: str, component: str) -> None:
    result = stack_command(verb, component, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_reads_keep_working_while_the_replica_is_down(stack):
    drill("stop", "replica")
    try:
        result = steady_load(stack, "/api/v1/salons?page_size=5", seconds=6)
    finally:
        drill("start", "replica")
    print(
        f"\n[replica-down] sent {result.sent}, failed {result.failed}, statuses {dict(result.statuses)}"
    )
    assert result.sent > 50
    assert result.failed == 0
    assert set(result.statuses) == {200}
