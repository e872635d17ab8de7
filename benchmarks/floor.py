"""The import's floor (issue 21): the first import's own final rows, loaded into an
empty copy of the same schema by the fastest path PostgreSQL has.

Called by `benchmarks.imports` right after the first import. A second database on the
same server is migrated as the first one was (`naikkelas migrate`); the rows the import
added are those the import's database holds beyond the freshly migrated one, table by
table (every row of a table the migrations leave empty, the rows past the migrated
ones' highest key otherwise). They are copied out with binary COPY to files, then timed
going into the twin in one transaction with every constraint, index and deferred
foreign-key check in place, COMMIT included. Nothing is checked, parsed, encrypted or
matched on the way: what remains is the database's own work for the same rows, which
no faster importer could skip. Rows the import changed in place rather than added are
not in the floor (into an empty registry, it only adds).
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connection
from psycopg import sql

from benchmarks.results import Figure
from benchmarks.scratch import Database, Scratch

TARGET = 2.0  # issue 21: the first import within 2x its floor


@dataclass(frozen=True)
class Written:
    table: str
    columns: list[str]
    rows: int
    after_key: int | None  # None: every row; else only rows with a greater primary key


def _tables(cursor: psycopg.Cursor) -> dict[str, list[str]]:
    """Ordinary tables of the schema with the columns a COPY can write (no generated
    ones), in their order."""
    cursor.execute(
        """
        SELECT c.relname, array_agg(a.attname::text ORDER BY a.attnum)
        FROM pg_class AS c
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             AND a.attgenerated = ''
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
        GROUP BY c.relname
        """
    )
    return dict(cursor.fetchall())


def _written_by_triggers(cursor: psycopg.Cursor) -> set[str]:
    """Tables that the schema's triggers insert into (the roll-ups' change marks): the
    load writes their rows again itself, as the import's statements did."""
    cursor.execute(
        """
        SELECT DISTINCT c.relname FROM pg_trigger AS t
        JOIN pg_proc AS p ON p.oid = t.tgfoid
        JOIN pg_class AS c ON p.prosrc ILIKE '%%insert into ' || c.relname || '%%'
        WHERE NOT t.tgisinternal AND c.relkind = 'r'
          AND c.relnamespace = current_schema()::regnamespace
        """
    )
    return {str(name) for (name,) in cursor.fetchall()}


def _count(cursor: psycopg.Cursor, table: str) -> int:
    cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
    row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _key(cursor: psycopg.Cursor, table: str) -> tuple[str, int]:
    """A table's single integer primary key and its highest value."""
    cursor.execute(
        """
        SELECT a.attname FROM pg_index AS i
        JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = %s::regclass AND i.indisprimary
          AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
        """,
        [table],
    )
    keys = cursor.fetchall()
    if len(keys) != 1:
        raise SystemExit(f"floor: {table} has rows before the import and no integer key")
    column = str(keys[0][0])
    cursor.execute(
        sql.SQL("SELECT coalesce(max({}), 0) FROM {}").format(
            sql.Identifier(column), sql.Identifier(table)
        )
    )
    row = cursor.fetchone()
    assert row is not None
    return column, int(row[0])


def written_rows(twin: psycopg.Connection) -> list[Written]:
    """What the import added: each table's rows beyond the freshly migrated twin's,
    except those its triggers add."""
    written = []
    with connection.cursor() as outer, twin.cursor() as fresh:
        mine = outer.cursor
        tables = _tables(mine)
        if tables != _tables(fresh):
            raise SystemExit("floor: the twin's schema differs from the import's")
        by_triggers = _written_by_triggers(fresh)
        for table, columns in sorted(tables.items()):
            if table in by_triggers:
                continue
            now, before = _count(mine, table), _count(fresh, table)
            if now < before:
                raise SystemExit(f"floor: the import removed rows of {table}")
            if now == before:
                continue
            after = None
            if before:
                column, after = _key(fresh, table)
                # The key column goes first in the filter below, so keep its name.
                columns = [column] + [c for c in columns if c != column]
            written.append(Written(table, columns, now - before, after))
    return written


def _select(item: Written) -> sql.Composed:
    query = sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join(map(sql.Identifier, item.columns)), sql.Identifier(item.table)
    )
    if item.after_key is not None:
        query += sql.SQL(" WHERE {} > {}").format(
            sql.Identifier(item.columns[0]), sql.Literal(item.after_key)
        )
    return query


def copy_out(written: list[Written], folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    with connection.cursor() as outer:
        for item in written:
            statement = sql.SQL("COPY ({}) TO STDOUT (FORMAT binary)").format(_select(item))
            with outer.cursor.copy(statement) as copy, (folder / item.table).open("wb") as out:
                for chunk in copy:
                    out.write(chunk)


def load(written: list[Written], folder: Path, twin: psycopg.Connection) -> tuple[float, float]:
    """Seconds of the COPY statements and of the COMMIT (the deferred foreign-key
    checks), in one transaction."""
    start = time.perf_counter()
    with twin.cursor() as cursor:
        for item in written:
            statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT binary)").format(
                sql.Identifier(item.table), sql.SQL(", ").join(map(sql.Identifier, item.columns))
            )
            with cursor.copy(statement) as copy, (folder / item.table).open("rb") as source:
                while chunk := source.read(1024 * 1024):
                    copy.write(chunk)
    copied = time.perf_counter()
    twin.commit()
    return copied - start, time.perf_counter() - copied


@contextmanager
def _migrated_twin(scratch: Scratch) -> Iterator[psycopg.Connection]:
    twin = Database(scratch.admin_url, f"{scratch.database}_floor")
    twin.create()
    try:
        # Migrated as the import's own database was, by the same command in a process of
        # its own (Django here stays on the import's database).
        naikkelas = Path(sys.executable).with_name("naikkelas")
        subprocess.run(
            [str(naikkelas), "migrate", "--noinput", "-v0"],
            env=os.environ | {"DATABASE_URL": twin.url},
            check=True,
        )
        with psycopg.connect(twin.url) as conn:
            yield conn
    finally:
        twin.drop()


def measure(scratch: Scratch, first_import: float) -> list[Figure]:
    """Print and return the floor of the import that took `first_import` seconds."""
    folder = scratch.folder / "floor"
    with _migrated_twin(scratch) as twin:
        written = written_rows(twin)
        twin.commit()  # the counts' snapshot ends before the timed transaction begins
        start = time.perf_counter()
        copy_out(written, folder)
        print(f"{'floor: binary COPY out of the rows the import wrote':<58} "
              f"{time.perf_counter() - start:8.1f} s")  # fmt: skip
        for item in written:
            size = (folder / item.table).stat().st_size / 1024**2
            print(f"  {item.table:<44} {item.rows:>11,} rows {size:8,.0f} MB")
        copying, commit = load(written, folder, twin)
    floor = copying + commit
    rows = sum(item.rows for item in written)
    print(f"{'floor: the same rows into the migrated twin, one transaction':<58} {floor:8.1f} s")
    print(f"  {'COPY statements (rows, indexes, immediate checks)':<56} {copying:8.1f} s")
    print(f"  {'COMMIT (deferred foreign-key checks)':<56} {commit:8.1f} s")
    ratio = first_import / floor
    print(f"first import / floor = {ratio:.2f}x (target <= {TARGET:.0f}x)")
    return [
        Figure(f"floor: the first import's {rows:,} rows into an empty schema", floor, "s"),
        Figure("floor: COPY statements", copying, "s"),
        Figure("floor: COMMIT (deferred foreign-key checks)", commit, "s"),
        Figure("SIDT CSV first import time / floor", ratio, "x", TARGET),
    ]
