"""The stack's database clusters keep everything, sockets included, in their own directory."""

from __future__ import annotations

from pathlib import Path

from deploy.stack.config import Stack
from deploy.stack.postgres import primary_conf


def test_the_primary_puts_its_socket_in_the_stacks_own_directory(tmp_path: Path):
    # A hard-coded /var/tmp/booking-stack existed only where `make stack-up` had run before.
    conf = primary_conf(Stack(pg_dir=tmp_path / "clusters"))

    assert f"unix_socket_directories = '{tmp_path / 'clusters'}'" in conf
    assert "/var/tmp/booking-stack'" not in conf


def test_the_cluster_directory_follows_stack_pg_dir(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("STACK_PG_DIR", str(tmp_path))

    assert Stack().pg_dir == tmp_path
    assert f"'{tmp_path}'" in primary_conf(Stack())
