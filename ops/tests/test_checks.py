"""The table verification that runs inside the app image, run here for real: Django from
backend/ and two databases on the local PostgreSQL standing in for the source and the restore.
Skipped when PostgreSQL at 127.0.0.1:5432 (user postgres, trust) is not reachable."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from booking_ops.aws import checks

BACKEND = Path(__file__).resolve().parents[2] / "backend"
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
BOOKINGS = [(1, "alice", "2026-01-31 10:00+00"), (2, "bob", "2026-01-31 11:00+00")]


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    try:
        admin = psycopg.connect(ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL at 127.0.0.1:5432")
    names = (
        f"ops_verify_source_{uuid.uuid4().hex[:8]}",
        f"ops_verify_restored_{uuid.uuid4().hex[:8]}",
    )
    try:
        for name in names:
            admin.execute(f'create database "{name}"')
            with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}") as db:
                db.execute("create table booking (id int primary key, who text, at timestamptz)")
                db.cursor().executemany("insert into booking values (%s, %s, %s)", BOOKINGS)
        yield names
    finally:
        for name in names:
            admin.execute(f'drop database if exists "{name}" with (force)')
    admin.close()


def _verify(restored: str, source: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{restored}",
        "VERIFY_SOURCE_HOST": "127.0.0.1",
        "VERIFY_SOURCE_NAME": source,
        "LOG_FORMAT": "console",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", checks.TABLES],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _on(name: str, sql: str) -> None:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}") as db:
        db.execute(sql)


def test_identical_databases_pass(databases: tuple[str, str]) -> None:
    source, restored = databases

    result = _verify(restored, source)

    assert result.returncode == 0, result.stderr
    assert '"differ": []' in result.stdout


def test_a_changed_row_fails(databases: tuple[str, str]) -> None:
    source, restored = databases
    _on(restored, "update booking set who = 'mallory' where id = 2")

    result = _verify(restored, source)

    assert result.returncode == 1
    assert '"differ": ["booking"]' in result.stdout


def test_a_missing_table_fails_even_with_drift_allowed(databases: tuple[str, str]) -> None:
    source, restored = databases
    _on(source, "create table later (id int)")

    result = _verify(restored, source, VERIFY_ALLOW_DRIFT="1")

    assert result.returncode == 2
    assert '"missing": ["later"]' in result.stdout


def test_drift_is_reported_but_allowed_when_expected(databases: tuple[str, str]) -> None:
    source, restored = databases
    _on(source, "insert into booking values (3, 'carol', '2026-01-31 12:00+00')")

    result = _verify(restored, source, VERIFY_ALLOW_DRIFT="1")

    assert result.returncode == 0
    assert '"differ": ["booking"]' in result.stdout


def _ready(database_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "console",
    }
    return subprocess.run(
        [sys.executable, "-c", checks.READY],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_readiness_passes_on_a_reachable_database(databases: tuple[str, str]) -> None:
    result = _ready(f"postgres://postgres@127.0.0.1:5432/{databases[1]}")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("200")


def test_readiness_fails_when_the_database_is_unreachable(databases: tuple[str, str]) -> None:
    result = _ready("postgres://postgres@127.0.0.1:1/nothing")

    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("503")
