"""Backups of the stack's database and restores that are verified, as on RDS: a logical dump
(pg_dump -Fc) with a manifest of every table's row count and checksum, taken from one
snapshot and kept in the stack's S3; a base backup beside the WAL archive for point-in-time
restores. A restore stops the app, restores, verifies table by table, and starts it again."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from deploy.stack.config import Stack
from deploy.stack.postgres import pg_bin
from deploy.stack.processes import run, say
from deploy.stack.services import s3_client

BUCKET = "booking-backups"
Fingerprints = dict[str, list[Any]]  # table -> [row count, checksum]


def primary_dsn(stack: Stack, database: str = "booking") -> str:
    return f"postgresql://postgres@127.0.0.1:{stack.ports.primary}/{database}"


def fingerprints(connection: psycopg.Connection[Any]) -> Fingerprints:
    """Every table's row count and an order-independent checksum of its rows, as text in UTC."""
    connection.execute("SET TIME ZONE 'UTC'")
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    result: Fingerprints = {}
    for table in tables:
        count, checksum = connection.execute(
            f"SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') FROM \"{table}\" t"  # noqa: E501, S608 (names from the catalogue)
        ).fetchone() or (0, "")
        result[table] = [count, checksum]
    return result


def differences(expected: Fingerprints, actual: Fingerprints) -> list[str]:
    """What differs, table by table (empty when the restore is exact)."""
    names = sorted(set(expected) | set(actual))
    return [
        f"{name}: expected {expected.get(name)}, found {actual.get(name)}"
        for name in names
        if expected.get(name) != actual.get(name)
    ]


@dataclass(frozen=True)
class Backup:
    id: str
    manifest: dict[str, Any]


def backup(stack: Stack, release: str | None) -> Backup:
    """A dump and its manifest from one snapshot, uploaded to s3://booking-backups/ID/."""
    backup_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"
    say(f"backup {backup_id}: dumping the primary")
    with tempfile.TemporaryDirectory() as scratch, psycopg.connect(primary_dsn(stack)) as conn:
        # One snapshot for the dump and the manifest: they describe the same database.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        dump = Path(scratch) / "booking.dump"
        run(pg_bin() / "pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", dump,
            "-d", primary_dsn(stack))  # fmt: skip
        tables = fingerprints(conn)
        manifest = {
            "id": backup_id,
            "release": release,
            "taken_at": datetime.now(UTC).isoformat(),
            "tables": tables,
        }
        client = s3_client(stack)
        _ensure_bucket(client)
        client.upload_file(str(dump), BUCKET, f"{backup_id}/booking.dump")
        client.put_object(Bucket=BUCKET, Key=f"{backup_id}/manifest.json",
                          Body=json.dumps(manifest).encode())  # fmt: skip
    say(f"backup {backup_id}: {len(tables)} tables, kept in s3://{BUCKET}/{backup_id}/")
    return Backup(backup_id, manifest)


def _ensure_bucket(client: Any) -> None:
    if BUCKET not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
        client.create_bucket(Bucket=BUCKET)


def backup_ids(stack: Stack) -> list[str]:
    listing = s3_client(stack).list_objects_v2(Bucket=BUCKET, Delimiter="/")
    return sorted(prefix["Prefix"].rstrip("/") for prefix in listing.get("CommonPrefixes", []))


def fetch(stack: Stack, wanted: str, into: Path) -> Backup:
    """The dump of backup `wanted` (an id, or "latest") downloaded into `into`."""
    ids = backup_ids(stack)
    backup_id = ids[-1] if wanted == "latest" and ids else wanted
    if backup_id not in ids:
        raise SystemExit(f"stack: no backup {wanted!r} in s3://{BUCKET} (have: {ids or 'none'})")
    client = s3_client(stack)
    client.download_file(BUCKET, f"{backup_id}/booking.dump", str(into / "booking.dump"))
    body = client.get_object(Bucket=BUCKET, Key=f"{backup_id}/manifest.json")["Body"].read()
    return Backup(backup_id, json.loads(body))


def restore_dump(stack: Stack, dump: Path) -> None:
    """Replace the booking database with the dump (the app must be stopped)."""
    with psycopg.connect(primary_dsn(stack, "postgres"), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS booking WITH (FORCE)")
        conn.execute("CREATE DATABASE booking")
    run(pg_bin() / "pg_restore", "--no-owner", "--exit-on-error", "-d", primary_dsn(stack), dump)


def verify(stack: Stack, expected: Fingerprints) -> int:
    """Every table as the manifest says, or exit naming the ones that differ."""
    with psycopg.connect(primary_dsn(stack)) as conn:
        wrong = differences(expected, fingerprints(conn))
    if wrong:
        raise SystemExit("stack: the restored database differs:\n  " + "\n  ".join(wrong))
    say(f"verified {len(expected)} tables: row counts and checksums match")
    return len(expected)
