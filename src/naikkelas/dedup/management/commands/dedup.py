"""`naikkelas dedup [--json]` (a fixed command-line contract): batch duplicate detection."""

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from naikkelas.dedup.linkage import THRESHOLD, as_json, find_pairs
from naikkelas.dedup.services import propose_pairs


class Command(BaseCommand):
    help = "Find likely duplicate businesses over the registry and queue them for review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--threshold", type=float, default=THRESHOLD, help="lowest match probability"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        pairs = find_pairs(threshold=options["threshold"])
        queued = propose_pairs(pairs)
        if options["json"]:
            self.stdout.write(json.dumps(as_json(pairs)))
            return
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"{len(pairs):,} likely duplicate pairs in {seconds:.1f} s; "
            f"{queued:,} in the review queue (/duplikat/)"
        )
