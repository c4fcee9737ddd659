"""Deploy and roll back on the stack: migrate first, then one web replica at a time gated on
its readiness, the previous release put back by itself when the new one never becomes ready."""

from __future__ import annotations

import shutil
import time

from deploy.stack.app import celery_up, migrate, replica_ready, web_start
from deploy.stack.config import Stack
from deploy.stack.nginx import nginx_up
from deploy.stack.processes import alive, say
from deploy.stack.releases import (
    NotReady,
    Release,
    build,
    current,
    history,
    load,
    record_serving,
    releases_dir,
)

KEEP_RELEASES = 5


def roll_web(stack: Stack, release: Release, ready_timeout: float) -> None:
    """Each replica in turn: out of nginx, replaced, ready on its own port, back in."""
    routed = alive(stack, "nginx")
    for index, port in enumerate(stack.ports.web, start=1):
        if routed:
            nginx_up(stack, drained=frozenset({port}))
            time.sleep(1.5)  # the reload is applied and requests already sent to it finish
        web_start(stack, index, release)
        replica_ready(port, ready_timeout)
        if routed:
            nginx_up(stack)
        say(f"web{index} serves release {release.id}")


def deploy(stack: Stack, env: dict[str, str] | None = None, ready_timeout: float = 60) -> Release:
    """The checkout's code (with `env` on top) as the serving release, or the previous one back."""
    started, previous = time.monotonic(), current(stack)
    release = build(stack, env)
    migrate(stack, release)  # fails loudly; until here nothing that serves has changed
    try:
        roll_web(stack, release, ready_timeout)
    except NotReady as failure:
        _put_back(stack, previous, failure)
    celery_up(stack, release)
    record_serving(stack, release)
    _prune(stack)
    say(f"release {release.id} serves ({time.monotonic() - started:.1f}s)")
    return release


def _put_back(stack: Stack, previous: Release | None, failure: NotReady) -> None:
    if previous is None:
        raise SystemExit(f"stack: the first release never became ready: {failure}")
    say(f"rolling back to {previous.id}: {failure}")
    roll_web(stack, previous, ready_timeout=120)
    raise SystemExit(
        f"stack: deploy failed and was rolled back ({failure}); release {previous.id} serves"
    )


def rollback(stack: Stack, to: str | None = None, ready_timeout: float = 60) -> Release:
    """Back to the release before the serving one, or to the release named `to`."""
    ids = history(stack)
    if to is None and len(ids) < 2:
        raise SystemExit("stack: nothing to roll back to (only one release has served)")
    target = load(stack, to or ids[-2])
    roll_web(stack, target, ready_timeout)
    celery_up(stack, target)
    record_serving(stack, target)
    say(f"rolled back: release {target.id} serves")
    return target


def _prune(stack: Stack) -> None:
    """Keep the releases that served last (rollback targets); drop older and failed ones."""
    keep = set(history(stack)[-KEEP_RELEASES:])
    for path in releases_dir(stack).iterdir():
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path)
