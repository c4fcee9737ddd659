"""The stack's app.env: what manage.py and the system tests run the app with."""

from __future__ import annotations

from pathlib import Path

import pytest
from deploy.stack.config import Stack
from deploy.stack.verbs import summary, write_env_file


def env_file_of(stack: Stack) -> dict[str, str]:
    lines = write_env_file(stack).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_it_holds_every_variable_production_settings_require(tmp_path: Path) -> None:
    stack = Stack(dir=tmp_path)
    stack.run.mkdir(parents=True)
    env = env_file_of(stack)
    for required in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY_FILE", "DATABASE_URL"):
        assert required in env
    assert env["FRONTEND_URL"] == f"https://127.0.0.1:{stack.ports.https}"
    assert env["TRUSTED_PROXY_COUNT"] == "1"


def test_it_leaves_out_what_the_stack_only_inherits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOME_SHELL_VARIABLE", "from the caller")
    monkeypatch.setenv("STACK_APP_REPLICA_MAX_LAG_SECONDS", "7")
    stack = Stack(dir=tmp_path)
    stack.run.mkdir(parents=True)
    env = env_file_of(stack)
    assert "SOME_SHELL_VARIABLE" not in env
    assert env["REPLICA_MAX_LAG_SECONDS"] == "7"  # a STACK_APP_ override is the stack's setting


def test_the_status_of_a_stack_never_brought_up_says_so(tmp_path: Path) -> None:
    # `make stack-status` on a fresh machine used to fail writing the secret into a missing dir
    status = summary(Stack(dir=tmp_path / "never-up"))
    assert status["env_file"] is None
    assert status["release"] is None
    running = status["running"]
    assert isinstance(running, dict) and not any(running.values())
