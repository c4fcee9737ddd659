"""Releases on the stack, as a task definition is on ECS: the application code frozen in a
directory plus the environment it runs with. A deploy migrates with the new release, then
replaces the web replicas one at a time — each taken out of nginx, replaced, gated on its own
/health/ready, put back — and puts the previous release back by itself if one never becomes
ready; the Celery worker and beat follow once the web tier is on the new release."""

from __future__ import annotations

import compileall
import json
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from deploy.stack.config import BACKEND, ROOT, Stack
from deploy.stack.processes import say


class NotReady(RuntimeError):
    """A replica did not answer /health/ready with 200 in time."""


@dataclass(frozen=True)
class Release:
    id: str
    code: Path  # the release's copy of backend/
    env: dict[str, str] = field(default_factory=dict)  # on top of the stack's app environment


def releases_dir(stack: Stack) -> Path:
    return stack.dir / "releases"


def _history_file(stack: Stack) -> Path:
    return releases_dir(stack) / "history.json"


def history(stack: Stack) -> list[str]:
    """Release ids that have served, oldest first; the last one serves now."""
    try:
        return list(json.loads(_history_file(stack).read_text()))
    except FileNotFoundError:
        return []


def load(stack: Stack, release_id: str) -> Release:
    path = releases_dir(stack) / release_id
    if not (path / "release.json").exists():
        known = ", ".join(history(stack)) or "none"
        raise SystemExit(f"stack: no release {release_id!r} (releases that served: {known})")
    env = json.loads((path / "release.json").read_text())["env"]
    return Release(release_id, path / "backend", env)


def current(stack: Stack) -> Release | None:
    ids = history(stack)
    return load(stack, ids[-1]) if ids else None


def record_serving(stack: Stack, release: Release) -> None:
    ids = [known for known in history(stack) if known != release.id] + [release.id]
    _history_file(stack).write_text(json.dumps(ids))


def _commit() -> str:
    described = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return described.stdout.strip() or "nogit"


def build(stack: Stack, env: dict[str, str] | None = None, source: Path = BACKEND) -> Release:
    """Freeze `source` (the checkout's backend) as a new release."""
    release_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{_commit()}"
    path = releases_dir(stack) / release_id
    skip = shutil.ignore_patterns("__pycache__", "tests", "*.pyc")
    shutil.copytree(source, path / "backend", ignore=skip)
    # As the image's build: with PYTHONDONTWRITEBYTECODE set, each new worker compiled the
    # modules it imported (`make sync` compiles the virtualenv's).
    compileall.compile_dir(path / "backend", quiet=1, workers=0)
    (path / "release.json").write_text(json.dumps({"id": release_id, "env": env or {}}))
    say(f"release {release_id} built from {source}")
    return Release(release_id, path / "backend", env or {})


def wait_ready(url: str, timeout: float, context: ssl.SSLContext | None = None) -> None:
    """Until GET `url` answers 200; NotReady with the last answer when `timeout` runs out."""
    deadline, last = time.monotonic() + timeout, "no answer"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3, context=context) as response:  # noqa: S310
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            last = f"{error.code} {error.read()[:200].decode(errors='replace')}"
        except OSError as error:
            last = str(error)
        time.sleep(0.5)
    raise NotReady(f"{url} not ready after {timeout:.0f}s: {last}")
