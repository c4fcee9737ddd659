"""Per-request receivers that can do nothing here are not run for every request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core import signals
from django.core.cache import caches, close_caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import close_old_connections, connection, reset_queries
from django.test import override_settings

from booking.core.request_signals import trim_request_signals

closed: list[str] = []


class ClosingCache(LocMemCache):
    def close(self, **kwargs: Any) -> None:
        closed.append("closed")


@pytest.fixture(autouse=True)
def django_receivers() -> Iterator[None]:
    """Django's receivers under test for each one, whatever was connected before afterwards.

    The connections' receivers are left out: they need no trimming, and a database.
    """
    saved = {signal: list(signal.receivers) for signal in _signals()}
    for signal in _signals():
        signal.disconnect(close_old_connections)
    signals.request_started.connect(reset_queries)
    signals.request_finished.connect(close_caches)
    closed.clear()
    yield
    for signal, receivers in saved.items():
        signal.receivers = receivers
        signal.sender_receivers_cache.clear()


def _signals() -> tuple[Any, ...]:
    return signals.request_started, signals.request_finished


def _start_request_with_a_logged_query() -> list[dict[str, str]]:
    connection.queries_log.append({"sql": "SELECT 1", "time": "0.000"})
    signals.request_started.send(sender=None, environ={})
    return list(connection.queries_log)


@override_settings(DEBUG=False)
def test_the_query_log_is_left_alone_when_debug_is_off():
    trim_request_signals()
    assert _start_request_with_a_logged_query()
    connection.queries_log.clear()


@override_settings(DEBUG=True)
def test_the_query_log_is_emptied_for_each_request_under_debug():
    trim_request_signals()
    assert _start_request_with_a_logged_query() == []


@override_settings(CACHES={"default": {"BACKEND": f"{__name__}.ClosingCache"}})
def test_a_cache_that_closes_is_closed_after_each_request():
    trim_request_signals()
    caches["default"].get("anything")  # initialised in this thread
    signals.request_finished.send(sender=None)
    assert closed == ["closed"]


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_caches_whose_close_does_nothing_are_not_visited():
    trim_request_signals()
    caches["default"].get("anything")
    with mock.patch.object(caches, "all", side_effect=AssertionError("visited")):
        signals.request_finished.send(sender=None)
