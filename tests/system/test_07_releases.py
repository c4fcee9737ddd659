"""Deploy and rollback on the stack (`ops deploy|rollback --env local`, which run
`python -m deploy.stack deploy|rollback`): replicas replaced one at a time behind nginx, each
gated on its readiness, under a load that must see no failed request."""

from __future__ import annotations

import json
import subprocess

from conftest import STACK_DIR, load_while, ops_command, stack_command

LOAD_PATH = "/api/v1/salons?page_size=5"


def serving() -> str:
    return json.loads((STACK_DIR / "releases" / "history.json").read_text())[-1]


def web_pids() -> set[int]:
    return {int((STACK_DIR / "run" / f"web{i}.pid").read_text()) for i in (1, 2)}


def under_load(stack, command) -> tuple[subprocess.CompletedProcess[str], object]:
    outcome: list[subprocess.CompletedProcess[str]] = []
    result = load_while(stack, LOAD_PATH, lambda: outcome.append(command()), clients=2)
    return outcome[0], result


def test_a_release_that_never_becomes_ready_is_rolled_back_without_a_failed_request(stack):
    before = serving()
    # A release whose cache address is wrong: it starts, but /health/ready answers 503.
    bad = ("deploy", "--set", "REDIS_URL=redis://127.0.0.1:9/0", "--ready-timeout", "8")
    deployed, load = under_load(stack, lambda: stack_command(*bad))
    print(f"\n[bad release] sent {load.sent}, failed {load.failed}, statuses {dict(load.statuses)}")

    assert deployed.returncode != 0
    assert "rolled back" in deployed.stdout + deployed.stderr
    assert serving() == before
    assert load.failed == 0 and set(load.statuses) == {200} and load.sent > 50


def test_a_good_release_replaces_every_replica_without_a_failed_request(stack):
    before, pids = serving(), web_pids()
    deployed, load = under_load(stack, lambda: ops_command("deploy"))
    print(f"\n[deploy] sent {load.sent}, failed {load.failed}, statuses {dict(load.statuses)}")

    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert serving() != before
    assert not pids & web_pids()
    assert load.failed == 0 and set(load.statuses) == {200}


def test_rollback_puts_the_previous_release_back_without_a_failed_request(stack):
    history = json.loads((STACK_DIR / "releases" / "history.json").read_text())
    rolled, load = under_load(stack, lambda: ops_command("rollback"))
    print(f"\n[rollback] sent {load.sent}, failed {load.failed}, statuses {dict(load.statuses)}")

    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert serving() == history[-2]
    assert load.failed == 0 and set(load.statuses) == {200}
