import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from naikkelas.operations.piiscan import FILE_SUFFIXES, scan


class Command(BaseCommand):
    help = (
        "Search every text column of every table, and the files and folders given (logs, "
        f"exports: {', '.join(sorted(FILE_SUFFIXES))}), for plaintext NIK and phone numbers. "
        "Findings are printed masked; the exit status is non-zero when there is one."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="files or folders to scan too")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--no-database", action="store_true", help="scan only the files given")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            report = scan(options["paths"], database=not options["no_database"])
        except FileNotFoundError as e:
            raise CommandError(f"No such file or folder: {e}") from e
        if options["json"]:
            self.stdout.write(report.as_json())
        else:
            for finding in report.findings:
                self.stdout.write(f"{finding.kind}\t{finding.value}\t{finding.where}")
            for path in report.unreadable:
                self.stdout.write(f"not a workbook, scanned as text\t{path}")
            self.stdout.write(
                f"Scanned {report.columns} columns ({report.values:,} values) and "
                f"{report.files} files in {time.monotonic() - started:.1f} s: "
                f"{len(report.findings)} plaintext NIK or phone numbers found."
            )
        if report.findings:
            raise CommandError(f"{len(report.findings)} plaintext NIK or phone numbers found.")
