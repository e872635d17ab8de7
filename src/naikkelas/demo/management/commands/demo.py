import time
from argparse import ArgumentParser
from functools import partial
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from naikkelas.core.errors import DomainError
from naikkelas.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from naikkelas.demo.city import build_demo_city
from naikkelas.demo.engagement import build_engagement_demo
from naikkelas.demo.owners import ensure_owner_accounts
from naikkelas.demo.programmes import COHORT, build_demo_programmes, clear_demo_programmes
from naikkelas.demo.seeds import DEFAULT_BUSINESSES, DEFAULT_SEED
from naikkelas.demo.targets import create_demo_targets
from naikkelas.graduation.engine import recompute
from naikkelas.graduation.models import Graduation, GraduationStatus, Standing
from naikkelas.intake.synthetic import write_sidt_csv, write_template_xlsx
from naikkelas.registry.models import Business


class Command(BaseCommand):
    help = (
        "Replace the registry with a reproducible synthetic city in the home region "
        "and create or reset the demo accounts."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--businesses", type=int, default=DEFAULT_BUSINESSES)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--sidt-csv",
            type=Path,
            help="Instead of building the city, write N synthetic businesses as a SIDT CSV.",
        )
        parser.add_argument(
            "--duplicates",
            type=float,
            default=0.0,
            help="With --sidt-csv: the share of businesses planted a second time, with "
            "the true pairs written to PATH.truth.json.",
        )
        parser.add_argument(
            "--template-xlsx",
            type=Path,
            help="Instead of building the city, write N businesses in the import template.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Leave an existing registry alone (only reset the demo accounts).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        businesses: int = options["businesses"]
        if businesses < 0:
            raise CommandError("--businesses must be 0 or more.")
        if options["sidt_csv"] or options["template_xlsx"]:
            self._write_files(businesses, options)
            return
        if options["if_empty"] and Business.objects.exists():
            self.stdout.write(
                f"The registry already holds {Business.objects.count():,} businesses; "
                "not rebuilding (run without --if-empty to replace them)."
            )
            accounts = ensure_demo_accounts() + ensure_owner_accounts()
        else:
            try:
                # One transaction: programme and engagement records point at the
                # businesses replaced.
                with transaction.atomic():
                    clear_demo_programmes()
                    summary = build_demo_city(businesses, options["seed"])
                    standings = recompute()
                    programmes = build_demo_programmes(options["seed"])
                    voices = build_engagement_demo(options["seed"])
                    create_demo_targets(businesses)
            except DomainError as e:
                raise CommandError(str(e)) from e
            accounts = summary.accounts
            self.stdout.write(
                f"Demo city built in {summary.seconds:.1f} s (seed {summary.seed}): "
                f"{summary.businesses:,} businesses, {summary.owners:,} owners."
            )
            statuses = ", ".join(f"{n:,} {status}" for status, n in summary.by_status.items())
            self.stdout.write(f"  status: {statuses}")
            self.stdout.write(
                f"  {summary.financial_records:,} financial records, "
                f"{summary.legality_documents:,} legality documents, "
                f"{summary.products:,} products, {summary.channels:,} sales channels, "
                f"{summary.audit_entries:,} audit entries"
            )
            self.stdout.write(f"  size class and readiness computed for {standings:,} businesses")
            # The seeds' figures, as the engine and the records now show them.
            ready = Standing.objects.filter(ready=True).count()
            decided = Graduation.objects.filter(status=GraduationStatus.CONFIRMED).count()
            waiting = Graduation.objects.filter(status=GraduationStatus.PROPOSED).count()
            exporters = Business.objects.filter(exports=True).count()
            self.stdout.write(
                f"  {ready:,} ready to move up, {decided:,} graduations confirmed "
                f"({waiting:,} awaiting a decision), {exporters:,} exporters"
            )
            self.stdout.write(
                f"  programmes: {programmes['programmes']}, cohort {COHORT!r} of "
                f"{programmes['cohort']}, {programmes['enrolments']:,} enrolments, "
                f"{programmes['milestones']:,} outcomes, {programmes['referrals']} credit referrals"
            )
            for name, kelurahan, members in summary.sentra:
                self.stdout.write(f"  sentra: {name} ({kelurahan}), {members} members")
            accounts = accounts + voices.accounts
            self.stdout.write(
                f"  {voices.listed:,} businesses in the catalogue; {voices.visits:,} field visits, "
                f"{voices.complaints:,} complaints ({voices.overdue:,} overdue)"
            )

        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        width = max(len(username) for username, _, _ in accounts)
        for username, role, description in accounts:
            self.stdout.write(f"  {username:<{width}}  {role:<9}  {description}")

    def _write_files(self, businesses: int, options: dict[str, Any]) -> None:
        for path, write in (
            (options["sidt_csv"], partial(write_sidt_csv, duplicates=options["duplicates"])),
            (options["template_xlsx"], write_template_xlsx),
        ):
            if path is not None:
                start = time.perf_counter()
                write(path, businesses, options["seed"])
                seconds = time.perf_counter() - start
                self.stdout.write(f"wrote {businesses:,} businesses to {path} in {seconds:.1f} s")
