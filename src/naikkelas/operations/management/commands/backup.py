import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from naikkelas.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to PATH: pg_dump's custom format on PostgreSQL, a "
        "SQLite file on SQLite. Safe while the server runs. The personal-data keys are "
        "not in it: keep them apart (docs/operations.md)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        started = time.monotonic()
        try:
            backup(path)
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"Backed up the {connection.vendor} database to {path} "
            f"({path.stat().st_size / 1024**2:,.1f} MiB, {time.monotonic() - started:.1f} s)."
        )
