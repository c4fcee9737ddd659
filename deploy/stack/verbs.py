"""What `python -m deploy.stack` does: up, down, status, and single components for drills."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import astuple, replace
from pathlib import Path

import psycopg
from deploy.stack.app import app_env, bare_up, manage, sinks_up
from deploy.stack.config import ROOT, Stack
from deploy.stack.nginx import nginx_down, nginx_up
from deploy.stack.pitr import unarchived_seconds
from deploy.stack.postgres import pg_start, pg_stop, postgres_down, postgres_up
from deploy.stack.processes import alive, port_open, run, say, stop
from deploy.stack.releases import history
from deploy.stack.rollout import deploy
from deploy.stack.services import redis_stop, redis_up, s3_up

PROCESSES = ("nginx", "beat", "worker", "web1", "web2", "sinks", "s3", "redis")


def ensure_packages() -> None:
    """nginx and redis-server from Debian when missing (as root; otherwise say what to do)."""
    wanted = {"nginx": "nginx", "redis-server": "redis-server", "openssl": "openssl"}
    missing = [package for package, binary in wanted.items() if not _installed(binary)]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"stack: missing {', '.join(missing)}; install them with apt-get")
    say(f"installing {', '.join(missing)}")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq")
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=apt_env)
    # Debian starts the packaged services; ours run on their own ports and files.
    subprocess.run(["service", "nginx", "stop"], capture_output=True, check=False)


def _installed(binary: str) -> bool:
    return any((Path(prefix) / binary).exists() for prefix in ("/usr/bin", "/usr/sbin"))


def up(stack: Stack) -> None:
    """Everything, or (run again) the checkout's code rolled out over what runs."""
    started = time.monotonic()
    ensure_packages()
    for directory in (
        stack.dir,
        stack.logs,
        stack.run,
        stack.dir / "app",
        stack.dir / "prometheus",
    ):
        directory.mkdir(parents=True, exist_ok=True)
    for step in (postgres_up, redis_up, s3_up, sinks_up):
        step(stack)
    release = deploy(stack)
    manage(stack, "seed_demo", "--if-empty", "--salons", str(stack.salons), release=release)
    bare_up(stack)
    nginx_up(stack)
    say(f"up in {time.monotonic() - started:.1f}s")
    print(json.dumps(summary(stack), indent=2))


def down(stack: Stack) -> None:
    nginx_down(stack)
    for name in ("beat", "worker", "web1", "web2", "bare", "sinks", "s3", "redis"):
        stop(stack, name)
    postgres_down(stack)
    left = [name for name in (*PROCESSES, "bare") if alive(stack, name)]
    if left:
        raise SystemExit(f"stack: still running: {', '.join(left)}")
    say("down")


def summary(stack: Stack) -> dict[str, object]:
    ports = stack.ports
    pg = "postgres://postgres@127.0.0.1:{}/booking"
    return {
        "url": stack.url(),
        "http_redirect": f"http://127.0.0.1:{ports.http}",
        "api_docs": stack.url("/api/docs/"),
        "web": [f"http://127.0.0.1:{port}" for port in ports.web],
        "postgres_primary": pg.format(ports.primary),
        "postgres_replica": pg.format(ports.replica),
        "redis": f"redis://127.0.0.1:{ports.redis}",
        "s3": f"http://127.0.0.1:{ports.s3}",
        "outbox": str(stack.dir / "outbox"),
        "release": history(stack)[-1] if history(stack) else None,
        "wal_unarchived_seconds": _unarchived(stack),
        "logs": str(stack.logs),
        "running": {name: alive(stack, name) for name in PROCESSES},
        # None before the first `up`: there is no stack to point manage.py at yet.
        "env_file": str(write_env_file(stack)) if stack.run.is_dir() else None,
    }


def _unarchived(stack: Stack) -> float | None:
    """Seconds of WAL a lost primary disk would take with it now (None: primary down)."""
    try:
        seconds = unarchived_seconds(stack)
    except psycopg.OperationalError:
        return None
    return None if seconds is None else round(seconds, 1)


def write_env_file(stack: Stack) -> Path:
    """The app's environment, for running manage.py or a benchmark against the stack: what the
    stack sets or overrides, not what it inherits (a prefix list missed FRONTEND_URL once)."""
    env = app_env(stack)
    keys = sorted(key for key, value in env.items() if os.environ.get(key) != value)
    path = stack.dir / "app.env"
    path.write_text("".join(f"{key}={env[key]}\n" for key in keys))
    return path


# Single components, for failure drills: `python -m deploy.stack stop replica`.
COMPONENTS: dict[str, tuple[Callable[[Stack], None], Callable[[Stack], None]]] = {
    "replica": (
        lambda stack: pg_start(stack, "replica"),
        lambda stack: pg_stop(stack, "replica", mode="immediate"),
    ),
    "redis": (redis_up, redis_stop),
}


def reset(stack: Stack) -> None:
    """Stop and remove every stack this clone started, and every stack database cluster under
    /var/tmp (any clone's): what a fresh machine would not have must not help a test pass."""
    for stack_dir in sorted((ROOT / "var").glob("stack*")):
        down(replace(stack, dir=stack_dir.resolve()))
        shutil.rmtree(stack_dir)
    for pg_dir in sorted({stack.pg_dir, *Path("/var/tmp").glob("booking-stack*")}):
        for cluster in ("replica", "primary"):
            pg_stop(replace(stack, pg_dir=pg_dir), cluster, mode="immediate")
        shutil.rmtree(pg_dir, ignore_errors=True)
    ports = [
        port
        for value in astuple(stack.ports)
        for port in (value if isinstance(value, tuple) else (value,))
    ]
    busy = [port for port in ports if port_open(port)]
    if busy:
        raise SystemExit(f"stack: ports still in use after reset: {busy} (another stack runs)")
    say("reset: no stack state left")
