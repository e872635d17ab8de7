"""Inserting many rows fast: ids allocated up front, then COPY (PostgreSQL) or one
executemany (SQLite).

Django's bulk_create prepares every value through every field's method chain and, on
SQLite, splits the rows into statements of 999 parameters; for an import of a million
rows that is most of the time spent. Here the values are adapted once per column type
and sent in one stream. Rows are plain dicts of column values (attnames, e.g.
`owner_id`); a column not given takes the field's default, as `Model()` would.
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

Adapter = Callable[[Any], Any]


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` primary keys. Call inside the transaction that inserts them: on
    SQLite the transaction's write lock keeps anyone else from taking the same ones."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        cursor.execute(
            "SELECT MAX(n) FROM (SELECT MAX(id) AS n FROM "  # noqa: S608 (model's own table)
            f"{connection.ops.quote_name(table)} UNION ALL "
            "SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        last = cursor.fetchone()[0] or 0
    return list(range(last + 1, last + 1 + count))


def _adapter(field: models.Field[Any, Any]) -> Adapter | None:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return json.dumps
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    return None


def insert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert the rows with newly allocated ids; returns the ids in row order."""
    if not rows:
        return []
    ids = allocate_ids(model, len(rows))
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults: dict[str, Any] = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            # What Model() would hold: the default, "" for text, else None.
            defaults[f.attname] = f.get_default()
    adapters = [(f.attname, _adapter(f)) for f in fields]

    def values(pk: int, row: dict[str, Any]) -> tuple[Any, ...]:
        out: list[Any] = [pk]
        for name, adapt in adapters:
            value = row.get(name, defaults[name])
            out.append(adapt(value) if adapt is not None and value is not None else value)
        return tuple(out)

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in ["id", *(f.column for f in fields)])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row(values(pk, row))
        else:
            marks = ", ".join("?" for _ in range(len(fields) + 1))
            # Django's cursor wrapper would rewrite %s; the driver's own takes ?.
            cursor.cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                (values(pk, row) for pk, row in zip(ids, rows, strict=True)),
            )
    return ids
