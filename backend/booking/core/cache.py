"""A Redis cache that degrades to a miss instead of failing the request when Redis is down.

The cache only ever speeds things up (availability, throttling, read-your-writes marks), so an
outage should cost speed, not requests. After a failure the cache is skipped for a few seconds
(a simple circuit breaker), so a Redis that hangs does not add a timeout to every call.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_T = TypeVar("_T")
_BREAK_SECONDS = 5.0
_skip_until = 0.0
# Increment only a key that exists, as Django's incr promises (a missing key is an error).
_INCR_EXISTING = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end"
)
# KEYS in pairs of a value's key and its version's: every value and version, each version
# ARGV[1] stored first (for ARGV[2] seconds) when there is none.
_GET_WITH_VERSIONS = (
    "for i = 2, #KEYS, 2 do redis.call('SET', KEYS[i], ARGV[1], 'NX', 'EX', ARGV[2]) end "
    "return redis.call('MGET', unpack(KEYS))"
)
# A change to the version under KEYS[1]: one more than it was and at least ARGV[1], made odd
# (versioned_cache.bump), kept for ARGV[2] seconds. '%.0f': Lua's own conversion of
# a number to a string keeps only 14 digits.
_BUMP_VERSION = """
local version = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') + 1, tonumber(ARGV[1]))
if version % 2 == 0 then version = version + 1 end
redis.call('SET', KEYS[1], string.format('%.0f', version), 'EX', ARGV[2])
return string.format('%.0f', version)
"""
# A sliding-window hit (window_hit): KEYS current and previous window's counters; ARGV the
# limit, the fraction of the current window gone by, the counters' lifetime in seconds.
_WINDOW_HIT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if previous * (1 - tonumber(ARGV[2])) + current + 1 > tonumber(ARGV[1]) then
  return {0, previous, current}
end
current = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, previous, current}
"""


@dataclass(frozen=True)
class WindowCount:
    """A rate limit's answer: whether this hit was allowed (and counted), and the two windows'
    counts it was judged on."""

    allowed: bool
    previous: int
    current: int


def window_estimate(previous: int, current: int, gone_by: float) -> float:
    """Hits in the last window's length: all of this window's, and the previous window's in the
    share of it that still lies within that length (assumed spread evenly)."""
    return previous * (1 - gone_by) + current


def _tolerant(fallback: Any) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    def decorate(method: Callable[..., _T]) -> Callable[..., _T]:
        @functools.wraps(method)
        def wrapper(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> _T:
            global _skip_until
            if time.monotonic() >= _skip_until:
                try:
                    return method(self, *args, **kwargs)
                except (RedisConnectionError, RedisTimeoutError) as exc:
                    logger.warning(
                        "cache unavailable for %ss, continuing without it: %s", _BREAK_SECONDS, exc
                    )
                    _skip_until = time.monotonic() + _BREAK_SECONDS
            return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorate


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


def _incr_unavailable(*args: Any, **kwargs: Any) -> int:
    raise ValueError("cache unavailable")  # callers of incr() already handle a missing key


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, with one redis.Redis per pool and the hot commands sent directly.

    Django builds a new redis.Redis object for every cache call (it copies ~170 response
    callbacks); `get_client` keeps one per pool. The commands every request sends (GET, SET and
    the scripts below) skip redis.Redis altogether: `round_trip`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(
                id(pool),
                self._client(connection_pool=pool),  # type: ignore[attr-defined]
            )
        return client

    def round_trip(self, commands: Sequence[tuple[Any, ...]], *, write: bool) -> list[Any]:
        """The commands sent together on one pooled connection; their raw replies, in order.

        What redis.Redis wraps around each command (retries, event hooks, metrics, argument
        checks) cost 40 % of a SET's CPU here. The pool still checks the connection it hands
        out and reconnects a dropped one. A failure closes its connection (replies may be left
        unread); one on the way to or from Redis is tried once more, as redis.Redis retries
        it, and what still fails is raised, for `_tolerant`.
        """
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        try:
            return _exchange(pool, commands)
        except (RedisConnectionError, RedisTimeoutError):
            return _exchange(pool, commands)

    def _one(self, *command: Any, write: bool = True) -> Any:
        return self.round_trip([command], write=write)[0]

    def get(self, key: Any, default: Any) -> Any:
        value = self._one("GET", key, write=False)
        return default if value is None else self._serializer.loads(value)  # type: ignore[attr-defined]

    def set(self, key: Any, value: Any, timeout: int | dt.timedelta | None) -> None:
        seconds = timeout.total_seconds() if isinstance(timeout, dt.timedelta) else timeout
        self.set_each([(key, value, seconds)])

    def incr(self, key: Any, delta: int) -> int:
        """Django's incr in one round trip instead of two (EXISTS, then INCRBY)."""
        value = self._one("EVAL", _INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)

    def get_with_versions(self, keys: list[Any], fresh: int, seconds: int) -> list[Any]:
        """One round trip instead of two (MGET, then SET NX and GET after a missing version)."""
        found = self._one("EVAL", _GET_WITH_VERSIONS, len(keys), *keys, fresh, seconds)
        loads = self._serializer.loads  # type: ignore[attr-defined]
        return [None if raw is None else loads(raw) for raw in found]

    def set_each(self, entries: Sequence[tuple[Any, Any, float | None]]) -> None:
        """Values with timeouts of their own, in one round trip (0 deletes and None keeps for
        ever, as in `set`)."""
        dumps = self._serializer.dumps  # type: ignore[attr-defined]
        commands: list[tuple[Any, ...]] = []
        for key, value, timeout in entries:
            if timeout == 0:
                commands.append(("DEL", key))
            elif timeout is None:
                commands.append(("SET", key, dumps(value)))
            else:
                commands.append(("SET", key, dumps(value), "EX", int(timeout)))
        self.round_trip(commands, write=True)

    def bump_version(self, key: Any, least: int, seconds: int) -> int:
        return int(self._one("EVAL", _BUMP_VERSION, 1, key, least, seconds))

    def window_hit(
        self, keys: tuple[Any, Any], limit: int, gone_by: float, ttl: int
    ) -> WindowCount:
        allowed, previous, current = self._one(
            "EVAL", _WINDOW_HIT, 2, *keys, limit, repr(gone_by), ttl
        )
        return WindowCount(bool(allowed), int(previous), int(current))


def _exchange(pool: Any, commands: Sequence[tuple[Any, ...]]) -> list[Any]:
    connection = pool.get_connection()
    try:
        connection.send_packed_command(connection.pack_commands(commands))
        return [connection.read_response() for _ in commands]
    except BaseException:
        connection.disconnect()  # replies may be left unread: never hand it out like that
        raise
    finally:
        pool.release(connection)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key: str) -> None:
        """Redis takes any key; Django's check is memcached's and reads every character."""

    get = _tolerant(_default)(RedisCache.get)
    set = _tolerant(None)(RedisCache.set)
    add = _tolerant(False)(RedisCache.add)
    delete = _tolerant(False)(RedisCache.delete)
    touch = _tolerant(False)(RedisCache.touch)
    get_many = _tolerant({})(RedisCache.get_many)
    set_many = _tolerant([])(RedisCache.set_many)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    incr = _tolerant(_incr_unavailable)(RedisCache.incr)
    clear = _tolerant(False)(RedisCache.clear)

    @property
    def _reusing_client(self) -> ReusingRedisCacheClient:
        client = self._cache
        assert isinstance(client, ReusingRedisCacheClient)  # __init__ chose the class
        return client

    @_tolerant(lambda pairs, *args: [(None, None)] * len(pairs))  # Redis down: nothing known
    def get_with_versions(
        self, pairs: Sequence[tuple[str, str]], fresh: int, seconds: int
    ) -> list[tuple[Any, Any]]:
        keys = [self.make_key(key) for pair in pairs for key in pair]
        found = self._reusing_client.get_with_versions(keys, fresh, seconds)
        return list(zip(found[::2], found[1::2], strict=True))

    @_tolerant(None)
    def set_each(self, entries: Sequence[tuple[str, Any, float]]) -> None:
        self._reusing_client.set_each(
            [(self.make_key(k), v, self.get_backend_timeout(t)) for k, v, t in entries]
        )

    @_tolerant(_incr_unavailable)  # Redis down: the caller logs it, as for incr
    def bump_version(self, key: str, least: int, seconds: int) -> int:
        client = self._reusing_client
        return client.bump_version(self.make_key(key), least, seconds)

    @_tolerant(lambda *args, **kwargs: WindowCount(True, 0, 0))  # Redis down: no limit
    def window_hit(self, key: str, window: int, limit: int, now: float) -> WindowCount:
        client = self._reusing_client
        index, gone_by = window_position(window, now)
        keys = (self.make_key(f"{key}:{index}"), self.make_key(f"{key}:{index - 1}"))
        return client.window_hit(keys, limit, gone_by, 2 * window)


def get_with_versions(
    pairs: Sequence[tuple[str, str]], fresh: int, seconds: int
) -> list[tuple[Any, Any]]:
    """What the default cache holds under each pair's key and version key, with `fresh` stored
    first (for `seconds`) under a version key that holds nothing: one round trip on Redis,
    and (None, None) each while Redis is down; add, then get, on the in-process caches."""
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        return backend.get_with_versions(pairs, fresh, seconds)
    for _, version_key in pairs:
        backend.add(version_key, fresh, timeout=seconds)
    found = backend.get_many([key for pair in pairs for key in pair])
    return [(found.get(key), found.get(version_key)) for key, version_key in pairs]


def set_each(entries: Sequence[tuple[str, Any, float]]) -> None:
    """Store each (key, value, seconds) in the default cache: one round trip on Redis."""
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        backend.set_each(entries)
        return
    for key, value, seconds in entries:
        backend.set(key, value, timeout=seconds)


def bump_version(key: str, least: int, seconds: int) -> int:
    """Move the version under `key` to one more than it was and at least `least`, odd, kept
    for `seconds`: atomic on Redis, get then set on the in-process caches."""
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        return backend.bump_version(key, least, seconds)
    version = max(int(backend.get(key) or 0) + 1, least) | 1
    backend.set(key, version, timeout=seconds)
    return version


def window_hit(key: str, *, window: int, limit: int, now: float) -> WindowCount:
    """Count a hit against `limit` per `window` seconds, unless that would exceed it.

    A sliding window from two fixed ones (the current window's count plus the previous one's,
    weighted by how much of it still lies within one window's length): two counters per key
    however high the rate, one round trip on Redis, atomic there. The in-process caches
    (development, tests) do the same in three steps.
    """
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        return backend.window_hit(key, window, limit, now)
    index, gone_by = window_position(window, now)
    current_key, previous_key = f"{key}:{index}", f"{key}:{index - 1}"
    counts = backend.get_many([current_key, previous_key])
    previous, current = counts.get(previous_key, 0), counts.get(current_key, 0)
    if window_estimate(previous, current, gone_by) + 1 > limit:
        return WindowCount(False, previous, current)
    backend.add(current_key, 0, timeout=2 * window)
    return WindowCount(True, previous, backend.incr(current_key))


def window_position(window: int, now: float) -> tuple[int, float]:
    """Which fixed window `now` falls in, and the share of it gone by."""
    index = math.floor(now / window)
    return index, now / window - index
