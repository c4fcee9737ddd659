"""The stack's PostgreSQL primary and streaming replica: own clusters, run as `postgres`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from deploy.stack.config import Stack
from deploy.stack.processes import port_open, run, say


def pg_bin() -> Path:
    explicit = os.environ.get("PG_BIN")
    if explicit:
        return Path(explicit)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise SystemExit("stack: PostgreSQL server binaries not found (apt-get install postgresql)")
    return versions[-1]


def postgres_up(stack: Stack) -> None:
    primary, replica = stack.pg_dir / "primary", stack.pg_dir / "replica"
    stack.pg_dir.mkdir(parents=True, exist_ok=True)
    wal_archive(stack).mkdir(exist_ok=True)
    if os.geteuid() == 0:
        for owned in (stack.pg_dir, wal_archive(stack)):
            shutil.chown(owned, "postgres", "postgres")
    if not (primary / "PG_VERSION").exists():
        _init_primary(stack, primary)
    pg_start(stack, "primary")
    _ensure_database(stack)
    if not (replica / "PG_VERSION").exists():
        clone_replica(stack, replica)
    pg_start(stack, "replica")


def _init_primary(stack: Stack, data: Path) -> None:
    say("initialising the PostgreSQL primary")
    run(pg_bin() / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
        user="postgres")  # fmt: skip
    (data / "postgresql.auto.conf").write_text(primary_conf(stack))
    with (data / "pg_hba.conf").open("a") as hba:
        hba.write("host replication postgres 127.0.0.1/32 trust\n")


def clone_replica(stack: Stack, data: Path) -> None:
    say("cloning the streaming replica (pg_basebackup)")
    run(pg_bin() / "pg_basebackup", "-h", "127.0.0.1", "-p", str(stack.ports.primary),
        "-U", "postgres", "-D", data, "-R", "-X", "stream", "-c", "fast",
        user="postgres")  # fmt: skip
    with (data / "postgresql.auto.conf").open("a") as conf:
        conf.write(f"port = {stack.ports.replica}\nhot_standby = on\n")


ARCHIVE_TIMEOUT_SECONDS = 60


def wal_archive(stack: Stack) -> Path:
    return stack.pg_dir / "wal-archive"


def primary_conf(stack: Stack) -> str:
    archive = wal_archive(stack)
    return "\n".join(
        [
            f"port = {stack.ports.primary}",
            "listen_addresses = '127.0.0.1'",
            # The stack's own directory: nothing outside it may be assumed to exist.
            f"unix_socket_directories = '{stack.pg_dir}'",
            "wal_level = replica",
            "max_wal_senders = 5",
            "wal_keep_size = '256MB'",
            "max_connections = 200",
            "shared_buffers = '256MB'",
            "synchronous_commit = on",
            "fsync = on",
            # Every WAL segment is archived (point-in-time restore); a quiet primary still
            # closes its segment every ARCHIVE_TIMEOUT seconds, which bounds what a lost disk
            # can take with it (the RPO).
            "archive_mode = on",
            f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'",
            f"archive_timeout = {ARCHIVE_TIMEOUT_SECONDS}",
            "",
        ]
    )


def pg_start(stack: Stack, name: str) -> None:
    port = stack.ports.primary if name == "primary" else stack.ports.replica
    if port_open(port):
        say(f"PostgreSQL {name} already running on {port}")
        return
    # The log sits beside the cluster: the postgres user may not write into STACK_DIR.
    run(pg_bin() / "pg_ctl", "-D", stack.pg_dir / name, "-l", stack.pg_dir / f"{name}.log",
        "-w", "-t", "60", "start", user="postgres")  # fmt: skip
    say(f"PostgreSQL {name} on 127.0.0.1:{port}")


def psql(stack: Stack, sql: str, database: str = "postgres") -> str:
    """One statement on the stack's primary; its output, trimmed."""
    primary = str(stack.ports.primary)
    return run(
        "psql", "-h", "127.0.0.1", "-p", primary, "-U", "postgres", "-d", database, "-tAc", sql
    ).strip()


def _ensure_database(stack: Stack) -> None:
    if not psql(stack, "SELECT 1 FROM pg_database WHERE datname = 'booking'"):
        psql(stack, "CREATE DATABASE booking")


def pg_stop(stack: Stack, name: str, mode: str = "fast") -> None:
    """Stop one cluster if it runs (`immediate` is a crash, for failure drills)."""
    data = stack.pg_dir / name
    if not (data / "postmaster.pid").exists():
        return
    command = [str(pg_bin() / "pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop"]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, capture_output=True, check=False, cwd="/")


def postgres_down(stack: Stack) -> None:
    for name in ("replica", "primary"):
        pg_stop(stack, name)
