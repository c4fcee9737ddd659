"""Point-in-time restore of the stack's primary: a base backup and the WAL archive replayed up
to a moment, then promoted; the replica is cloned again from the restored primary."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from deploy.stack.backups import primary_dsn
from deploy.stack.config import Stack
from deploy.stack.postgres import clone_replica, pg_bin, pg_start, pg_stop, wal_archive
from deploy.stack.processes import run, say


def base_backups(stack: Stack) -> Path:
    return stack.pg_dir / "base-backups"


def base_backup(stack: Stack, backup_id: str) -> Path:
    """A compressed base backup with the WAL it needs, ready to be the start of a recovery."""
    target = base_backups(stack) / backup_id
    run(pg_bin() / "pg_basebackup", "-h", "127.0.0.1", "-p", str(stack.ports.primary),
        "-U", "postgres", "-D", target, "-Ft", "-z", "-X", "fetch", "-c", "fast",
        user="postgres")  # fmt: skip
    (target.parent / f"{backup_id}.done").write_text(datetime.now(UTC).isoformat())
    say(f"base backup {backup_id} kept in {target}")
    return target


def _newest_before(stack: Stack, moment: datetime) -> Path:
    finished = {
        done.stem: datetime.fromisoformat(done.read_text())
        for done in base_backups(stack).glob("*.done")
    }
    usable = sorted(name for name, at in finished.items() if at < moment)
    if not usable:
        raise SystemExit(f"stack: no base backup finished before {moment.isoformat()}")
    return base_backups(stack) / usable[-1]


def archive_current_wal(stack: Stack, timeout: float = 30) -> None:
    """Close the primary's WAL segment and wait until the archive has it. A primary that is
    gone (the disaster itself) leaves what the archive already has."""
    try:
        with psycopg.connect(primary_dsn(stack), autocommit=True, connect_timeout=3) as conn:
            # A commit stamped now: recovery stops at the first commit past its target, and
            # ends in error if it finds none.
            conn.execute("SELECT pg_current_xact_id()")
            segment = _one(conn, "SELECT pg_walfile_name(pg_switch_wal())")
    except psycopg.OperationalError as error:
        say(f"the primary does not answer ({error}); replaying what the archive has")
        return
    deadline = time.monotonic() + timeout
    while not (wal_archive(stack) / segment).exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"stack: WAL segment {segment} was not archived in {timeout:.0f}s")
        time.sleep(0.2)


def _one(conn: psycopg.Connection[Any], sql: str) -> Any:
    row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


def unarchived_seconds(stack: Stack) -> float | None:
    """How much could be lost now if the primary's disk died: age of the last archived WAL."""
    with psycopg.connect(primary_dsn(stack, "postgres"), connect_timeout=3) as conn:
        last = _one(
            conn, "SELECT extract(epoch FROM now() - last_archived_time) FROM pg_stat_archiver"
        )
    return float(last) if last is not None else None  # nothing archived yet


def recover_primary(stack: Stack, moment: datetime) -> None:
    """The primary replaced by its newest base backup before `moment`, replayed to `moment`."""
    base = _newest_before(stack, moment)
    primary = stack.pg_dir / "primary"
    pg_stop(stack, "replica")
    pg_stop(stack, "primary")
    replaced = stack.pg_dir / "primary.replaced"
    shutil.rmtree(replaced, ignore_errors=True)
    primary.rename(replaced)  # kept until the next restore, for whoever needs to look
    run("install", "-d", "-m", "0700", primary, user="postgres")
    run("tar", "-xzf", base / "base.tar.gz", "-C", primary, user="postgres")
    with (primary / "postgresql.auto.conf").open("a") as conf:
        conf.write(
            f"restore_command = 'cp {wal_archive(stack)}/%f %p'\n"
            f"recovery_target_time = '{moment.isoformat()}'\n"
            "recovery_target_action = 'promote'\n"
        )
    (primary / "recovery.signal").touch()
    say(f"replaying WAL from base backup {base.name} to {moment.isoformat()}")
    pg_start(stack, "primary")
    _wait_promoted(stack)
    _rebuild_replica(stack)


def _wait_promoted(stack: Stack, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not (stack.pg_dir / "primary" / "postmaster.pid").exists():
            log = (stack.pg_dir / "primary.log").read_text().splitlines()[-8:]
            raise SystemExit("stack: recovery failed; the primary's log ends:\n" + "\n".join(log))
        try:
            with psycopg.connect(primary_dsn(stack, "postgres"), autocommit=True) as conn:
                if not _one(conn, "SELECT pg_is_in_recovery()"):
                    _forget_recovery_target(conn)
                    return
        except psycopg.OperationalError:
            pass  # still starting
        time.sleep(0.5)
    raise SystemExit(f"stack: the primary did not finish recovery in {timeout:.0f}s")


def _forget_recovery_target(conn: psycopg.Connection[Any]) -> None:
    """A replica cloned from the promoted primary must not inherit its recovery target."""
    for setting in ("restore_command", "recovery_target_time", "recovery_target_action"):
        conn.execute(f"ALTER SYSTEM RESET {setting}")
    conn.execute("SELECT pg_reload_conf()")


def _rebuild_replica(stack: Stack) -> None:
    replica = stack.pg_dir / "replica"
    shutil.rmtree(replica, ignore_errors=True)
    clone_replica(stack, replica)
    pg_start(stack, "replica")
