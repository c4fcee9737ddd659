from __future__ import annotations

import time

from conftest import STACK_ENV, first_salon_slot, login, new_customer, stack_command, steady_load


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
        booked = customer.post(
            stack.url("/api/v1/appointments"),
            json={"service": service["id"], "start": slot["start"]},
            timeout=10,
        )
        assert booked.status_code == 201
        appointment_id = booked.json()["id"]
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
