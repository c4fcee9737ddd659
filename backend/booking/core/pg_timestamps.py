"""PostgreSQL's timestamps parsed by psycopg's C loader instead of Django's Python one.

Django (5.2 with psycopg 3) registers its own loader for `timestamp with time zone`, so that
values come back in the connection's time zone: a subclass of psycopg's pure-Python loader,
since the C one cannot be subclassed. Every timestamp of every row is then parsed in Python,
about ten times slower than in C: 12 to 14 % of the CPU of a page of "My appointments" and of
an availability miss (bench/README.md (18)).

Django sets each session's time zone to its own, UTC when USE_TZ is on, and there psycopg's C
loader returns the same values as Django's (aware datetimes in `datetime.timezone.utc`). So on
such a session the loader below hands every value to the C loader. It carries the `timezone`
that Django's `create_cursor` compares with the connection's, so Django keeps it. A session in
any other time zone keeps Django's loader.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
from psycopg import abc
from psycopg.adapt import Loader
from psycopg.pq import Format

TIMESTAMPTZ = "timestamptz"


def _psycopg_loader() -> type[abc.Loader]:
    """psycopg's own loader: the C one where psycopg's binary or C package is installed."""
    loader = psycopg.adapters.get_loader(psycopg.adapters.types[TIMESTAMPTZ].oid, Format.TEXT)
    assert loader is not None  # psycopg has one for every built-in type
    return loader


_PSYCOPG_LOADER = _psycopg_loader()


class UtcTimestamptzLoader(Loader):
    """psycopg's loader behind the attribute Django checks."""

    timezone = dt.UTC

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        self._loader = _PSYCOPG_LOADER(oid, context)
        # The instance's attribute wins over the method: psycopg calls the C function directly.
        self.load = self._loader.load  # type: ignore[method-assign]

    def load(self, data: Any) -> Any:
        return self._loader.load(data)


def use_psycopg_timestamp_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: the faster loader on a PostgreSQL session in UTC."""
    if connection.vendor != "postgresql" or connection.timezone != dt.UTC:
        return
    adapters = connection.connection.adapters
    oid = adapters.types[TIMESTAMPTZ].oid
    if adapters.get_loader(oid, Format.TEXT) is UtcTimestamptzLoader:
        return  # a pooled connection handed out again (Django checks its time zone each time)
    if connection.connection.info.parameter_status("TimeZone") == "UTC":
        adapters.register_loader(TIMESTAMPTZ, UtcTimestamptzLoader)
