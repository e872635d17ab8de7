"""Dropping the indexes Django made for db_index=True, by name.

Django's AlterField, taking db_index off a column, drops every index on the column that
is not a Meta index: a partial unique index included (business_source_id_unique was lost
that way once). So migrations that take an index off change only the model state and
drop the indexes by these names: the plain one and, on PostgreSQL, its LIKE twin.
"""

from collections.abc import Callable, Sequence
from typing import Any

Operation = Callable[[Any, Any], None]


def _names(schema_editor: Any, table: str, column: str) -> list[str]:
    name = schema_editor._create_index_name(table, [column])
    return [name, schema_editor._create_index_name(table, [column], suffix="_like")]


def dropping(columns: Sequence[tuple[str, str]]) -> tuple[Operation, Operation]:
    """RunPython's forward and backward operations for these (table, column) pairs: drop
    their db_index indexes; reversed, create the plain ones again."""

    def drop(apps: Any, schema_editor: Any) -> None:
        for table, column in columns:
            for name in _names(schema_editor, table, column):
                schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def restore(apps: Any, schema_editor: Any) -> None:
        for table, column in columns:
            name = schema_editor.quote_name(_names(schema_editor, table, column)[0])
            schema_editor.execute(f"CREATE INDEX {name} ON {table} ({column})")

    return drop, restore
