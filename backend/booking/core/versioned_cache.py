"""Values cached under a version that writes bump, with a process-local copy of both.

A cached answer is stored as (version, value, expires_at) and served only while its version is
still the current one (see salons/availability_cache.py): a write bumps the version and every
answer built under the old one is dead at once, in every process.

Asking Redis for the current version costs a network round trip per request, more than a whole
bare request on a busy machine. So each process keeps the versions it has read and the values
it has served, and one connection per process asks Redis to report every change to a version
key (CLIENT TRACKING in broadcast mode for the version prefixes, redirected to the connection
itself and read as pub/sub messages). A bump, an expiry, an eviction or a flush drops the local
version; losing that connection drops them all, and the process asks Redis every time until it
has reconnected. A local value never outlives the expiry its Redis entry was written with.

A version also tells when it last changed (`bump`), so a value built in the first seconds after
a change reads the primary (`building_under`): built from a replica that had not replayed the
change, it would be served as current under the new version until it expired.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, TypeGuard

import redis
from django.conf import settings
from django.core.cache import cache

from booking.core.cache import bump_version, get_with_versions, set_each
from booking.core.db_routing import pin_to_primary, unpin

logger = logging.getLogger(__name__)
_INVALIDATE_CHANNEL = b"__redis__:invalidate"
EXPIRY_SPREAD = 0.2


class VersionMirror:
    """The versions this process has read, each dropped as soon as Redis reports a change.

    `get` answers only while the invalidation connection is up. A reader calls `reading` before
    its round trip and `remember` after it: a change reported in between discards the token, so
    a version read just before a bump is never kept.
    """

    def __init__(self, url: str | None, prefixes: Iterable[str], heartbeat_seconds: float) -> None:
        self._url = url
        self._prefixes = list(prefixes)
        self._heartbeat = heartbeat_seconds
        self._versions: dict[str, int] = {}
        self._pending: dict[str, object] = {}
        self._lock = threading.Lock()
        self._live = False
        self._pid = 0  # the process whose listener runs; a forked child starts its own
        self._closed = threading.Event()

    @property
    def live(self) -> bool:
        return self._live

    def get(self, key: str) -> int | None:
        if self._pid != os.getpid():
            self._start()
        return self._versions.get(key) if self._live else None

    def reading(self, key: str) -> object:
        token = object()
        self._pending[key] = token
        return token

    def remember(self, key: str, token: object, version: int) -> None:
        with self._lock:
            if self._live and self._pending.get(key) is token:
                del self._pending[key]
                self._versions[key] = version

    def close(self) -> None:
        """Stop listening (within a heartbeat) and stop answering."""
        self._closed.set()
        self._forget(None, live=False)

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._live = False
            self._versions, self._pending = {}, {}
        if self._url is None:
            return
        threading.Thread(target=self._listen_forever, name="version-mirror", daemon=True).start()

    def _forget(self, keys: list[bytes] | None, *, live: bool) -> None:
        with self._lock:
            self._live = live
            if keys is None:
                self._versions.clear()
                self._pending.clear()
            for raw in keys or ():
                key = raw.decode()
                self._versions.pop(key, None)
                self._pending.pop(key, None)

    def _listen_forever(self) -> None:
        backoff = 0.1
        while not self._closed.is_set():
            started = time.monotonic()
            try:
                self._listen()
            except Exception as exc:  # any failure: drop everything, read from Redis, reconnect
                logger.warning("cache version mirror disconnected, reconnecting: %s", exc)
            self._forget(None, live=False)
            backoff = 0.1 if time.monotonic() - started > 30 else min(backoff * 2, 5.0)
            self._closed.wait(backoff)

    def _listen(self) -> None:
        assert self._url is not None
        # RESP2: the tracking messages then arrive as ordinary pub/sub messages.
        connection = redis.ConnectionPool.from_url(self._url, protocol=2).make_connection()
        try:
            connection.send_command("CLIENT", "ID")
            client_id = connection.read_response()
            prefixes = [word for prefix in self._prefixes for word in ("PREFIX", prefix)]
            connection.send_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", *prefixes
            )
            connection.read_response()
            connection.send_command("SUBSCRIBE", _INVALIDATE_CHANNEL)
            connection.read_response()
            self._forget(None, live=not self._closed.is_set())
            awaiting_pong = False
            while not self._closed.is_set():
                if connection.can_read(timeout=self._heartbeat):
                    message = connection.read_response()
                    if message[0] == b"message" and message[1] == _INVALIDATE_CHANNEL:
                        self._forget(message[2], live=not self._closed.is_set())
                    elif message[0] == b"pong":
                        awaiting_pong = False
                elif awaiting_pong:  # a half-open connection would otherwise look quiet
                    raise ConnectionError("no answer to the heartbeat")
                else:
                    connection.send_command("PING")
                    awaiting_pong = True
        finally:
            connection.disconnect()


def _serves(entry: Any, version: int) -> TypeGuard[tuple[int, Any, float]]:
    """Whether a (version, value, expires_at) entry is current under `version`."""
    return entry is not None and entry[0] == version and entry[2] > time.time()


class LocalValues:
    """A bounded map of key to (version, value, expires_at); the oldest entry goes first."""

    def __init__(self, max_entries: int) -> None:
        self._max = max_entries
        self._entries: dict[str, tuple[int, Any, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, version: int) -> Any | None:
        entry = self._entries.get(key)
        return entry[1] if _serves(entry, version) else None

    def put(self, key: str, entry: tuple[int, Any, float]) -> None:
        if self._max <= 0:
            return
        with self._lock:
            self._entries.pop(key, None)
            while len(self._entries) >= self._max:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = entry


def _mirror_from_settings() -> VersionMirror:
    default: dict[str, Any] = settings.CACHES["default"]
    redis_backed = str(default["BACKEND"]).endswith("RedisCache")
    url = default.get("LOCATION") if redis_backed and settings.CACHE_VERSION_MIRROR else None
    # The prefixes as Redis sees them: Django adds the cache's key prefix and version.
    prefixes = [cache.make_key(prefix) for prefix in settings.CACHE_VERSION_PREFIXES]
    return VersionMirror(url, prefixes, settings.CACHE_VERSION_MIRROR_HEARTBEAT_SECONDS)


versions = _mirror_from_settings()


# Versions count in half-microseconds since the epoch. A version a reader starts is even; a
# change (`bump`) makes it odd and at least the time of the change, so the number also tells
# whether it marks a recent change.


def fresh_version() -> int:
    """A version for a reader to start: never equal to one handed out earlier, so a version key
    that expired or was evicted and started again cannot bring back entries cached under an old
    one."""
    return time.time_ns() // 1000 * 2


def bump(version_key: str) -> int:
    """Move the version: every value cached under the old one is dead at once, everywhere."""
    return bump_version(version_key, fresh_version() + 1, settings.CACHE_VERSION_SECONDS)


def changed_recently(version: int) -> bool:
    """Whether `version` marks a change that a replica may not have replayed yet: a replica
    lagging by up to REPLICA_MAX_LAG_SECONDS still serves reads (core.db_routing)."""
    age = (fresh_version() - version) / 2_000_000
    return version % 2 == 1 and age < settings.REPLICA_MAX_LAG_SECONDS


@contextlib.contextmanager
def building_under(version: int) -> Iterator[None]:
    """Reads for a value cached under `version` go to the primary while the change it marks may
    be missing on the replicas: a value built from a replica that has not replayed the change
    would be served as current until it expired."""
    if not changed_recently(version):
        yield
        return
    token = pin_to_primary()
    try:
        yield
    finally:
        unpin(token)


class Versioned(NamedTuple):
    """A value cached under a version: its key, its version's key and this process's copies."""

    key: str
    version_key: str
    local: LocalValues


# Kept locally for what a round trip found missing, so that the request that goes on to build
# it (or a prefetch's reader) does not ask again; a few seconds, for that request alone.
_ABSENT = object()
ABSENT_SECONDS = 5.0


def versioned_get(
    key: str,
    version_key: str,
    local: LocalValues,
    prefetch: Callable[[], Iterable[Versioned]] | None = None,
) -> tuple[Any | None, int]:
    """The value cached under `key` if built under the current version, and that version.

    No round trip when this process knows the version and holds the value; otherwise one, which
    also starts the version when nobody has read or bumped it yet (a salon's first question
    would otherwise pay a second). While the cache is unreachable the version is one never
    handed out before: a guaranteed miss, and never kept.

    `prefetch` names, when a round trip is needed, what the caller reads next if this value is
    missing (what a cached answer is built from): whatever of it this process lacks comes in
    the same round trip.
    """
    wanted = Versioned(key, version_key, local)
    held = _held(wanted)
    if held is not None:
        return held
    ahead = [entry for entry in prefetch() if _held(entry) is None] if prefetch else []
    return _fetch([wanted, *ahead])[0]


def _held(entry: Versioned) -> tuple[Any | None, int] | None:
    """The local answer for `entry` under the version this process knows, if any."""
    version = versions.get(cache.make_key(entry.version_key))
    if version is None:
        return None
    value = entry.local.get(entry.key, version)
    if value is None:
        return None
    return (None if value is _ABSENT else value), version


def _fetch(entries: list[Versioned]) -> list[tuple[Any | None, int]]:
    """Each entry's value and version from Redis, in one round trip, kept locally."""
    redis_keys = [cache.make_key(entry.version_key) for entry in entries]
    tokens = [versions.reading(redis_key) for redis_key in redis_keys]
    found = get_with_versions(
        [(entry.key, entry.version_key) for entry in entries],
        fresh_version(),
        settings.CACHE_VERSION_SECONDS,
    )
    results: list[tuple[Any | None, int]] = []
    for entry, redis_key, token, (stored, version) in zip(
        entries, redis_keys, tokens, found, strict=True
    ):
        if version is None:
            results.append((None, fresh_version()))
            continue
        versions.remember(redis_key, token, version)
        if _serves(stored, version):
            entry.local.put(entry.key, stored)
            results.append((stored[1], version))
        else:
            entry.local.put(entry.key, (version, _ABSENT, time.time() + ABSENT_SECONDS))
            results.append((None, version))
    return results


_deferred: contextvars.ContextVar[list[tuple[str, Any, float]] | None] = contextvars.ContextVar(
    "deferred_stores", default=None
)


@contextlib.contextmanager
def stores_deferred() -> Iterator[None]:
    """What `versioned_set` writes to Redis within the block goes out when it ends, together:
    a miss's answer and the snapshot it was built from in one round trip, not two."""
    pending: list[tuple[str, Any, float]] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        if pending:
            set_each(pending)


def versioned_set(key: str, version: int, value: Any, seconds: float, local: LocalValues) -> None:
    """Cache `value` as built under `version`, in `local` and in Redis, for at most `seconds`.

    Each entry lives a random 80-100 % of `seconds`: entries built together (a warm-up, a
    deploy) would otherwise all expire together, and every request would rebuild at once.
    """
    seconds *= random.uniform(1 - EXPIRY_SPREAD, 1)  # noqa: S311 (not a secret)
    entry = (version, value, time.time() + seconds)
    local.put(key, entry)
    pending = _deferred.get()
    if pending is None:
        cache.set(key, entry, timeout=seconds)
    else:
        pending.append((key, entry, seconds))
