"""The API's sliding-window rate limit: the same answers on Redis (one atomic round trip) and on
the in-process cache, and a Retry-After that is the real wait."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings

from booking.core import cache as resilient
from booking.core.cache import WindowCount, window_hit
from booking.core.tests.test_cache import recorded_commands
from booking.core.throttling import retry_after

REDIS = {
    "BACKEND": "booking.core.cache.ResilientRedisCache",
    "LOCATION": "redis://127.0.0.1:6379/15",
}
LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
MINUTE = 60
START = 1_800_000_000.0  # a minute's first second (a multiple of 60)


@pytest.fixture(params=[REDIS, LOCAL], ids=["redis", "in-process"])
def backend(request, monkeypatch):
    monkeypatch.setattr(resilient, "_skip_until", 0.0)
    with override_settings(CACHES={"default": request.param}):
        yield request.param


@pytest.fixture
def key() -> str:
    return f"throttle-test:{uuid.uuid4()}"


def hits(key: str, n: int, *, limit: int, now: float) -> list[bool]:
    return [window_hit(key, window=MINUTE, limit=limit, now=now).allowed for _ in range(n)]


def test_the_limit_is_reached_within_a_window_and_refused_hits_do_not_count(backend, key):
    assert hits(key, 5, limit=3, now=START + 10) == [True, True, True, False, False]
    assert window_hit(key, window=MINUTE, limit=3, now=START + 20) == WindowCount(False, 0, 3)


def test_the_previous_windows_hits_count_for_the_share_still_within_a_window(backend, key):
    hits(key, 4, limit=4, now=START + 30)

    # A quarter into the next minute, three quarters of the four (3) still count.
    assert hits(key, 2, limit=4, now=START + MINUTE + 15) == [True, False]
    # Three quarters in, one of them (1) does: two more fit.
    assert hits(key, 3, limit=4, now=START + MINUTE + 45) == [True, True, False]
    # Two minutes on, the first minute's hits are gone.
    assert hits(key, 4, limit=4, now=START + 3 * MINUTE)[-1] is True


def test_clients_and_scopes_count_apart(backend, key):
    hits(key, 2, limit=2, now=START)

    assert hits(f"{key}:other", 1, limit=2, now=START) == [True]


def test_on_redis_a_hit_is_one_round_trip(monkeypatch, key):
    with override_settings(CACHES={"default": REDIS}):
        commands = recorded_commands(cache._connections["default"], monkeypatch)  # type: ignore[attr-defined]
        window_hit(key, window=MINUTE, limit=3, now=START)
    assert commands == ["EVAL"]


def test_without_redis_nothing_is_limited(monkeypatch, key):
    monkeypatch.setattr(resilient, "_skip_until", 0.0)
    down = {**REDIS, "LOCATION": "redis://127.0.0.1:9/0", "OPTIONS": {"socket_timeout": 0.2}}
    with override_settings(CACHES={"default": down}):
        assert hits(key, 3, limit=1, now=START) == [True, True, True]


@pytest.mark.parametrize(
    ("count", "gone_by", "expected"),
    [
        (WindowCount(False, 0, 3), 0.5, 30 + 60 * (1 - 2 / 3)),  # the next minute, a third in
        (WindowCount(False, 4, 1), 0.25, 60 * (1 - 1 / 4 - 0.25)),  # until a quarter of 4 is left
        (WindowCount(True, 0, 1), 0.5, 0.0),
    ],
    ids=["this-window-full", "previous-window-weighs", "fits-now"],
)
def test_retry_after_is_the_wait_until_one_more_hit_fits(count, gone_by, expected):
    assert retry_after(count, 3, MINUTE, START + gone_by * MINUTE) == pytest.approx(expected)
