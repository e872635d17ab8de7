"""`naikkelas import PATH [--format sidt|template] [--dry-run] [--json]` (a fixed contract)."""

import json
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.core.management.base import BaseCommand, CommandError, CommandParser

from naikkelas.intake.files import FORMATS, FileRefused
from naikkelas.intake.importer import import_file


class Command(BaseCommand):
    help = "Import businesses from a SIDT CSV or the import template (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="default: from the header row")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, then write nothing"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        start = time.perf_counter()
        verbose = options["verbosity"] >= 2
        bar = sys.stderr.isatty() and not options["json"]

        def progress(rows: int) -> None:
            rate = rows / max(time.perf_counter() - start, 1e-9)
            if bar:
                sys.stderr.write(f"\r{rows:>12,} rows  {rate:>10,.0f} rows/s")
                sys.stderr.flush()
            elif verbose:
                sys.stderr.write(f"{rows} rows read\n")
                sys.stderr.flush()

        try:
            report = import_file(
                None, path, options["format"], dry_run=options["dry_run"], progress=progress
            )
        except FileRefused as e:
            if options["json"]:
                self.stdout.write(
                    json.dumps({"error": {"code": e.code, "message": str(e.message)}})
                )
            raise CommandError(f"{path}: {e.message}", returncode=2) from None
        finally:
            if bar:
                sys.stderr.write("\n")
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return
        seconds = time.perf_counter() - start
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{report.rows:,} rows ({report.format}): {report.created:,} created, "
            f"{report.updated:,} updated, {report.unchanged:,} unchanged, "
            f"{report.rejected:,} rejected in {seconds:.1f} s"
        )
        for error in report.errors[:20]:
            self.stdout.write(
                f"  row {error['row']}, {error['column']}: {error['message']} ({error['code']})"
            )
        if len(report.errors) > 20:
            self.stdout.write(f"  … and {len(report.errors) - 20:,} more errors")
        if report.possible_duplicates is None:
            self.stdout.write(
                "linking possible duplicates failed (the rows are imported); run `naikkelas dedup`"
            )
        elif report.possible_duplicates:
            self.stdout.write(
                f"{report.possible_duplicates:,} possible duplicate pairs to review: "
                f"/duplikat/?found_by={quote(report.found_by)}"
            )
