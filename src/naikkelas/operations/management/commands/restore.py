import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from naikkelas.operations.backup import BackupError, fingerprint, restore


class Command(BaseCommand):
    help = (
        "Replace the database's contents with the backup at PATH (made by `naikkelas "
        "backup` on the same kind of database). Stop the web server and the job worker "
        "first; the personal-data keys of the backed-up system must be set."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask before replacing the data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if options["interactive"]:
            answer = input(
                f"Replace everything in the {connection.vendor} database "
                f"{connection.settings_dict['NAME']} with {path}? [y/N] "
            )
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing restored.")
        started = time.monotonic()
        try:
            restore(path)
        except BackupError as e:
            raise CommandError(str(e)) from e
        tables = fingerprint()
        self.stdout.write(
            f"Restored {path} in {time.monotonic() - started:.1f} s: {len(tables)} tables, "
            f"{sum(t.rows for t in tables.values()):,} rows."
        )
