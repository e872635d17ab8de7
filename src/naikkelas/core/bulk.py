"""Inserting many rows fast: ids allocated up front, then COPY (PostgreSQL) or one
executemany (SQLite); or set-based, INSERT ... SELECT from a query (`insert_select`).

Django's bulk_create prepares every value through every field's method chain and, on
SQLite, splits the rows into statements of 999 parameters; for an import of a million
rows that is most of the time spent. Here the values are adapted once per column type
and sent in one stream. Rows are plain dicts of column values (attnames, e.g.
`owner_id`); a column not given takes the field's default, as `Model()` would.
"""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

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
                "SELECT nextval(%s::oid) FROM generate_series(1, %s)", [_sequence(model), count]
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


def adapter(field: models.Field[Any, Any]) -> Adapter | None:
    """How the field's Python values are sent by copy_rows (None: as they are)."""
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


def new_ids(model: type[models.Model], ordinal: str) -> tuple[str, list[Any]]:
    """An SQL expression, and its parameters, that gives each row an INSERT ... SELECT
    writes a new primary key of `model`: the sequence on PostgreSQL; on SQLite the next
    free id plus `ordinal`, a window expression over the rows that take one, counting
    from 0. Call inside the transaction that inserts them, as allocate_ids."""
    if connection.vendor == "postgresql":
        return "nextval(%s::oid)", [_sequence(model)]
    return f"%s + {ordinal}", [allocate_ids(model, 1)[0]]


def _sequence(model: type[models.Model]) -> int:
    """The oid of the PostgreSQL sequence that numbers the model's rows: looked up once,
    since pg_get_serial_sequence in a statement is called again for every row (~2 µs)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, 'id')::regclass::oid",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        return int(cursor.fetchone()[0])


def _defaults(fields: Sequence[models.Field[Any, Any]]) -> dict[str, Any]:
    """What Model() would hold in each column: the default, "" for text, else None;
    now for auto_now(_add)."""
    now = timezone.now()
    defaults: dict[str, Any] = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()
    return defaults


def insert_select(
    model: type[models.Model],
    selected: dict[str, str],
    source: str,
    params: Sequence[Any] = (),
    values: dict[str, Any] | None = None,
) -> int:
    """INSERT INTO the model's table SELECT ... FROM `source`: `selected` maps columns
    (attnames) to SQL expressions over the source, `values` gives columns one value for
    every row; the other columns take their defaults, as in `insert`. Without an "id"
    in `selected` the database numbers the rows. Returns how many were inserted."""
    fields = [f for f in model._meta.concrete_fields if f.attname not in selected]
    fields = [f for f in fields if not f.primary_key]
    constants = {**_defaults(fields), **(values or {})}
    adapters = dict((f.attname, adapter(f)) for f in fields)
    quote = connection.ops.quote_name
    columns = [*selected, *(f.attname for f in fields)]
    expressions = [*selected.values(), *("%s" for _f in fields)]
    constant_params = []
    for f in fields:
        value, adapt = constants[f.attname], adapters[f.attname]
        constant_params.append(adapt(value) if adapt is not None and value is not None else value)
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(column_of[c]) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608
            f"SELECT {', '.join(expressions)} FROM {source}",
            [*constant_params, *params],
        )
        return int(cursor.rowcount)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Send rows of already adapted values into a table: COPY on PostgreSQL, one
    executemany on SQLite."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            # Django's cursor wrapper would rewrite %s; the driver's own takes ?.
            cursor.cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )


# COPY's text format: a tab between columns, \N for NULL, and these escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # and datetime, with its offset
        return value.isoformat()
    return str(value)


def copy_line(values: Sequence[Any]) -> str:
    """One row in COPY's text format, for copy_stream: PostgreSQL parses it as it would
    the values themselves. Encoding rows can then happen apart from the COPY (in a
    worker process, say)."""
    # Most rows need no escaping: write every value as str() gives it (PostgreSQL reads
    # True, a date, a datetime with a space before its time, a Decimal), then check
    # that the only backslashes are the NULLs' and the only tabs the separators.
    line = "\t".join(["\\N" if v is None else str(v) for v in values])
    if (
        line.count("\\") == values.count(None)
        and line.count("\t") == len(values) - 1
        and "\n" not in line
        and "\r" not in line
    ):
        return line + "\n"
    return "\t".join(map(_copy_text, values)) + "\n"


@contextmanager
def copy_stream(table: str, columns: Sequence[str]) -> Iterator[Callable[[Iterable[str]], None]]:
    """One COPY into a table (PostgreSQL) for the length of the block, taking lines from
    copy_line: the function it gives queues them and returns, and a thread of psycopg's
    sends them while the caller goes on preparing the next."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    statement = f"COPY {table} ({names}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(statement, writer=QueuedLibpqWriter(raw)) as copy:
            yield lambda lines: copy.write("".join(lines))


def insert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert the rows with newly allocated ids; returns the ids in row order."""
    if not rows:
        return []
    ids = allocate_ids(model, len(rows))
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = _defaults(fields)
    adapters = [(f.attname, adapter(f)) for f in fields]

    def values(pk: int, row: dict[str, Any]) -> tuple[Any, ...]:
        out: list[Any] = [pk]
        for name, adapt in adapters:
            value = row.get(name, defaults[name])
            out.append(adapt(value) if adapt is not None and value is not None else value)
        return tuple(out)

    copy_rows(
        connection.ops.quote_name(model._meta.db_table),
        ["id", *(f.column for f in fields)],
        (values(pk, row) for pk, row in zip(ids, rows, strict=True)),
    )
    return ids
