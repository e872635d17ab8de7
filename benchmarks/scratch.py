"""A scratch PostgreSQL database for a benchmark, set up before Django starts.

    scratch = Scratch("RECOMPUTE", "naikkelas_bench_recompute")   # before django.setup()

BENCH_<NAME>_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the
server; BENCH_<NAME>_DB the database's name. Django is pointed at it, and at a fresh
folder for its files.
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


class Scratch:
    def __init__(self, name: str, database: str) -> None:
        self.admin_url = os.environ.get(
            f"BENCH_{name}_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        )
        self.database = os.environ.get(f"BENCH_{name}_DB", database)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{database.replace('_', '-')}-"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
        os.environ["NAIKKELAS_VAR_DIR"] = str(self.folder)
        os.environ["DATABASE_URL"] = urlunsplit(
            urlsplit(self.admin_url)._replace(path=f"/{self.database}")
        )
        os.environ.setdefault("NAIKKELAS_LOG_LEVEL", "ERROR")

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


def timed(label: str, action: Callable[[], Any]) -> tuple[float, Any]:
    """Run, print the label and seconds, return (seconds, what the action returned)."""
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:8.1f} s")
    return seconds, result
