"""Importing a file of businesses: check every row, then upsert in one transaction.

The whole file is one transaction (chosen over resumable batches): a crash, a kill or
an error mid-way leaves the database exactly as before the file, with nothing to clean
up or resume, and a dry run is the same code rolled back at the end, so its counts are
the real ones. PostgreSQL holds a million-row transaction without trouble; on SQLite
the file's writes wait for the import to end, which at a city's size is seconds.

Two passes. First every row is read and checked in Python (`intake.rows`: the error
codes and messages are there; a large file's rows by worker processes,
`intake.checking`), and the rows that pass go into a staging table (`intake.staging`).
Then the rest is set-based SQL over that table, the same statements on PostgreSQL and
SQLite: matching, and the owners, businesses, reported figures and audit entries of new
rows, each one INSERT ... SELECT. Only rows newer than the business they match are
handled one by one (read again from the file): an update compares every field and
audits old and new values, and a source sends few of them.

What counts as the same record: a row is the business that carries its source key
(`id_data_badan_usaha`, the source system's own key); a row without one (the template,
a volunteer's list) is the business with its NIB and business name, else with its
owner's NIK (blind index) and business name, names compared by `places.name_key`. A
matched row whose source `updated_at` is newer than what the registry holds updates the
business (audited as an import update); an older or identical one changes nothing.
Every other row is a new business, however much it resembles one: the NIB is issued by
OSS to the pelaku usaha and can cover several outlets or activities, and two source keys
are two records until a curator merges them (audited, and undoable). Nothing is refused
for resembling a record; within one file, a second row of one record (the same source
key; without one, the same NIB or NIK with the same name) is `duplicate_in_file`.
New businesses enter the curation queue as submitted. Sizes and readiness are
recomputed for every business the file touched.

Look-alikes are linked after the import's transaction has committed, in the same call
(`link_lookalikes`): the batch linkage over the new businesses and their neighbours,
plus every pair sharing a NIB, queued for review (`dedup`) with what found them. The
import's transaction stays as short as before, and a failed linkage loses no row: the
report says so (`possible_duplicates` is None) and the registry-wide search finds them.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.core import audit, bulk, pii
from naikkelas.core.access import require
from naikkelas.core.spreadsheets import write_xlsx
from naikkelas.dedup.linkage import find_pairs_for
from naikkelas.dedup.services import propose_pairs
from naikkelas.graduation.engine import recompute
from naikkelas.intake import staging
from naikkelas.intake.checking import BATCH, Checked, Checker, batches, processes_for
from naikkelas.intake.files import Table, open_table
from naikkelas.intake.places import Places, name_key
from naikkelas.intake.rows import Row, RowReader
from naikkelas.intake.staging import BUSINESS_SOURCE_FIELDS, OWNER_SOURCE_FIELDS
from naikkelas.regions.models import Level, Region
from naikkelas.registry import bulk as registry_bulk
from naikkelas.registry.identifiers import clean_phone
from naikkelas.registry.models import Basis, Business, FinancialRecord, Owner, Status

# PostgreSQL plans from table statistics, which know nothing of the rows this
# transaction added: after this many new businesses the registry's tables are
# analysed again, so that the recompute does not plan for the tables they were.
ANALYZE_FROM = 10_000
Errors = list[tuple[str, str, str]]
logger = logging.getLogger(__name__)


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    format: str = ""
    # Pairs queued for review in which a business the file created takes part; None
    # when linking them failed (the import stands). A dry run links nothing: 0.
    possible_duplicates: int | None = 0
    # The businesses the file created or updated, and those it created (not in the
    # CLI's JSON).
    touched: list[int] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    # What the review queue knows this import's pairs by (`DuplicatePair.found_by`).
    found_by: str = ""

    def as_json(self) -> dict[str, Any]:
        """The command line's fixed JSON contract."""
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": self.errors,
            "possible_duplicates": self.possible_duplicates,
        }


def import_file(
    actor: User | None,
    path: Path,
    fmt: str | None = None,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    error_report: Path | None = None,
    found_by: str = "",
    link: bool = True,
) -> Report:
    """Import a SIDT CSV or template workbook. Raises FileRefused, before writing
    anything, when the file cannot be read; rejected rows are in the report.

    Then, unless `link` is False (a caller timing the two apart, who calls
    `link_lookalikes` itself), the new businesses' look-alikes are queued for review
    under `found_by` (default: a label of this import's own)."""
    # No actor: the command line, run by whoever administers the server.
    require(actor is None or actor.can_curate, _("Only curators and administrators import files."))
    table = open_table(path, fmt)
    districts = set(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
    reader = RowReader(Places(), districts)
    report = Report(format=table.format, found_by=found_by or f"import:{uuid.uuid4()}")
    upsert = _Upsert(actor, note=path.name)
    rejected: dict[int, Errors] = {}
    writer = staging.Writer()
    checker = Checker(table, reader, writer)
    with transaction.atomic():
        staging.create()
        with writer.open():
            for batch in checker.checked(processes_for(path.stat().st_size)):
                staged = []
                for checked in batch:
                    errors = checked.errors or upsert.claim(checked)
                    if errors:
                        rejected[checked.number] = errors
                    else:
                        staged.append(checked.staged)
                writer.write(staged)
                report.rows += len(batch)
                if progress is not None:
                    progress(report.rows)
        upsert.match()
        newer = upsert.newer()
        created = upsert.create()
        if newer:
            rows = _read_again(path, table, reader, newer)
            for pairs in batches(((row, newer[row.number]) for row in rows), BATCH):
                upsert.update(pairs)
        staging.drop()
        report.created, report.updated = len(created), len(upsert.updated)
        report.touched = [*created, *upsert.updated]
        report.created_ids = created
        report.rejected = len(rejected)
        report.unchanged = report.rows - report.rejected - report.created - report.updated
        if connection.vendor == "postgresql" and report.created >= ANALYZE_FROM:
            tables = (Business, Owner, FinancialRecord)
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {names}")
        recompute(report.touched)
        if dry_run:
            transaction.set_rollback(True)
    report.errors = [
        {"row": number, "column": table.column_name(column), "code": code, "message": message}
        for number in sorted(rejected)
        for column, code, message in rejected[number]
    ]
    if error_report is not None:
        _write_error_report(error_report, path, table, rejected)
    if link and not dry_run:
        link_lookalikes(report)
    return report


def link_lookalikes(report: Report) -> int | None:
    """Queue the pairs in which the import's new businesses take part (`dedup.linkage.
    find_pairs_for`), under the import's label; sets and returns the report's count.

    Run once the import has committed: whatever fails here, the rows are in the
    registry, so the failure is logged and reported (None), not raised, and the
    registry-wide search (`naikkelas dedup`) still finds the pairs."""
    if not report.created_ids:
        report.possible_duplicates = 0
        return 0
    try:
        pairs = find_pairs_for(report.created_ids)
        report.possible_duplicates = propose_pairs(pairs, found_by=report.found_by)
    except Exception:
        logger.exception("Linking the look-alikes of %s failed", report.found_by)
        report.possible_duplicates = None
    return report.possible_duplicates


def _read_again(path: Path, table: Table, reader: RowReader, numbers: Iterable[int]) -> list[Row]:
    """Rows of the file read and checked again, by number (they passed the first time)."""
    wanted = set(numbers)
    again = open_table(path, table.format)
    rows = []
    for number, cells in again.rows:
        if number in wanted:
            rows.append(reader.read(number, again.record(cells)))
    return rows


def _write_error_report(
    target: Path, path: Path, table: Table, rejected: dict[int, Errors]
) -> None:
    """The rejected rows as the file holds them, each with its errors, but NIK and phone
    numbers masked: the report is a file kept on the server and downloaded."""
    again = open_table(path, table.format)
    # By what each column holds (its SIDT name, which a template column is read into
    # too), whatever the file calls it.
    masks = [MASKS.get(key or "") for key in table.keys]

    def masked(cells: list[str]) -> list[str]:
        # Cut or padded to the header, so that the errors stay in their own column and
        # a cell past the header, which nothing says the meaning of, is not copied.
        cells = (cells + [""] * len(masks))[: len(masks)]
        return [mask(value) if mask else value for mask, value in zip(masks, cells, strict=True)]

    rows = [
        [number, *masked(again.cells(cells)),
         "; ".join(f"{table.column_name(c)}: {m}" for c, _c, m in rejected[number])]
        for number, cells in again.rows
        if number in rejected
    ]  # fmt: skip
    with target.open("wb") as out:
        write_xlsx(out, "galat", [_("row"), *table.header, _("errors")], rows)


def _mask_phone(value: str) -> str:
    try:
        return pii.mask_phone(clean_phone(value))
    except ValidationError:
        # Not a number it can read as a phone's: all but its last four characters hidden.
        return pii.mask_nik(value.strip())


MASKS: dict[str, Callable[[str], str]] = {
    "nik_pengusaha": lambda value: pii.mask_nik(value.strip()),
    "kontak_hp": _mask_phone,
}


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(old) == Decimal(new)
    return bool(old == new)


def _apply(target: Any, values: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Set the values that differ; blank input keeps what is stored. Returns the changes."""
    changes: dict[str, Any] = {}
    for name in names:
        new = values.get(name)
        if new in (None, ""):
            continue
        old = getattr(target, name)
        if not _same(old, new):
            changes[name] = (old, new)
            setattr(target, name, new)
    return changes


class _Upsert:
    """The writing half of an import, over the staging table."""

    def __init__(self, actor: User | None, note: str) -> None:
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.note = note
        self.updated: list[int] = []
        self.seen_keys: set[str] = set()
        # Of the rows without a source key only (a SIDT file has none): their NIB or
        # owner's NIK blind index, each with the business name's key.
        self.seen_nibs: set[tuple[str, str]] = set()
        self.seen_people: set[tuple[str, str]] = set()

    def claim(self, row: Checked) -> Errors:
        """A record may appear once per file: a later row with the source key of an
        earlier one, or, without a source key, with the NIB or the owner's NIK of an
        earlier such row and the same business name, is rejected (the earlier row is
        kept). Returns the row's error, if it is one."""
        if row.source_id:
            if row.source_id in self.seen_keys:
                return _in_file_already("id_data_badan_usaha")
            self.seen_keys.add(row.source_id)
            return []
        by_nib = (row.nib, row.name) if row.nib else None
        if by_nib is not None and by_nib in self.seen_nibs:
            return _in_file_already("nib")
        if row.person is not None and row.person in self.seen_people:
            return _in_file_already("nik_pengusaha")
        if by_nib is not None:
            self.seen_nibs.add(by_nib)
        if row.person is not None:
            self.seen_people.add(row.person)
        return []

    def match(self) -> None:
        """Plan which business each staged row is the same record as (the module's
        docstring says when); a row that matches none is a new business."""
        staged, plan, businesses = staging.TABLE, staging.PLAN, _table(Business)
        # By source key. Blank keys are left out of the joined side: a hash join would
        # otherwise put every business without one in one bucket and probe it for
        # every row without one.
        staging.create_plan(
            f"SELECT s.number, s.owner_key, by_key.id FROM {staged} s "
            f"LEFT JOIN (SELECT id, source_id FROM {businesses} WHERE source_id <> '') by_key "
            "ON by_key.source_id = s.source_id"
        )
        # A row without a source key: by NIB and business name, else by the owner's NIK
        # and business name. Names are compared by their key, which is Python's
        # (intake.places), over the few candidates that share the identifier; of
        # several, the oldest record. A merged record's data lives in its survivor.
        candidates = (
            f"JOIN {businesses} b ON b.nib = s.nib WHERE s.nib <> '' AND b.nib <> ''",
            f"JOIN {_table(Owner)} o ON o.nik_index = s.owner_nik_index "
            f"JOIN {businesses} b ON b.owner_id = o.id WHERE s.owner_nik_index <> ''",
        )
        with connection.cursor() as cursor:
            for joined in candidates:
                cursor.execute(
                    f"SELECT s.number, s.name_key, b.id, b.name FROM {plan} p "
                    f"JOIN {staged} s ON s.number = p.number {joined} "
                    "AND s.source_id = '' AND p.match_id IS NULL AND b.status <> %s",
                    [Status.MERGED],
                )
                found: dict[int, int] = {}
                for number, key, pk, name in cursor.fetchall():
                    if name_key(name) == key and pk < found.get(number, pk + 1):
                        found[number] = pk
                if found:
                    cursor.executemany(
                        f"UPDATE {plan} SET match_id = %s WHERE number = %s",
                        [(pk, number) for number, pk in found.items()],
                    )

    def newer(self) -> dict[int, int]:
        """The matched rows newer than the business they match, which they update: the
        rows' numbers and the businesses' ids. Other matched rows change nothing."""
        staged, plan = staging.TABLE, staging.PLAN
        with connection.cursor() as cursor:
            # Newer than what the registry holds: its source date, or for a business
            # registered here, its last edit.
            cursor.execute(
                f"SELECT p.number, p.match_id FROM {plan} p "
                f"JOIN {staged} s ON s.number = p.number "
                f"JOIN {_table(Business)} b ON b.id = p.match_id "
                "WHERE s.updated_at > COALESCE(b.source_updated_at, b.updated_at)"
            )
            return dict(cursor.fetchall())

    def create(self) -> list[int]:
        """Owners, businesses, reported figures (the registry's bulk entry points) and
        audit entries of the rows that match nothing, each one INSERT ... SELECT;
        returns the new businesses' ids in row order."""
        staged, plan, new = staging.TABLE, staging.PLAN, staging.NEW
        business_id, business_params = bulk.new_ids(
            Business, "row_number() OVER (ORDER BY number) - 1"
        )
        owner_id, owner_params = bulk.new_ids(
            Owner, "SUM(CASE WHEN creates_owner THEN 1 ELSE 0 END) OVER (ORDER BY number) - 1"
        )
        # An owner the registry holds already (by NIK) owns the new business too;
        # otherwise the person's first row creates the owner and later rows share it.
        staging.create_new(
            "SELECT number, business_id, MAX(owner_id) OVER (PARTITION BY owner_key), "
            f"creates_owner FROM (SELECT number, owner_key, {business_id} AS business_id, "
            f"CASE WHEN creates_owner THEN {owner_id} ELSE held END AS owner_id, creates_owner "
            "FROM (SELECT p.number, p.owner_key, held.id AS held, "
            "held.id IS NULL AND p.number = MIN(p.number) OVER (PARTITION BY p.owner_key) "
            f"AS creates_owner FROM {plan} p LEFT JOIN (SELECT nik_index, MIN(id) AS id "
            f"FROM {_table(Owner)} WHERE nik_index IN (SELECT owner_key FROM {plan} "
            "WHERE match_id IS NULL) GROUP BY nik_index) held ON held.nik_index = p.owner_key "
            "WHERE p.match_id IS NULL) owners ORDER BY number) numbered",
            [*business_params, *owner_params],
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT business_id FROM {new} ORDER BY number")
            ids = [pk for (pk,) in cursor.fetchall()]
        if not ids:
            return ids
        joined = f"{staged} s JOIN {new} n ON n.number = s.number"
        pii_columns = ("nik_index", "nik_encrypted", "phone_index", "phone_encrypted")
        # In NIK blind index order: its index then grows page by page rather than at
        # random places (owners of 1,000,000 rows: ~20 s -> ~15 s). The ids are already
        # given, so the order changes nothing else.
        registry_bulk.add_owners(
            {"id": "n.owner_id",
             **{name: f"s.owner_{name}" for name in (*OWNER_SOURCE_FIELDS, *pii_columns)}},
            f"{joined} WHERE n.creates_owner ORDER BY s.owner_nik_index",
        )  # fmt: skip
        registry_bulk.add_submitted_businesses(
            {"id": "n.business_id", "owner_id": "n.owner_id", "source_id": "s.source_id",
             "source_updated_at": "s.updated_at",
             **{name: f"s.{name}" for name in BUSINESS_SOURCE_FIELDS}},
            joined,
            created_by=self.actor,
        )  # fmt: skip
        registry_bulk.add_reported_figures(
            {"business_id": "n.business_id", "year": "s.year", "annual_sales": "s.sales",
             "assets": "s.assets", "capital": "s.capital"},
            f"{joined} WHERE s.year IS NOT NULL "
            "AND (s.sales IS NOT NULL OR s.assets IS NOT NULL OR s.capital IS NOT NULL)",
            recorded_by=self.actor, evidence=self.note,
        )  # fmt: skip
        audit.record_selected(
            self.actor, "business.imported", Business,
            f"SELECT business_id AS subject FROM {new}", note=self.note,
        )  # fmt: skip
        return ids

    def update(self, pairs: list[tuple[Row, int]]) -> None:
        """Rows newer than the business they match: set what differs, audit it."""
        instances = Business.objects.select_related("owner").in_bulk({pk for _r, pk in pairs})
        figures = self._reported_figures(instances.values(), [row for row, _pk in pairs])
        changed: list[tuple[Business, dict[str, Any]]] = []
        owners_changed: dict[int, Owner] = {}
        new_figures: list[FinancialRecord] = []
        for row, pk in pairs:
            business = instances[pk]
            changes = _apply(business, row.business, BUSINESS_SOURCE_FIELDS)
            owner_changes = self._owner_changes(business.owner, row)
            figure = self._figure(business, row, figures)
            if not changes and not owner_changes and figure is None:
                continue
            if figure is not None:
                new_figures.append(figure)
                changes["omzet_tahunan"] = (None, figure.annual_sales)
            if owner_changes:
                owners_changed[business.owner.pk] = business.owner
            business.source_updated_at = row.updated_at
            changed.append((business, {**changes, **owner_changes}))
        self._update(changed, owners_changed)
        if new_figures:
            registry_bulk.save_reported_figures(new_figures, batch_size=BATCH)

    def _reported_figures(
        self, businesses: Iterable[Business], rows: list[Row]
    ) -> dict[tuple[int, int], FinancialRecord]:
        ids = [b.pk for b in businesses]
        years = {r.year for r in rows if r.year is not None}
        if not ids or not years:
            return {}
        records = FinancialRecord.objects.filter(
            business_id__in=ids, basis=Basis.REPORTED, year__in=years
        )
        return {(r.business_id, r.year): r for r in records}

    def _figure(
        self, business: Business, row: Row, held: dict[tuple[int, int], FinancialRecord]
    ) -> FinancialRecord | None:
        """The reported figures of the row's year, when they are new or differ."""
        if row.year is None or (row.sales is None and row.assets is None and row.capital is None):
            return None
        current = held.get((business.pk, row.year))
        figures = {"annual_sales": row.sales, "assets": row.assets, "capital": row.capital}
        if current is not None and all(
            value is None or getattr(current, name) == value for name, value in figures.items()
        ):
            return None
        merged = {
            name: value if value is not None else getattr(current, name, None)
            for name, value in figures.items()
        }
        return FinancialRecord(
            business=business, year=row.year, basis=Basis.REPORTED, recorded_by=self.actor,
            evidence=self.note, **merged,
        )  # fmt: skip

    def _owner_changes(self, owner: Owner, row: Row) -> dict[str, Any]:
        changes = {
            f"owner_{k}": v for k, v in _apply(owner, row.owner, OWNER_SOURCE_FIELDS).items()
        }
        # Personal data is compared by blind index and logged masked.
        if row.nik and row.nik_index != owner.nik_index:
            changes["nik"] = (None, pii.mask_nik(row.nik))
            owner.set_nik(row.nik)
        if row.phone and pii.blind_index(row.phone) != owner.phone_index:
            changes["phone"] = (None, pii.mask_phone(row.phone))
            owner.set_phone(row.phone)
        return changes

    def _update(
        self, changed: list[tuple[Business, dict[str, Any]]], owners: dict[int, Owner]
    ) -> None:
        if not changed:
            return
        # The changes also name owner fields and figures, which are saved apart.
        fields = sorted(
            {name for _b, changes in changed for name in changes if name in BUSINESS_SOURCE_FIELDS}
        )
        registry_bulk.update_businesses(
            [b for b, _c in changed], [*fields, "source_updated_at"], batch_size=BATCH
        )
        if owners:
            registry_bulk.update_owners(
                list(owners.values()),
                [
                    *OWNER_SOURCE_FIELDS,
                    "nik_encrypted",
                    "nik_index",
                    "phone_encrypted",
                    "phone_index",
                ],
                batch_size=BATCH,
            )
        audit.record_each(
            self.actor, "business.updated_by_import",
            [(b, changes) for b, changes in changed], note=self.note,
        )  # fmt: skip
        self.updated += [b.pk for b, _c in changed]


def _in_file_already(column: str) -> Errors:
    return [
        (column, "duplicate_in_file",
         _("This business already appears in an earlier row of the file."))
    ]  # fmt: skip


def _table(model: type[Any]) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))
