"""Reads to a healthy replica, writes and transactions to the primary, read-your-writes.

- Inside a transaction every query goes to the primary (the booking path decides there).
- After a user writes, that user's reads go to the primary for READ_YOUR_WRITES_SECONDS; the
  mark lives in the shared cache because JWT clients carry no session cookie.
- A replica that refuses connections or lags more than REPLICA_MAX_LAG_SECONDS is skipped; its
  health is probed at most every REPLICA_CHECK_SECONDS per process, so a healthy replica costs
  no extra query per request.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

_pinned_to_primary: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "pinned_to_primary", default=False
)
_replica_used: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "replica_used", default=None
)
_bound_user: contextvars.ContextVar[str | None] = contextvars.ContextVar("bound_user", default=None)
_health: dict[str, tuple[bool, float]] = {}
_LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    """Routing state lives for one request (threads serve many requests one after another)."""
    pinned = _pinned_to_primary.set(False)
    used = _replica_used.set(None)
    bound = _bound_user.set(None)
    try:
        yield
    finally:
        _pinned_to_primary.reset(pinned)
        _replica_used.reset(used)
        _bound_user.reset(bound)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def pin_to_primary() -> contextvars.Token[bool]:
    return _pinned_to_primary.set(True)


def unpin(token: contextvars.Token[bool]) -> None:
    _pinned_to_primary.reset(token)


def pinned_to_primary() -> bool:
    return _pinned_to_primary.get()


def replica_used() -> str | None:
    return _replica_used.get()


def _ryw_key(user_id: Any) -> str:
    return f"ryw:{user_id}"


def note_write(user_id: Any) -> None:
    """The user just wrote: send their reads to the primary for a short window."""
    try:
        cache.set(_ryw_key(user_id), 1, timeout=settings.READ_YOUR_WRITES_SECONDS)
    except Exception as exc:  # a cache outage must not fail the write that just committed
        logger.warning("read-your-writes mark not stored: %s", exc)


def bind_user(user_id: Any) -> None:
    """Called once the request's user is known: pin reads if they wrote recently."""
    if _pinned_to_primary.get() or _bound_user.get() == str(user_id):
        return  # a write request, pinned already, or this user asked about already
    _bound_user.set(str(user_id))
    try:
        recent_write = cache.get(_ryw_key(user_id)) is not None
    except Exception:  # without the cache we cannot tell: the primary is always correct
        recent_write = True
    if recent_write:
        _pinned_to_primary.set(True)


def mark_replica_down(alias: str) -> None:
    _health[alias] = (False, time.monotonic())
    connections[alias].close()
    logger.warning("replica %s marked unavailable", alias)


def _is_healthy(alias: str) -> bool:
    healthy, checked = _health.get(alias, (False, float("-inf")))
    if time.monotonic() - checked < settings.REPLICA_CHECK_SECONDS:
        return healthy
    healthy = _probe(alias)
    _health[alias] = (healthy, time.monotonic())
    return healthy


def replica_lag_seconds(alias: str) -> float:
    """How far `alias` is behind its primary; 0 for a server that replicates from nothing."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "mysql":
            return _mysql_lag_seconds(cursor)
        cursor.execute(_LAG_SQL)
        return float(cursor.fetchone()[0] or 0)


def _mysql_lag_seconds(cursor: Any) -> float:
    """SHOW REPLICA STATUS (MySQL 8.0.22+, MariaDB 10.5+; needs REPLICATION CLIENT, on MariaDB
    REPLICA MONITOR): no row on a primary; a NULL lag means replication is stopped."""
    cursor.execute("SHOW REPLICA STATUS")
    row = cursor.fetchone()
    if row is None:
        return 0.0
    status = dict(zip((column[0] for column in cursor.description), row, strict=True))
    lag = status.get("Seconds_Behind_Source", status.get("Seconds_Behind_Master"))
    return float("inf") if lag is None else float(lag)


def _probe(alias: str) -> bool:
    try:
        lag = replica_lag_seconds(alias)
    except Exception as exc:
        logger.warning("replica %s unavailable: %s", alias, exc)
        connections[alias].close()
        return False
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning("replica %s lags %.1fs; reading from the primary", alias, lag)
        return False
    return True


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        if _pinned_to_primary.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        healthy = [alias for alias in replica_aliases() if _is_healthy(alias)]
        if not healthy:
            return DEFAULT_DB_ALIAS
        alias = random.choice(healthy)  # noqa: S311 - spreading load, not security
        _replica_used.set(alias)
        return alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # replicas hold the same data as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
