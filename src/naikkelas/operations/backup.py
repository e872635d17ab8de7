"""Backup and restore of the whole database, on PostgreSQL and on SQLite.

PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, compressed) and
`pg_restore --clean --single-transaction`, so a restore that fails half-way leaves the
database as it was. SQLite: the sqlite3 online backup API, which copies a consistent
snapshot while the web server and the job worker keep writing (WAL mode).

The personal-data keys (NAIKKELAS_PII_KEY, NAIKKELAS_INDEX_KEY) are settings, not rows:
a backup never holds them, so a stolen backup file shows NIK and phone numbers only as
ciphertext. Keep the keys apart from the backups (docs/operations.md).
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from naikkelas.core.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(DomainError):
    code = "backup_failed"


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    sha256: str


def backup(path: Path) -> None:
    """Write the whole database to `path` (replaced only once the copy is complete)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Unique per process: two backups started at once to one name must not share it.
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        if connection.vendor == "postgresql":
            _pg_dump(partial)
        elif connection.vendor == "sqlite":
            _sqlite_copy(_live_sqlite(), partial)
        else:
            raise BackupError(f"No backup for the {connection.vendor} database.")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)


def restore(path: Path) -> None:
    """Replace the database's contents with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.", code="backup_missing")
    magic = _head(path)
    if connection.vendor == "postgresql":
        if not magic.startswith(PG_DUMP_MAGIC):
            raise BackupError(
                f"{path} is not a PostgreSQL backup (pg_dump custom format).",
                code="backup_wrong_kind",
            )
        # Idle connections would hold the tables pg_restore must drop.
        connections.close_all()
        _pg_restore(path)
    elif connection.vendor == "sqlite":
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not a SQLite backup.", code="backup_wrong_kind")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _sqlite_check(source, path)
            source.backup(_live_sqlite())
        finally:
            source.close()
    else:
        raise BackupError(f"No restore for the {connection.vendor} database.")


def fingerprint(db: BaseDatabaseWrapper = connection) -> dict[str, TableFingerprint]:
    """Row count and a SHA-256 of the rows, in primary-key order, of every table: two
    databases with equal fingerprints hold the same data."""
    result = {}
    with db.cursor() as cursor:
        for table in sorted(db.introspection.table_names(cursor)):
            columns = [c.name for c in db.introspection.get_table_description(cursor, table)]
            key = db.introspection.get_primary_key_column(cursor, table)
            order = [key] if key else columns
            quote = db.ops.quote_name
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)} "  # noqa: S608
                f"ORDER BY {', '.join(map(quote, order))}"
            )
            digest, rows = hashlib.sha256(), 0
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    digest.update(repr(row).encode())
                rows += len(batch)
            result[table] = TableFingerprint(rows, digest.hexdigest())
    return result


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(16)


def _live_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _sqlite_copy(source: sqlite3.Connection, target: Path) -> None:
    target.unlink(missing_ok=True)
    copy = sqlite3.connect(target)
    try:
        # Copies a consistent snapshot, page by page, while others keep writing; the copy
        # is a plain rollback-journal file that opens anywhere.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(copy, target)
    finally:
        copy.close()


def _sqlite_check(db: sqlite3.Connection, path: Path) -> None:
    (status,) = db.execute("PRAGMA integrity_check").fetchone()
    if status != "ok":
        raise BackupError(f"{path} is damaged: {status}", code="backup_damaged")


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """The client program with the connection's settings; the password goes through
    the environment, never the command line (which `ps` shows to every local user)."""
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(
            f"{program} is not installed (Debian: apt-get install postgresql-client).",
            code="backup_no_client",
        )
    params = connection.settings_dict
    env = dict(os.environ)
    for setting, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if params.get(setting):
            env[variable] = str(params[setting])
    sslmode = params.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return [binary, "--no-owner", "--no-privileges", f"--dbname={params['NAME']}"], env


def _pg_dump(target: Path) -> None:
    command, env = _pg_command("pg_dump")
    _run([*command, "--format=custom", f"--file={target}"], env)


def _pg_restore(source: Path) -> None:
    command, env = _pg_command("pg_restore")
    _run(
        [
            *command,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            str(source),
        ],
        env,
    )


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")
