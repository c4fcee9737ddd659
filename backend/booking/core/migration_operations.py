"""Migration operations that differ by database vendor.

PostgreSQL states some invariants in ways MySQL has no syntax for (exclusion constraints,
partial unique indexes); the MySQL equivalent is written as SQL that runs only there, so the
PostgreSQL and SQLite schemas stay exactly what the models say. Indexes on tables that bookings
write are built without stopping those writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """RunSQL on `vendor` ("mysql", "postgresql", "sqlite") only; a no-op elsewhere.

    Give `sql` and `reverse_sql` as lists: each item is one statement, sent as is (trigger
    bodies contain semicolons, which a script splitter would cut).
    """

    def __init__(self, vendor: str, sql: Any, reverse_sql: Any = None, **kwargs: Any) -> None:
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self) -> tuple[str, Sequence[Any], dict[str, Any]]:
        name, args, kwargs = super().deconstruct()
        return name, args, {"vendor": self.vendor, **kwargs}

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, *args)

    def describe(self) -> str:
        return f"Raw SQL on {self.vendor} only"


class _Online:
    """Runs as the operation `_for(schema_editor)` picks for the database at hand."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        self._for(schema_editor).database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        self._for(schema_editor).database_backwards(app_label, schema_editor, *args)

    def _for(self, schema_editor: Any) -> migrations.operations.base.Operation:
        raise NotImplementedError


class AddIndexOnline(_Online, migrations.AddIndex):
    """AddIndex that lets writes go on while the index builds: CREATE INDEX CONCURRENTLY on
    PostgreSQL (the migration must set `atomic = False`), the plain statement elsewhere, which
    InnoDB already builds online and SQLite (development) does not need to."""

    def _for(self, schema_editor: Any) -> migrations.AddIndex:
        if schema_editor.connection.vendor != "postgresql":
            return migrations.AddIndex(self.model_name, self.index)
        return AddIndexConcurrently(self.model_name, self.index)


class RemoveIndexOnline(_Online, migrations.RemoveIndex):
    """RemoveIndex without blocking writes: DROP INDEX CONCURRENTLY on PostgreSQL (the
    migration must set `atomic = False`), the plain statement elsewhere."""

    def _for(self, schema_editor: Any) -> migrations.RemoveIndex:
        if schema_editor.connection.vendor != "postgresql":
            return migrations.RemoveIndex(self.model_name, self.name)
        return RemoveIndexConcurrently(self.model_name, self.name)
