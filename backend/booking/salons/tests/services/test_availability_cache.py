from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

from booking.core import cache as resilient
from booking.core.versioned_cache import LocalValues, versioned_get
from booking.salons.availability_cache import (
    availability_changed,
    availability_version_key,
    catalogue_version_key,
    schedule_version_key,
)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def availability_version(salon_id: uuid.UUID) -> int:
    """The version a reader of the salon's cached availability gets."""
    return versioned_get("test:entry", availability_version_key(salon_id), LocalValues(0))[1]


def test_it_bumps_the_version_of_one_salon_only() -> None:
    salon_a, salon_b = uuid.uuid4(), uuid.uuid4()
    a, b = availability_version(salon_a), availability_version(salon_b)
    availability_changed(salon_id=salon_a)
    assert availability_version(salon_a) > a
    assert availability_version(salon_b) == b


def test_every_version_key_is_one_the_process_local_mirror_watches() -> None:
    salon = uuid.uuid4()
    for key in (
        availability_version_key(salon),
        schedule_version_key(salon),
        catalogue_version_key(),
    ):
        assert key.startswith(tuple(settings.CACHE_VERSION_PREFIXES)), key


def test_it_keeps_a_stable_version_between_changes() -> None:
    salon = uuid.uuid4()
    assert availability_version(salon) == availability_version(salon)


def test_it_starts_a_new_version_when_none_is_stored() -> None:
    salon = uuid.uuid4()
    availability_changed(salon_id=salon)
    assert availability_version(salon) > 0


UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_it_swallows_cache_outages(settings: Any, caplog: Any) -> None:
    settings.CACHES = UNREACHABLE_REDIS
    availability_changed(salon_id=uuid.uuid4())
    assert "cache unreachable; availability:version" in caplog.text


def test_it_reads_a_never_used_version_when_the_cache_is_down(
    settings: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(resilient, "_skip_until", 0.0)  # the breaker it opens closes after
    salon = uuid.uuid4()
    cached = availability_version(salon)
    settings.CACHES = {
        "default": UNREACHABLE_REDIS["default"]
        | {"BACKEND": "booking.core.cache.ResilientRedisCache"}
    }
    assert availability_version(salon) != cached


def real_redis(backend: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"test-{uuid.uuid4()}",
        }
    }


def test_it_counts_versions_in_a_real_redis(settings: Any) -> None:
    settings.CACHES = real_redis("django.core.cache.backends.redis.RedisCache")
    salon = uuid.uuid4()
    availability_changed(salon_id=salon)  # no version yet: starts one
    first = availability_version(salon)
    availability_changed(salon_id=salon)
    assert availability_version(salon) > first
    cache.delete(f"availability:version:{salon}")


def test_a_version_started_by_a_change_expires(settings: Any) -> None:
    settings.CACHES = real_redis("booking.core.cache.ResilientRedisCache")
    settings.CACHE_VERSION_SECONDS = 900
    salon = uuid.uuid4()
    availability_changed(salon_id=salon)  # no version yet: starts one
    key = cache.make_key(availability_version_key(salon))
    assert 890 < cache._cache.get_client(key).ttl(key) <= 900
    cache.delete(availability_version_key(salon))
