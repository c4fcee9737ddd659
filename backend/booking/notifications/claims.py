"""The send path's three statements: claim a batch, read it back, record its outcomes.

Hand-written (booking/core/sql.py): through the ORM, building them cost the worker more CPU
than the database spent running them (bench/README.md). All three go to the primary: a replica
may not have replayed the claim yet.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS

from booking.core import sql
from booking.notifications.messages import MESSAGE_FIELDS
from booking.notifications.models import Notification, Status

PRIMARY = DEFAULT_DB_ALIAS
_READ = sql.JoinedSelect(Notification, (*MESSAGE_FIELDS, "attempts"))


class Decrement:
    """A recorded value that takes one from the column (an untried row's attempt count)."""


def claim(
    notification_ids: Sequence[UUID], token: UUID, now: dt.datetime, lease_until: dt.datetime
) -> int:
    """One conditional UPDATE: a due row, or one whose lease ran out, moves to `sending` for
    exactly one claimer. The number of rows claimed."""

    def value(name: str, v: Any) -> Any:
        return sql.prepared(PRIMARY, Notification, name, v)

    params = [
        value("status", Status.SENDING),
        value("claimed_until", lease_until),
        value("claim_token", token),
        *(value("id", i) for i in notification_ids),
        value("status", Status.PENDING),
        value("due_at", now),
        value("next_attempt_at", now),
        value("status", Status.SENDING),
        value("claimed_until", now),
    ]
    return sql.execute(PRIMARY, _claim_sql(PRIMARY, len(notification_ids)), params)


@functools.cache
def _claim_sql(alias: str, count: int) -> str:
    def col(name: str) -> str:
        return sql.column(alias, Notification, name)

    status, until, attempts = col("status"), col("claimed_until"), col("attempts")
    return (
        f"UPDATE {sql.table(alias, Notification)} SET {status} = %s, {until} = %s, "  # noqa: S608
        f"{col('claim_token')} = %s, {attempts} = {attempts} + 1 "
        f"WHERE {col('id')} IN ({sql.marks(count)}) AND ("
        f"({status} = %s AND {col('due_at')} <= %s AND "
        f"({col('next_attempt_at')} IS NULL OR {col('next_attempt_at')} <= %s)) "
        f"OR ({status} = %s AND {until} < %s))"
    )


def claimed(notification_ids: Sequence[UUID], token: UUID) -> list[Notification]:
    """This claim's rows with what their messages need, in the order they were asked for."""
    params = [sql.prepared(PRIMARY, Notification, "id", i) for i in notification_ids]
    params.append(sql.prepared(PRIMARY, Notification, "claim_token", token))
    statement = _READ.where(PRIMARY, ("id", len(notification_ids)), "claim_token")
    position = {notification_id: n for n, notification_id in enumerate(notification_ids)}
    return sorted(_READ.load(PRIMARY, statement, params), key=lambda row: position[row.id])


def record(values: dict[UUID, dict[str, Any]], token: UUID) -> None:
    """One UPDATE for rows that came to the same outcome, each with its own `values` (field
    name -> value, the same names for every row): the claim is released with them."""
    ids = list(values)
    names = tuple(next(iter(values.values())))
    shape, params = [], []
    for name in names:
        column_values = [fields[name] for fields in values.values()]
        first = column_values[0]
        if isinstance(first, Decrement):
            shape.append((name, "decrement"))
        elif all(v == first for v in column_values):
            shape.append((name, "same"))
            params.append(sql.prepared(PRIMARY, Notification, name, first))
        else:
            shape.append((name, "case"))
            for notification_id, v in zip(ids, column_values, strict=True):
                params.append(sql.prepared(PRIMARY, Notification, "id", notification_id))
                params.append(sql.prepared(PRIMARY, Notification, name, v))
    params.append(sql.prepared(PRIMARY, Notification, "claim_token", token))
    params += [sql.prepared(PRIMARY, Notification, "id", i) for i in ids]
    sql.execute(PRIMARY, _record_sql(PRIMARY, tuple(shape), len(ids)), params)


@functools.cache
def _record_sql(alias: str, shape: tuple[tuple[str, str], ...], count: int) -> str:
    def col(name: str) -> str:
        return sql.column(alias, Notification, name)

    case = " ".join([f"WHEN {col('id')} = %s THEN %s"] * count)
    assignments = [f"{col('claimed_until')} = NULL", f"{col('claim_token')} = NULL"]
    for name, how in shape:
        if how == "decrement":
            assignments.append(f"{col(name)} = {col(name)} - 1")
        elif how == "same":
            assignments.append(f"{col(name)} = %s")
        else:
            assignments.append(f"{col(name)} = CASE {case} ELSE NULL END")
    return (
        f"UPDATE {sql.table(alias, Notification)} SET {', '.join(assignments)} "  # noqa: S608
        f"WHERE {col('claim_token')} = %s AND {col('id')} IN ({sql.marks(count)})"
    )
