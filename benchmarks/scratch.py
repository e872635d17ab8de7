"""A scratch PostgreSQL database for a benchmark, set up before Django starts.

    scratch = Scratch("RECOMPUTE", "naikkelas_bench_recompute")   # before django.setup()

BENCH_<NAME>_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the
server; BENCH_<NAME>_DB the database's name. Django is pointed at it, and at a fresh
folder for its files. A `Database` is another one on the same server that Django is
not pointed at (the import's floor loads into one).
"""

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


class Database:
    """A database on the server of `admin_url`, created empty and dropped by name."""

    def __init__(self, admin_url: str, database: str) -> None:
        self.admin_url = admin_url
        self.database = database
        self.url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{database}"))

    def _admin(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(statement)

    def create(self) -> None:
        self.drop()
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))

    def drop(self) -> None:
        self._admin(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database))
        )


class Scratch(Database):
    def __init__(self, name: str, database: str) -> None:
        super().__init__(
            os.environ.get(
                f"BENCH_{name}_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            ),
            os.environ.get(f"BENCH_{name}_DB", database),
        )
        self.folder = Path(tempfile.mkdtemp(prefix=f"{database.replace('_', '-')}-"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
        os.environ["NAIKKELAS_VAR_DIR"] = str(self.folder)
        os.environ["DATABASE_URL"] = self.url
        os.environ.setdefault("NAIKKELAS_LOG_LEVEL", "ERROR")


def timed(label: str, action: Callable[[], Any]) -> tuple[float, Any]:
    """Run, print the label and seconds, return (seconds, what the action returned)."""
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:8.1f} s")
    return seconds, result
