"""Backups that are really restored (`ops backup|restore --env local`, which run
`python -m deploy.stack backup|restore`): bookings made before the backup or the moment come
back, later ones do not, every table is verified, and the time to a ready service is shown."""

from __future__ import annotations

import datetime as dt
import re
import time

from conftest import first_salon_slot, new_customer, ops_command, stack_command


def book(stack, customer, pick: int) -> str:
    _, service, slot = first_salon_slot(stack, customer, days_ahead=20, pick=pick)
    booked = customer.post(
        stack.url("/api/v1/appointments"),
        json={"service": service["id"], "start": slot["start"]},
        timeout=10,
    )
    assert booked.status_code == 201, booked.text
    return booked.json()["id"]


def exists(stack, customer, appointment_id: str) -> bool:
    answer = customer.get(stack.url(f"/api/v1/appointments/{appointment_id}"), timeout=10)
    assert answer.status_code in (200, 404), answer.text
    return answer.status_code == 200


def restored(*args: str) -> str:
    result = ops_command("restore", *args)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"verified \d+ tables", output), output
    rto = re.search(r"ready through nginx ([\d.]+)s", output)
    assert rto, output
    return rto.group(1)


def test_a_restored_backup_has_the_bookings_made_before_it_and_not_those_after(stack):
    customer = stack.session(new_customer(stack, "backup"))
    kept = book(stack, customer, pick=0)
    backup = ops_command("backup")
    assert backup.returncode == 0, backup.stdout + backup.stderr
    lost = book(stack, customer, pick=1)

    seconds = restored("--backup", "latest")
    print(f"\n[restore] RTO {seconds}s; before-backup booking kept, after-backup booking gone")

    assert exists(stack, customer, kept)
    assert not exists(stack, customer, lost)


def test_a_point_in_time_restore_keeps_the_booking_before_the_moment_and_not_the_one_after(stack):
    assert ops_command("backup").returncode == 0  # the base backup the replay starts from
    customer = stack.session(new_customer(stack, "pitr"))
    kept = book(stack, customer, pick=2)
    time.sleep(1)
    moment = dt.datetime.now(dt.UTC)
    time.sleep(1)
    lost = book(stack, customer, pick=3)
    status = stack_command("status")
    unarchived = re.search(r'"wal_unarchived_seconds": ([\d.]+|null)', status.stdout)

    seconds = restored("--to-time", moment.isoformat())
    print(
        f"\n[pitr] RTO {seconds}s; WAL not yet archived at the moment of the drill:"
        f" {unarchived.group(1) if unarchived else '?'}s (archive_timeout bounds it)"
    )

    assert exists(stack, customer, kept)
    assert not exists(stack, customer, lost)
