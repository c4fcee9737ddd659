from __future__ import annotations

import os
import signal
import subprocess

from conftest import STACK_DIR, steady_load


def master_pid(index: int) -> int:
    return int((STACK_DIR / "run" / f"web{index}.pid").read_text())


def worker_pids(index: int) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(master_pid(index))], capture_output=True, text=True, check=False
    ).stdout
    return [int(pid) for pid in out.split()]


def test_a_gunicorn_worker_killed_under_load_fails_no_request(stack):
    victims = worker_pids(1)
    assert victims

    def kill() -> None:
        os.kill(victims[0], signal.SIGKILL)

    result = steady_load(stack, "/api/v1/salons?page_size=5", seconds=8, during=kill)
    print(
        f"\n[sigkill] sent {result.sent}, failed {result.failed}, statuses {dict(result.statuses)}"
    )
    assert victims[0] not in worker_pids(1)
    assert result.failed == 0 and set(result.statuses) == {200}


def test_a_graceful_reload_under_load_fails_no_request(stack):
    before = set(worker_pids(2))

    def reload() -> None:
        os.kill(master_pid(2), signal.SIGHUP)

    result = steady_load(stack, "/api/v1/salons?page_size=5", seconds=8, during=reload)
    print(
        f"\n[reload] sent {result.sent}, failed {result.failed}, statuses {dict(result.statuses)}"
    )
    assert not before & set(worker_pids(2))  # every worker was replaced
    assert result.failed == 0 and set(result.statuses) == {200}
