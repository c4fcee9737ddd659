from __future__ import annotations

import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from booking.core import cache as resilient
from booking.core.cache import ResilientRedisCache


@pytest.fixture(autouse=True)
def closed_breaker(monkeypatch):
    monkeypatch.setattr(resilient, "_skip_until", 0.0)


def make(location: str) -> ResilientRedisCache:
    return ResilientRedisCache(
        location, {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )


def recorded_commands(cache: ResilientRedisCache, monkeypatch) -> list[str]:
    """The names of the Redis commands the cache sends from now on; several sent in one round
    trip as one `PIPELINE:<names>`."""
    client = cache._cache
    commands: list[str] = []
    round_trip = client.round_trip

    def recorded(sent, **kw):
        names = [str(command[0]) for command in sent]
        commands.append(names[0] if len(names) == 1 else f"PIPELINE:{','.join(names)}")
        return round_trip(sent, **kw)

    monkeypatch.setattr(client, "round_trip", recorded)
    return commands


def test_it_behaves_as_a_redis_cache_while_redis_is_up():
    cache = make("redis://127.0.0.1:6379/15")
    cache.set("key", {"value": 1}, timeout=10)
    assert cache.get("key") == {"value": 1}
    cache.delete("counter")
    assert cache.add("counter", 1)
    assert cache.incr("counter") == 2
    cache.delete_many(["key", "counter"])


def test_incr_refuses_a_missing_key_and_costs_one_round_trip(monkeypatch):
    cache = make("redis://127.0.0.1:6379/15")
    cache.delete("counter")
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.get("counter") is None  # not created by the refused increment
    cache.set("counter", 5, timeout=10)
    commands = recorded_commands(cache, monkeypatch)
    assert cache.incr("counter", 3) == 8
    assert commands == ["EVAL"]
    cache.delete("counter")


def test_an_unreachable_redis_is_a_miss_not_an_error():
    cache = make("redis://127.0.0.1:9/0")
    assert cache.get("key", "fallback") == "fallback"
    cache.set("key", 1)
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_after_a_failure_redis_is_skipped_for_a_while(monkeypatch):
    cache = make("redis://127.0.0.1:9/0")
    cache.get("key")
    # Any call that reached the client now would raise AttributeError instead of a miss.
    monkeypatch.setattr(cache, "_cache", None)
    assert cache.get("key", "skipped") == "skipped"


def test_keys_are_not_held_to_memcached_rules():
    cache = make("redis://127.0.0.1:6379/15")
    key = "a key with spaces " * 20  # memcached: no spaces, at most 250 characters
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        cache.set(key, 1, timeout=10)
        assert cache.get(key) == 1
    cache.delete(key)


def test_a_value_and_its_version_are_read_in_one_round_trip_starting_the_version(monkeypatch):
    cache = make("redis://127.0.0.1:6379/15")
    cache.delete_many(["entry", "version"])
    commands = recorded_commands(cache, monkeypatch)
    assert cache.get_with_versions([("entry", "version")], 7, 600) == [(None, 7)]
    cache.set("entry", (7, b"answer"), timeout=10)
    assert cache.get_with_versions([("entry", "version")], 9, 600) == [((7, b"answer"), 7)]
    assert commands == ["EVAL", "SET", "EVAL"]  # the second kept version 7
    cache.delete_many(["entry", "version"])


def test_several_values_and_versions_are_read_in_one_round_trip(monkeypatch):
    cache = make("redis://127.0.0.1:6379/15")
    keys = ["a", "version:a", "b", "version:b"]
    cache.delete_many(keys)
    cache.set("version:b", 4, timeout=10)
    cache.set("b", (4, b"snapshot"), timeout=10)
    commands = recorded_commands(cache, monkeypatch)
    found = cache.get_with_versions([("a", "version:a"), ("b", "version:b")], 7, 600)
    assert found == [(None, 7), ((4, b"snapshot"), 4)]  # b's version is not started again
    assert commands == ["EVAL"]
    cache.delete_many(keys)


def test_entries_with_their_own_timeouts_are_stored_in_one_round_trip(monkeypatch):
    cache = make("redis://127.0.0.1:6379/15")
    cache.set("gone", 1, timeout=10)
    commands = recorded_commands(cache, monkeypatch)
    cache.set_each([("short", b"answer", 30), ("long", {"rules": 1}, 3600), ("gone", 2, 0)])
    assert commands == ["PIPELINE:SET,SET,DEL"]
    client = cache._cache.get_client("short")
    assert cache.get("short") == b"answer" and cache.get("long") == {"rules": 1}
    assert 25 < client.ttl(cache.make_key("short")) <= 30
    assert 3590 < client.ttl(cache.make_key("long")) <= 3600
    assert cache.get("gone") is None  # a timeout of 0 deletes, as set() does
    cache.delete_many(["short", "long"])


def test_a_set_without_a_timeout_keeps_the_value_for_ever_and_one_of_zero_deletes_it():
    cache = make("redis://127.0.0.1:6379/15")
    cache.set("kept", [1, 2], timeout=None)
    assert cache.get("kept") == [1, 2]
    assert cache._cache.get_client("kept").ttl(cache.make_key("kept")) == -1  # no expiry
    cache.set("kept", 3, timeout=0)
    assert cache.get("kept", "gone") == "gone"


def test_a_command_whose_connection_broke_on_the_way_is_sent_again_on_a_new_one(monkeypatch):
    cache = make("redis://127.0.0.1:6379/15")
    cache.set("key", "value", timeout=10)
    pool = cache._cache._get_connection_pool(False)
    broken = pool.get_connection()
    pool.release(broken)  # the connection the next command will be handed
    send = broken.send_packed_command

    def fail_once(*args, **kwargs):
        monkeypatch.setattr(broken, "send_packed_command", send)
        raise RedisConnectionError("reset by peer")

    monkeypatch.setattr(broken, "send_packed_command", fail_once)
    assert cache.get("key") == "value"
    assert resilient._skip_until == 0.0  # not counted as Redis being down
    cache.delete("key")


def test_a_failed_command_leaves_no_reply_behind_for_the_next_one():
    cache = make("redis://127.0.0.1:6379/15")
    cache.set("text", "not a number", timeout=10)
    cache.set("other", "its own value", timeout=10)
    client = cache._cache
    with pytest.raises(ResponseError):
        # The INCR fails; the GET's reply is left unread on the connection.
        client.round_trip([("INCR", cache.make_key("text")), ("GET", "x")], write=True)
    returned = client._get_connection_pool(True)._available_connections[-1]
    assert returned._sock is None  # closed, not handed out with a reply waiting
    assert cache.get("other") == "its own value"
    cache.delete_many(["text", "other"])


def test_a_version_started_by_a_reader_expires():
    """Any salon id in a URL starts a version: on a Redis shared with the broker, only keys
    with an expiry can ever be evicted."""
    cache = make("redis://127.0.0.1:6379/15")
    cache.delete("version")
    cache.get_with_versions([("entry", "version")], 7, 600)
    assert 590 < cache._cache.get_client("version").ttl(cache.make_key("version")) <= 600
    cache.get_with_versions([("entry", "version")], 9, 3600)  # an existing one keeps its expiry
    assert cache._cache.get_client("version").ttl(cache.make_key("version")) <= 600
    cache.delete("version")


def test_a_version_change_on_redis_is_odd_exact_and_expires():
    cache = make("redis://127.0.0.1:6379/15")
    cache.delete("version")
    least = 3_592_640_959_800_181  # a real one: beyond the 14 digits Lua writes numbers with
    assert cache.bump_version("version", least, 600) == least
    assert cache.bump_version("version", least, 600) == least + 2  # one more, made odd
    assert cache.get("version") == least + 2
    assert 590 < cache._cache.get_client("version").ttl(cache.make_key("version")) <= 600
    cache.delete("version")


def test_without_redis_neither_value_nor_version_is_known():
    unreachable = make("redis://127.0.0.1:9/0")
    assert unreachable.get_with_versions([("entry", "version"), ("b", "v")], 7, 60) == [
        (None, None),
        (None, None),
    ]
    unreachable.set_each([("a", 1, 10), ("b", 2, 10)])  # skipped, as set() is


def test_an_in_process_cache_keeps_the_first_version(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    pair = [("test:entry", "test:version")]
    assert resilient.get_with_versions(pair, 3, 60) == [(None, 3)]
    assert resilient.get_with_versions(pair, 4, 60) == [(None, 3)]
    resilient.set_each([("test:entry", b"answer", 60), ("test:other", b"other", 60)])
    assert resilient.get_with_versions(pair, 4, 60) == [(b"answer", 3)]
