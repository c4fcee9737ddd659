"""Everything a salon's schedule snapshot reads, in one statement.

Six small statements cost the web process a round trip each and the replica a statement each,
and a salon's first availability question pays all of them. Here each kind of row is one
branch of a UNION ALL: its values sit in the columns of their type, NULL elsewhere, and the
first column says which kind the row is. A first branch that selects nothing gives every
column its type (PostgreSQL types a column of NULLs as text, which the next branch's uuid or
time then cannot match). Identifiers come from the models and every value is a parameter, as
in `core.sql`.
"""

from __future__ import annotations

import datetime as dt
import functools
from enum import IntEnum
from typing import Any
from uuid import UUID

from django.db import connections
from django.db.models import Model

from booking.core import sql
from booking.salons.models import (
    Closure,
    OpeningHours,
    Salon,
    Service,
    StaffMember,
    TimeOff,
    WorkingHours,
)


class Kind(IntEnum):
    """What a row holds, in the columns of `COLUMNS` (the rest are NULL)."""

    SALON = 0  # id; text: time zone; n1, n2, n3: minimum notice, horizon, slot step
    SERVICE = 1  # an active service: id; n1, n2: duration, buffer after
    PERFORMS = 2  # an active staff member: id; other: a service performed, NULL for none
    WORKING = 3  # working hours of an active staff member: id; n1: weekday; t1, t2
    TIME_OFF = 4  # time off not yet over: id (the staff member); at1, at2: start, end
    OPENING = 5  # opening hours: n1: weekday; t1, t2: opens, closes
    CLOSURE = 6  # a closure not over by yesterday: d1, d2: first and last day


# After the kind, each column with a field of its type (for the converters and the typing
# branch): ids, text, numbers, times of day, dates, instants.
COLUMNS: dict[str, tuple[type[Model], str]] = {
    **dict.fromkeys(("id", "other"), (Salon, "id")),
    "text": (Salon, "timezone"),
    **dict.fromkeys(("n1", "n2", "n3"), (Salon, "min_notice_minutes")),
    **dict.fromkeys(("t1", "t2"), (OpeningHours, "opens")),
    **dict.fromkeys(("d1", "d2"), (Closure, "start_date")),
    **dict.fromkeys(("at1", "at2"), (TimeOff, "start")),
}
_KIND: tuple[type[Model], str] = (Salon, "min_notice_minutes")
# Each kind's rows in the order the models give them: weekday and start, first day, start.
_ORDER = ("n1", "t1", "d1", "at1")


def schedule_rows(alias: str, salon_id: UUID, now: dt.datetime) -> list[tuple[Any, ...]]:
    """The salon's rule rows, (kind, *COLUMNS) each, converted as the fields convert them;
    no SALON row when the salon is unknown or closed."""
    key = sql.prepared(alias, Salon, "id", salon_id)
    since = sql.prepared(alias, TimeOff, "end", now)
    yesterday = sql.prepared(alias, Closure, "end_date", now.date() - dt.timedelta(days=1))
    params = [key, True, key, True, key, key, yesterday, key, True, key, True, key, since]
    rows = sql.values(alias, _statement(alias), params, [_KIND, *COLUMNS.values()])
    if connections[alias].vendor == "mysql":  # MariaDB types these UNION columns as DECIMAL
        return [_whole_numbers(row) for row in rows]
    return rows


_WHOLE = frozenset([0] + [1 + i for i, name in enumerate(COLUMNS) if name[0] == "n"])


def _whole_numbers(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        int(value) if i in _WHOLE and value is not None else value for i, value in enumerate(row)
    )


@functools.cache
def _statement(alias: str) -> str:
    """The typing branch, then the salon's and the staff's; rows by kind, then `_ORDER`."""
    q = _Quoting(alias)
    branches = [_typing_branch(q), *_salon_branches(q), *_staff_branches(q)]
    order = ", ".join(str(2 + list(COLUMNS).index(name)) for name in _ORDER)
    return " UNION ALL ".join(branches) + f" ORDER BY 1, {order}"


class _Quoting:
    def __init__(self, alias: str) -> None:
        self.alias = alias

    def col(self, letter: str, model: type[Model], name: str) -> str:
        return f"{letter}.{sql.column(self.alias, model, name)}"

    def tab(self, model: type[Model], letter: str) -> str:
        return f"{sql.table(self.alias, model)} {letter}"


def _branch(kind: int, values: dict[str, str], rest: str) -> str:
    selected = ", ".join(values.get(name, "NULL") for name in COLUMNS)
    return f"SELECT {kind}, {selected} FROM {rest}"  # noqa: S608


def _typing_branch(q: _Quoting) -> str:
    """No row; every column one of its field, so that each has its type from the start."""
    letters: dict[type[Model], str] = {}
    for model, _ in COLUMNS.values():
        letters.setdefault(model, f"x{len(letters)}")
    typed = {name: q.col(letters[model], model, field) for name, (model, field) in COLUMNS.items()}
    tables = ", ".join(q.tab(model, letter) for model, letter in letters.items())
    return _branch(-1, typed, f"{tables} WHERE 1 = 0")


def _salon_branches(q: _Quoting) -> list[str]:
    """SALON, SERVICE, OPENING and CLOSURE; parameters (salon, True) (salon, True) (salon)
    (salon, yesterday)."""
    s, v, h, c = (
        functools.partial(q.col, letter, model)
        for letter, model in (("s", Salon), ("v", Service), ("h", OpeningHours), ("c", Closure))
    )
    return [
        _branch(
            Kind.SALON,
            {"id": s("id"), "text": s("timezone"), "n1": s("min_notice_minutes")}
            | {"n2": s("horizon_days"), "n3": s("slot_step_minutes")},
            f"{q.tab(Salon, 's')} WHERE {s('id')} = %s AND {s('is_active')} = %s",
        ),
        _branch(
            Kind.SERVICE,
            {"id": v("id"), "n1": v("duration_minutes"), "n2": v("buffer_after_minutes")},
            f"{q.tab(Service, 'v')} WHERE {v('salon')} = %s AND {v('is_active')} = %s",
        ),
        _branch(
            Kind.OPENING,
            {"n1": h("weekday"), "t1": h("opens"), "t2": h("closes")},
            f"{q.tab(OpeningHours, 'h')} WHERE {h('salon')} = %s",
        ),
        _branch(
            Kind.CLOSURE,
            {"d1": c("start_date"), "d2": c("end_date")},
            f"{q.tab(Closure, 'c')} WHERE {c('salon')} = %s AND {c('end_date')} >= %s",
        ),
    ]


def _staff_branches(q: _Quoting) -> list[str]:
    """PERFORMS, WORKING and TIME_OFF; parameters (salon, True) (salon, True) (salon, now)."""
    performs: type[Model] = StaffMember.services.through
    tables = (("m", StaffMember), ("p", performs), ("w", WorkingHours), ("o", TimeOff))
    m, p, w, o = (functools.partial(q.col, letter, model) for letter, model in tables)
    of_salon = f"{m('salon')} = %s"
    active = f"{of_salon} AND {m('is_active')} = %s"
    return [
        _branch(
            Kind.PERFORMS,
            {"id": m("id"), "other": p("service")},
            f"{q.tab(StaffMember, 'm')} LEFT JOIN {q.tab(performs, 'p')} "
            f"ON {p('staffmember')} = {m('id')} WHERE {active}",
        ),
        _branch(
            Kind.WORKING,
            {"id": w("staff"), "n1": w("weekday"), "t1": w("starts"), "t2": w("ends")},
            f"{q.tab(WorkingHours, 'w')} JOIN {q.tab(StaffMember, 'm')} "
            f"ON {m('id')} = {w('staff')} WHERE {active}",
        ),
        _branch(
            Kind.TIME_OFF,
            {"id": o("staff"), "at1": o("start"), "at2": o("end")},
            f"{q.tab(TimeOff, 'o')} JOIN {q.tab(StaffMember, 'm')} "
            f"ON {m('id')} = {o('staff')} WHERE {of_salon} AND {o('end')} > %s",
        ),
    ]
