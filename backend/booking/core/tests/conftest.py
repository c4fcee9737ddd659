"""Fixtures of the cache tests: a version mirror of a real Redis server, and the default
cache on the shared one."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings

from booking.core import versioned_cache
from booking.core.tests.processes import wait_for
from booking.core.versioned_cache import VersionMirror

SHARED_REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def started() -> Iterator[Callable[..., VersionMirror]]:
    mirrors: list[VersionMirror] = []

    def start(url: str, prefix: str, heartbeat: float = 5.0) -> VersionMirror:
        mirror = VersionMirror(url, [prefix], heartbeat)
        mirrors.append(mirror)
        mirror.get("anything")  # starts the listener in this process
        wait_for(lambda: mirror.live, timeout=5, what="the version mirror to subscribe")
        return mirror

    yield start
    for mirror in mirrors:
        mirror.close()


@pytest.fixture
def prefix() -> str:
    return f"test:{uuid.uuid4().hex}:version:"


@pytest.fixture
def redis_cache(monkeypatch, prefix, started) -> Iterator[VersionMirror]:
    """The default cache on the shared Redis, with a fresh mirror.

    The version key `<prefix>salon` is 5, written before the mirror subscribed (the report of a
    later write could arrive during a test's first read and spoil it).
    """
    backend = {"BACKEND": "booking.core.cache.ResilientRedisCache", "LOCATION": SHARED_REDIS}
    with override_settings(CACHES={"default": backend}):
        cache.set(f"{prefix}salon", 5, timeout=None)
        mirror = started(SHARED_REDIS, cache.make_key(prefix))
        monkeypatch.setattr(versioned_cache, "versions", mirror)
        yield mirror
