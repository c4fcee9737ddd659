"""The operator's backup and restore on the stack: backup, restore from a dump, restore to a
point in time. Each restore stops the app, restores, verifies, starts the app and waits until
it is ready through nginx; it prints what it verified and how long the service was down."""

from __future__ import annotations

import ssl
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
import redis
from deploy.stack.app import celery_up, manage, serving
from deploy.stack.backups import (
    Backup,
    backup,
    differences,
    fetch,
    fingerprints,
    primary_dsn,
    restore_dump,
    verify,
)
from deploy.stack.config import Stack
from deploy.stack.pitr import archive_current_wal, base_backup, recover_primary
from deploy.stack.processes import say, stop
from deploy.stack.releases import wait_ready
from deploy.stack.rollout import roll_web

APP = ("web1", "web2", "worker", "beat")


@dataclass(frozen=True)
class Restored:
    tables: int
    seconds_to_ready: float  # the RTO of this restore: app stopped → ready through nginx


def take_backup(stack: Stack) -> Backup:
    """A verified-restorable dump in S3 and a base backup for point-in-time restores."""
    release = serving(stack)
    taken = backup(stack, release.id)
    base_backup(stack, taken.id)
    return taken


def restore(stack: Stack, wanted: str = "latest") -> Restored:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        found = fetch(stack, wanted, Path(scratch))
        say(f"restoring backup {found.id} (taken {found.manifest['taken_at']}); app stopped")
        _stop_app(stack)
        restore_dump(stack, Path(scratch) / "booking.dump")
    tables = verify(stack, found.manifest["tables"])
    return _start_app(stack, tables, started)


def restore_to_time(stack: Stack, moment: datetime) -> Restored:
    if moment.tzinfo is None:
        raise SystemExit("stack: --to-time needs an offset (e.g. 2026-12-02T10:15:00+00:00)")
    started = time.monotonic()
    archive_current_wal(stack)  # everything committed so far can be replayed
    say(f"restoring to {moment.isoformat()}; app stopped")
    _stop_app(stack)
    recover_primary(stack, moment)
    tables = _verify_replica_matches(stack)
    return _start_app(stack, tables, started)


def _stop_app(stack: Stack) -> None:
    for name in APP:
        stop(stack, name)


def _start_app(stack: Stack, tables: int, started: float) -> Restored:
    release = serving(stack)
    # Cached answers describe the database before the restore.
    redis.Redis(port=stack.ports.redis, db=0).flushdb()
    manage(stack, "migrate", "--check", release=release)
    roll_web(stack, release, ready_timeout=120)
    celery_up(stack, release)
    context = ssl.create_default_context(cafile=str(stack.dir / "nginx" / "tls.crt"))
    wait_ready(stack.url("/health/ready"), timeout=60, context=context)
    restored = Restored(tables, time.monotonic() - started)
    say(f"ready through nginx {restored.seconds_to_ready:.1f}s after the app stopped")
    return restored


def _verify_replica_matches(stack: Stack, timeout: float = 60) -> int:
    """After a point-in-time restore there is no manifest: the replica must equal the primary."""
    replica = primary_dsn(stack).replace(str(stack.ports.primary), str(stack.ports.replica))
    deadline = time.monotonic() + timeout
    with psycopg.connect(primary_dsn(stack)) as primary:
        expected = fingerprints(primary)
    while True:
        with psycopg.connect(replica) as conn:
            wrong = differences(expected, fingerprints(conn))
        if not wrong:
            say(f"verified {len(expected)} tables on the primary and the new replica")
            return len(expected)
        if time.monotonic() > deadline:
            raise SystemExit(
                "stack: the replica differs from the primary:\n  " + "\n  ".join(wrong)
            )
        time.sleep(1)
