"""Hand-written statements for the hottest paths, for every database we run on.

Building a statement through the ORM cost more CPU than running it (bench/README.md, fifth
round). The statements here take their identifiers from the models and pass every value as a
parameter through its field's own conversion; results go through the database's and the
field's converters, and come back as model instances where callers want them. Statements are
built once per database alias and shape (`functools.cache` on the builders).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.models import Model

Converter = Callable[[Any], Any]
_COMPARISONS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


@functools.cache
def field(model: type[Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field) and found.concrete, f"{model.__name__}.{name}"
    return found


def table(alias: str, model: type[Model]) -> str:
    return str(connections[alias].ops.quote_name(model._meta.db_table))


def column(alias: str, model: type[Model], name: str) -> str:
    """The quoted column of field `name` (a foreign key's is its `_id` column)."""
    name_in_table = field(model, name).column
    assert name_in_table is not None
    return str(connections[alias].ops.quote_name(name_in_table))


def marks(count: int) -> str:
    """`count` parameter placeholders, for an IN list."""
    return ", ".join(["%s"] * count)


def iexact(alias: str, model: type[Model], name: str, value: str) -> tuple[str, str]:
    """A case-insensitive equality on field `name` as this database writes it (UPPER on
    PostgreSQL, LIKE on MariaDB and SQLite): the condition with one placeholder, and the
    value to pass for it."""
    connection = connections[alias]
    internal_type = field(model, name).get_internal_type()
    lhs = connection.ops.lookup_cast("iexact", internal_type) % column(alias, model, name)
    rhs = connection.operators["iexact"] % "%s"  # type: ignore[attr-defined]
    return f"{lhs} {rhs}", connection.ops.prep_for_iexact_query(value)


def for_update(alias: str) -> str:
    """The row-lock clause where the database has one (not the embedded SQLite, whose writes
    are serialized anyway)."""
    return " FOR UPDATE" if connections[alias].features.has_select_for_update else ""


def prepared(alias: str, model: type[Model], name: str, value: Any) -> Any:
    """`value` as the database takes it for field `name` (UUIDs as text on MariaDB, naive
    UTC datetimes on MariaDB and SQLite, ...)."""
    return field(model, name).get_db_prep_value(value, connections[alias], prepared=False)


def execute(alias: str, sql: str, params: Sequence[Any]) -> int:
    """Run a write; the number of rows it touched."""
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def fetch(alias: str, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def values(
    alias: str, statement: str, params: Sequence[Any], fields: Sequence[tuple[type[Model], str]]
) -> list[tuple[Any, ...]]:
    """The rows of `statement`, each column through the converters of the field it selects
    (`fields`, in column order), as `values_list` returns them."""
    rows = fetch(alias, statement, params)
    steps = [converters(alias, model, name) for model, name in fields]
    if not any(steps):  # PostgreSQL hands back Python values already
        return rows
    return [
        tuple(_through(step, value) for step, value in zip(steps, row, strict=True)) for row in rows
    ]


def _through(step: tuple[Converter, ...], value: Any) -> Any:
    for convert in step:
        value = convert(value)
    return value


def insert(alias: str, objs: Sequence[Model]) -> None:
    """INSERT new instances of one model in one statement, every concrete field (auto_now
    fields are filled in as `save` would). A primary key set in Python is written; an
    auto-incremented one left unset is numbered by the database and not read back (callers
    that need it use `save`). A constraint the rows break raises IntegrityError, as `save`
    does."""
    if not objs:
        return
    model, connection = type(objs[0]), connections[alias]
    numbered = _numbered_by_database(objs)
    fields = _inserted_fields(model, numbered)
    params = [
        f.get_db_prep_save(f.pre_save(obj, True), connection)  # type: ignore[arg-type]
        for obj in objs
        for f in fields
    ]
    execute(alias, _insert_sql(alias, model, len(objs), numbered), params)
    for obj in objs:
        obj._state.adding, obj._state.db = False, alias


def _numbered_by_database(objs: Sequence[Model]) -> bool:
    pk = objs[0]._meta.pk
    unset = [obj.pk is None for obj in objs]
    assert all(unset) or not any(unset), "every row's primary key is set, or none is"
    return unset[0] and isinstance(pk, models.AutoField)  # Big and Small ones too


def _inserted_fields(model: type[Model], numbered: bool) -> list[models.Field[Any, Any]]:
    fields = model._meta.local_concrete_fields
    return [f for f in fields if not (numbered and f.primary_key)]


@functools.cache
def _insert_sql(alias: str, model: type[Model], count: int, numbered: bool) -> str:
    fields = _inserted_fields(model, numbered)
    names = ", ".join(column(alias, model, f.name) for f in fields)
    row = f"({marks(len(fields))})"
    return f"INSERT INTO {table(alias, model)} ({names}) VALUES {', '.join([row] * count)}"  # noqa: S608


@functools.cache
def converters(alias: str, model: type[Model], name: str) -> tuple[Converter, ...]:
    """What the ORM applies to a value of field `name` read from this database."""
    connection = connections[alias]
    col = field(model, name).get_col(model._meta.db_table)
    found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
    return tuple(functools.partial(_convert, fn, col, connection) for fn in found)


def _convert(fn: Callable[..., Any], col: Any, connection: Any, value: Any) -> Any:
    return fn(value, col, connection)


def python_value(alias: str, model: type[Model], name: str, value: Any) -> Any:
    return _through(converters(alias, model, name), value)


@dataclass(frozen=True)
class _Part:
    """One model of a joined select: its path from the root ("" for the root, else
    "appointment__salon"), its table alias and the fields it selects (in the model's order,
    which `Model.from_db` takes, with the primary key at `pk_index`)."""

    path: str
    model: type[Model]
    table_alias: str
    names: tuple[str, ...]
    attnames: frozenset[str]
    pk_index: int


class JoinedSelect:
    """A select of chosen fields of a model and of models it reaches through foreign keys, as
    instances with their related objects in place, like `.select_related(...).only(...)`.

    `fields` are ORM paths ("channel", "appointment__salon__name"; "*" or "salon__*" for every
    field, as `select_related` reads them); every model on the way is LEFT JOINed on its
    primary key, so a null foreign key gives a None relation. A field not selected is
    deferred, and reading it costs a query, as with `.only()`.
    """

    def __init__(self, model: type[Model], fields: Sequence[str]) -> None:
        self.model, self.fields = model, tuple(fields)

    @functools.cached_property
    def parts(self) -> tuple[_Part, ...]:
        """Resolved on first use: declared at import, before every related model is loaded."""
        wanted: dict[str, set[str]] = {"": set()}
        for path in self.fields:
            *relations, name = path.split("__")
            for depth in range(len(relations) + 1):
                wanted.setdefault("__".join(relations[:depth]), set())
            wanted["__".join(relations)].add(name)
        return tuple(
            self._part(path, names, n) for n, (path, names) in enumerate(sorted(wanted.items()))
        )

    def _part(self, path: str, names: set[str], n: int) -> _Part:
        model = self._model_at(path)
        pk = model._meta.pk
        assert pk is not None
        for name in names - {"*"}:
            field(model, name)  # an unknown or reverse name fails here, not as a missing value
        every = "*" in names
        chosen = [f for f in model._meta.concrete_fields if every or f.name in names or f == pk]
        return _Part(
            path,
            model,
            f"T{n}",
            tuple(f.name for f in chosen),
            frozenset(f.attname for f in chosen),
            chosen.index(pk),
        )

    def _model_at(self, path: str) -> type[Model]:
        model = self.model
        for name in filter(None, path.split("__")):
            related = field(model, name).related_model
            assert isinstance(related, type) and issubclass(related, Model)
            model = related
        return model

    def column(self, alias: str, path: str) -> str:
        """A selected model's column ("id", "salon__is_active"), qualified for a WHERE clause
        after `select`."""
        relations, _, name = path.rpartition("__")
        part = next(part for part in self.parts if part.path == relations)
        quote = connections[alias].ops.quote_name
        return f"{quote(part.table_alias)}.{column(alias, part.model, name)}"

    @functools.cache  # noqa: B019 (one instance per statement, module-level, lives forever)
    def select(self, alias: str, extra: tuple[str, ...] = ()) -> str:
        """The selected fields' columns, then the `extra` expressions (which `objects` leaves
        for the caller: they follow the models' columns in each row)."""
        quote = connections[alias].ops.quote_name
        columns = [
            f"{quote(part.table_alias)}.{column(alias, part.model, name)}"
            for part in self.parts
            for name in part.names
        ] + list(extra)
        root = quote(self.parts[0].table_alias)
        statement = f"SELECT {', '.join(columns)} FROM {table(alias, self.model)} {root}"  # noqa: S608
        by_path = {part.path: part for part in self.parts}
        for part in self.parts[1:]:
            parent_path, _, name = part.path.rpartition("__")
            parent, here = by_path[parent_path], quote(part.table_alias)
            pk = column(alias, part.model, part.names[part.pk_index])
            statement += (
                f" LEFT JOIN {table(alias, part.model)} {here} ON {here}.{pk} = "
                f"{quote(parent.table_alias)}.{column(alias, parent.model, name)}"
            )
        return statement

    @functools.cache  # noqa: B019 (one instance per statement, module-level, lives forever)
    def where(
        self,
        alias: str,
        *conditions: str | tuple[str, int],
        order_by: tuple[str, ...] = (),
        extra: tuple[str, ...] = (),
    ) -> str:
        """`select` (with `extra`) with its conditions ANDed and its rows in `order_by` (paths,
        "-path" for descending). A path ("id", "salon__is_active") is compared with one
        parameter, a path with a comparison suffix ("end_date__gte") likewise, and a
        (path, count) pair is IN a list of `count` parameters."""
        clauses = [
            f"{self.column(alias, c[0])} IN ({marks(c[1])})"
            if isinstance(c, tuple)
            else self._comparison(alias, c)
            for c in conditions
        ]
        statement = f"{self.select(alias, extra)} WHERE {' AND '.join(clauses)}"
        if order_by:
            keys = [
                f"{self.column(alias, p.removeprefix('-'))}{' DESC' if p[0] == '-' else ''}"
                for p in order_by
            ]
            statement += f" ORDER BY {', '.join(keys)}"
        return statement

    @functools.cache  # noqa: B019 (one instance per statement, module-level, lives forever)
    def count(self, alias: str, *conditions: str) -> str:
        """How many rows `where` finds with these conditions, which name root fields only (no
        join is made)."""
        for condition in conditions:
            path, _, suffix = condition.rpartition("__")
            assert "__" not in (path if suffix in _COMPARISONS else condition), condition
        root = connections[alias].ops.quote_name(self.parts[0].table_alias)
        clauses = " AND ".join(self._comparison(alias, c) for c in conditions)
        return f"SELECT COUNT(*) FROM {table(alias, self.model)} {root} WHERE {clauses}"  # noqa: S608

    def _comparison(self, alias: str, condition: str) -> str:
        path, _, suffix = condition.rpartition("__")
        if suffix in _COMPARISONS:
            return f"{self.column(alias, path)} {_COMPARISONS[suffix]} %s"
        return f"{self.column(alias, condition)} = %s"

    def load(self, alias: str, statement: str, params: Sequence[Any]) -> list[Any]:
        """The root instances `statement` (built on `select`) finds."""
        return self.objects(alias, fetch(alias, statement, params))

    def objects(self, alias: str, rows: Sequence[Sequence[Any]]) -> list[Any]:
        """The root instances of `rows` (as `select` returned them), relations set."""
        return [self._instance(alias, row) for row in rows]

    def _instance(self, alias: str, row: Sequence[Any]) -> Model:
        made: dict[str, Model | None] = {}
        start = 0
        for part in self.parts:
            values = row[start : start + len(part.names)]
            start += len(part.names)
            made[part.path] = self._build(alias, part, values)
        for part in self.parts[1:]:
            parent_path, _, name = part.path.rpartition("__")
            parent = made[parent_path]
            if parent is not None:
                field(parent.__class__, name).set_cached_value(parent, made[part.path])  # type: ignore[attr-defined]
        root = made[""]
        assert root is not None
        return root

    @staticmethod
    def _build(alias: str, part: _Part, values: Sequence[Any]) -> Model | None:
        if values[part.pk_index] is None:  # the LEFT JOIN found no row: a null foreign key
            return None
        converted = [
            python_value(alias, part.model, name, value)
            for name, value in zip(part.names, values, strict=True)
        ]
        return part.model.from_db(alias, part.attnames, converted)
