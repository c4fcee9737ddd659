"""A Redis cache that degrades to a miss instead of failing the request when Redis is down.

The cache only ever speeds things up (availability, throttling, read-your-writes marks), so an
outage should cost speed, not requests. After a failure the cache is skipped for a few seconds
(a simple circuit breaker), so a Redis that hangs does not add a timeout to every call.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
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
# The value under a key, stored first (no expiry) when there is none.
_GET_OR_ADD = "redis.call('SET', KEYS[1], ARGV[1], 'NX') return redis.call('GET', KEYS[1])"


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
    """Django builds a new redis.Redis object for every cache call; build one per pool instead.

    redis.Redis is thread-safe and holds no connection of its own (the pool does), and building
    one copies ~170 response callbacks: a measurable part of a cache hit.
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

    def incr(self, key: Any, delta: int) -> int:
        """Django's incr in one round trip instead of two (EXISTS, then INCRBY)."""
        client = self.get_client(key, write=True)
        value = client.eval(_INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return int(value)

    def get_or_add(self, key: Any, value: Any) -> Any:
        """One round trip instead of three (GET, then ADD and GET again after a miss)."""
        client = self.get_client(key, write=True)
        stored = client.eval(_GET_OR_ADD, 1, key, self._serializer.dumps(value))  # type: ignore[attr-defined]
        return None if stored is None else self._serializer.loads(stored)  # type: ignore[attr-defined]


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key: str) -> None:
        """Redis takes any key; Django's check is memcached's and reads every character."""

    def _get_or_add(self, key: str, value: Any) -> Any:
        client = self._cache
        assert isinstance(client, ReusingRedisCacheClient)  # __init__ chose the class
        return client.get_or_add(self.make_and_validate_key(key), value)

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
    # Redis down: `value` itself, as if it had just been stored.
    get_or_add = _tolerant(_default)(_get_or_add)


def get_or_add(key: str, value: Any) -> Any:
    """What the default cache holds under `key`, with `value` stored first (no expiry) when it
    holds nothing: one round trip on Redis; add, then get, on the in-process caches."""
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        return backend.get_or_add(key, value)
    backend.add(key, value, timeout=None)
    return backend.get(key)
