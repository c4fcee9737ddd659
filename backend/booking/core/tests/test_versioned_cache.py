"""The process-local copy of versions and values, against real Redis servers."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache, caches
from django.test import override_settings

from booking.core import cache as resilient
from booking.core import db_routing, versioned_cache
from booking.core.tests.conftest import SHARED_REDIS
from booking.core.tests.processes import RedisServer, wait_for
from booking.core.versioned_cache import LocalValues, VersionMirror, versioned_get, versioned_set


def remembered(mirror: VersionMirror, client: redis.Redis, key: str) -> int:
    token = mirror.reading(key)
    version = int(client.get(key) or 0)
    mirror.remember(key, token, version)
    return version


@pytest.fixture
def shared() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(SHARED_REDIS)
    yield client
    client.close()


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_mirror(private_redis, started) -> tuple[redis.Redis, VersionMirror]:
    """A mirror of the private Redis that holds `v:a` = 1."""
    client = redis.Redis.from_url(private_redis.url)
    client.set("v:a", 1)
    mirror = started(private_redis.url, "v:")
    remembered(mirror, client, "v:a")
    return client, mirror


def test_a_version_read_is_answered_locally_until_another_client_bumps_it(prefix, shared, started):
    key = f"{prefix}salon"
    shared.set(key, 7)
    mirror = started(SHARED_REDIS, prefix)
    assert mirror.get(key) is None
    assert remembered(mirror, shared, key) == 7
    assert mirror.get(key) == 7

    shared.incr(key)
    wait_for(lambda: mirror.get(key) is None, timeout=2, what="the bump to be reported")
    shared.delete(key)


def test_keys_outside_the_prefixes_are_never_reported(prefix, shared, started):
    key, other = f"{prefix}salon", f"elsewhere:{prefix}"
    shared.set(key, 1)
    mirror = started(SHARED_REDIS, prefix)
    remembered(mirror, shared, key)
    shared.set(other, 1)
    time.sleep(0.3)
    assert mirror.get(key) == 1
    shared.delete(key, other)


def test_a_change_reported_during_the_read_discards_what_was_read(prefix, shared, started):
    key = f"{prefix}salon"
    shared.set(key, 1)
    mirror = started(SHARED_REDIS, prefix)
    token = mirror.reading(key)
    stale = int(shared.get(key) or 0)
    shared.incr(key)
    wait_for(lambda: key not in mirror._pending, timeout=2, what="the bump to be reported")
    mirror.remember(key, token, stale)
    assert mirror.get(key) is None
    shared.delete(key)


def test_the_heartbeat_keeps_a_quiet_connection_live(prefix, shared, started):
    key = f"{prefix}salon"
    shared.set(key, 3)
    mirror = started(SHARED_REDIS, prefix, heartbeat=0.05)
    remembered(mirror, shared, key)
    time.sleep(0.6)  # a dozen heartbeats, each answered
    assert mirror.live
    assert mirror.get(key) == 3
    shared.delete(key)


def test_a_flush_forgets_everything(private_mirror):
    client, mirror = private_mirror
    client.flushdb()
    wait_for(lambda: mirror.get("v:a") is None, timeout=2, what="the flush to be reported")
    assert mirror.live


def test_losing_redis_stops_local_answers_until_it_is_back(private_redis, private_mirror):
    _, mirror = private_mirror

    private_redis.stop()
    wait_for(lambda: not mirror.live, timeout=2, what="the mirror to notice")
    assert mirror.get("v:a") is None

    private_redis.start()
    wait_for(lambda: mirror.live, timeout=10, what="the mirror to reconnect")
    assert mirror.get("v:a") is None  # nothing read before the outage is trusted
    client = redis.Redis.from_url(private_redis.url)
    client.set("v:a", 2)
    # The report of that write may still be on its way and spoil a read or two.
    wait_for(
        lambda: remembered(mirror, client, "v:a") == 2 and mirror.get("v:a") == 2,
        timeout=2,
        what="a read after the reconnection to be kept",
    )


def test_without_redis_the_mirror_knows_nothing():
    mirror = VersionMirror(None, ["v:"], 5.0)
    token = mirror.reading("v:a")
    mirror.remember("v:a", token, 1)
    assert not mirror.live
    assert mirror.get("v:a") is None


def test_local_values_are_served_only_under_their_version_and_before_expiry():
    values = LocalValues(max_entries=10)
    values.put("fresh", (1, "body", time.time() + 60))
    values.put("expired", (1, "body", time.time() - 1))
    assert values.get("fresh", 1) == "body"
    assert values.get("fresh", 2) is None
    assert values.get("expired", 1) is None
    assert values.get("unknown", 1) is None


def test_local_values_drop_the_oldest_entry_when_full():
    values = LocalValues(max_entries=2)
    for key in ("first", "second", "third"):
        values.put(key, (1, key, time.time() + 60))
    assert values.get("first", 1) is None
    assert values.get("second", 1) == "second"
    assert values.get("third", 1) == "third"


def count_round_trips(monkeypatch) -> list[int]:
    """One item per read round trip from now on: how many values it asked for."""
    calls: list[int] = []
    backend = caches["default"]  # the Redis backend itself: the proxy outlives the override
    get_with_versions = backend.get_with_versions

    def counted(pairs, *args):
        calls.append(len(pairs))
        return get_with_versions(pairs, *args)

    monkeypatch.setattr(backend, "get_with_versions", counted)
    return calls


def count_stores(monkeypatch) -> list[list[str]]:
    """One item per write round trip from now on: the keys it stored."""
    calls: list[list[str]] = []
    backend = caches["default"]
    set_one, set_each = backend.set, backend.set_each
    monkeypatch.setattr(
        backend, "set", lambda key, *args, **kw: calls.append([key]) or set_one(key, *args, **kw)
    )
    monkeypatch.setattr(
        backend,
        "set_each",
        lambda entries: calls.append([key for key, *_ in entries]) or set_each(entries),
    )
    return calls


def test_a_repeat_read_costs_no_round_trip_until_the_version_moves(
    redis_cache, prefix, monkeypatch
):
    version_key, key, local = f"{prefix}salon", f"entry:{prefix}", LocalValues(100)
    versioned_set(key, 5, b"answer", 60, local)
    round_trips = count_round_trips(monkeypatch)

    assert versioned_get(key, version_key, local) == (b"answer", 5)
    assert versioned_get(key, version_key, local) == (b"answer", 5)
    assert len(round_trips) == 1

    cache.incr(version_key)  # as a write in another process would
    wait_for(lambda: redis_cache.get(cache.make_key(version_key)) is None, timeout=2, what="bump")
    assert versioned_get(key, version_key, local) == (None, 6)
    assert len(round_trips) == 2
    cache.delete_many([version_key, key])


def test_a_first_read_starts_the_version_in_its_own_round_trip(
    redis_cache, prefix, shared, monkeypatch
):
    version_key, key, local = f"{prefix}new", f"entry:{prefix}", LocalValues(100)
    round_trips = count_round_trips(monkeypatch)
    value, version = versioned_get(key, version_key, local)
    assert value is None and version > 5
    assert int(shared.get(cache.make_key(version_key))) == version
    assert versioned_get(f"other:{prefix}", version_key, local) == (None, version)  # kept
    assert versioned_get(key, version_key, local) == (None, version)  # missing: not asked again
    assert len(round_trips) == 2
    cache.delete(version_key)


def test_an_unreachable_cache_gives_a_version_never_handed_out_and_never_kept(
    redis_cache, prefix, monkeypatch
):
    monkeypatch.setattr(resilient, "_skip_until", 0.0)  # the breaker it opens closes after
    unreachable = {
        "BACKEND": "booking.core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    version_key, local = f"{prefix}salon", LocalValues(100)
    with override_settings(CACHES={"default": unreachable}):
        first = versioned_get("entry", version_key, local)
        second = versioned_get("entry", version_key, local)
    assert first[0] is None and second[0] is None and first[1] > 5 and second[1] > 5
    assert redis_cache.get(cache.make_key(version_key)) is None


def test_entries_written_together_expire_spread_over_the_last_fifth_of_their_time(
    redis_cache, shared
):
    local, written = LocalValues(100), time.time()
    keys = [f"entry:{uuid.uuid4().hex}" for _ in range(50)]
    for key in keys:
        versioned_set(key, 1, b"answer", 100, local)
    expiries = [local._entries[key][2] - written for key in keys]
    ttls = [shared.ttl(cache.make_key(key)) for key in keys]
    assert all(79 <= e <= 101 for e in expiries) and max(expiries) - min(expiries) > 5
    assert all(79 <= t <= 100 for t in ttls)
    cache.delete_many(keys)


def test_a_change_makes_the_version_odd_and_at_least_the_time_of_the_change():
    started = versioned_cache.fresh_version()
    assert started % 2 == 0
    key = f"test:version:{uuid.uuid4()}"
    cache.set(key, started + 10**9)  # ahead of the clock: the change still moves it on
    assert versioned_cache.bump(key) == started + 10**9 + 1
    cache.set(key, 2)
    changed = versioned_cache.bump(key)
    assert changed % 2 == 1
    assert changed > started


def test_only_a_change_within_the_replicas_allowed_lag_is_recent(settings, monkeypatch):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    now = versioned_cache.fresh_version()
    assert not versioned_cache.changed_recently(now)  # a reader started it: no change
    assert versioned_cache.changed_recently(now + 1)
    monkeypatch.setattr(time, "time_ns", lambda: (now // 2 + 6_000_000) * 1000)
    assert not versioned_cache.changed_recently(now + 1)


def test_a_value_built_right_after_a_change_reads_the_primary():
    key = f"test:version:{uuid.uuid4()}"
    pinned: list[bool] = []
    for version in (versioned_cache.fresh_version(), versioned_cache.bump(key)):
        with versioned_cache.building_under(version):
            pinned.append(db_routing.pinned_to_primary())
    assert pinned == [False, True]
    assert not db_routing.pinned_to_primary()


def test_a_read_fetches_what_it_prefetches_in_its_own_round_trip_once(
    redis_cache, prefix, monkeypatch
):
    """A miss's answer and the snapshot it is built from: one round trip, and the snapshot's
    reader, right after, asks Redis nothing."""
    snapshots = LocalValues(100)
    snapshot = versioned_cache.Versioned(f"snapshot:{prefix}", f"{prefix}salon", snapshots)
    versioned_set(snapshot.key, 5, b"rules", 60, LocalValues(0))  # in Redis, not held here
    round_trips = count_round_trips(monkeypatch)
    answer_key, answers = f"answer:{prefix}", LocalValues(100)

    assert versioned_get(answer_key, f"{prefix}salon", answers, lambda: [snapshot]) == (None, 5)
    assert versioned_get(*snapshot) == (b"rules", 5)
    assert round_trips == [2]

    def not_needed() -> list[versioned_cache.Versioned]:
        raise AssertionError("a value held here needs nothing fetched ahead")

    assert versioned_get(*snapshot[:3], not_needed) == (b"rules", 5)
    # Held now: a second miss there fetches its answer alone.
    assert versioned_get(f"other:{prefix}", f"{prefix}salon", answers, lambda: [snapshot]) == (
        None,
        5,
    )
    assert round_trips == [2, 1]
    cache.delete(snapshot.key)


def test_what_a_round_trip_found_missing_is_not_asked_for_again_for_a_few_seconds(
    redis_cache, prefix, monkeypatch
):
    version_key, local = f"{prefix}salon", LocalValues(100)
    built, never_built = f"snapshot:{prefix}", f"other:{prefix}"
    round_trips = count_round_trips(monkeypatch)
    prefetch = [versioned_cache.Versioned(key, version_key, local) for key in (built, never_built)]
    assert versioned_get(f"answer:{prefix}", version_key, LocalValues(100), lambda: prefetch) == (
        None,
        5,
    )
    assert versioned_get(built, version_key, local) == (None, 5)  # to be built: no trip
    assert round_trips == [3]

    versioned_set(built, 5, b"rules", 60, local)  # what the reader built replaces the mark
    assert versioned_get(built, version_key, local) == (b"rules", 5)
    later = time.time() + versioned_cache.ABSENT_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert versioned_get(never_built, version_key, local) == (None, 5)  # the mark is gone
    assert round_trips == [3, 1]
    cache.delete(built)


def test_stores_deferred_within_a_block_go_out_together_when_it_ends(redis_cache, monkeypatch):
    stores = count_stores(monkeypatch)
    local, keys = LocalValues(100), [f"entry:{uuid.uuid4().hex}" for _ in range(3)]
    with versioned_cache.stores_deferred():
        versioned_set(keys[0], 1, b"snapshot", 3600, local)
        versioned_set(keys[1], 1, b"answer", 60, local)
        assert stores == [] and cache.get(keys[0]) is None
        assert local.get(keys[0], 1) == b"snapshot"  # this process has it at once
    assert stores == [keys[:2]]
    assert cache.get(keys[0])[1] == b"snapshot" and cache.get(keys[1])[1] == b"answer"
    with versioned_cache.stores_deferred():
        versioned_set(keys[2], 1, b"alone", 60, local)
    versioned_set(keys[2], 1, b"outside", 60, local)
    assert stores == [keys[:2], [keys[2]], [keys[2]]]  # alone: a plain SET, as outside
    cache.delete_many(keys)


def test_stores_deferred_are_written_even_when_the_block_fails(redis_cache):
    key = f"entry:{uuid.uuid4().hex}"
    with pytest.raises(RuntimeError), versioned_cache.stores_deferred():
        versioned_set(key, 1, b"snapshot", 60, LocalValues(100))
        raise RuntimeError("the answer could not be built")
    assert cache.get(key)[1] == b"snapshot"
    cache.delete(key)
