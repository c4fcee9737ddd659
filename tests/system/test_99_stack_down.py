"""Runs last: stack-down leaves nothing behind, and stack-up after stack-down works again."""

from __future__ import annotations

import subprocess

from conftest import STACK_DIR, STACK_ENV, stack_command

PORTS = [value for key, value in STACK_ENV.items() if key.endswith("_PORT")]


def leftovers() -> list[str]:
    ours = subprocess.run(
        [
            "pgrep",
            "-af",
            f"{STACK_DIR}|booking-stack-test|:{STACK_ENV['STACK_REDIS_PORT']}|-p {STACK_ENV['STACK_S3_PORT']}",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=False).stdout
    open_ports = [port for port in PORTS if f":{port} " in listening]
    return [line for line in ours if "pgrep" not in line] + [f"port {port}" for port in open_ports]


def test_stack_down_leaves_nothing_and_up_works_again(stack):
    assert stack_command("down").returncode == 0
    assert leftovers() == []
    again = stack_command("up")
    assert again.returncode == 0, again.stderr
    assert stack.session().get(stack.url("/health/ready"), timeout=10).status_code == 200
    assert stack_command("down").returncode == 0
    assert leftovers() == []
