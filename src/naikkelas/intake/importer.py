"""Importing a file of businesses: check every row, then upsert in one transaction.

The whole file is one transaction (chosen over resumable batches): a crash, a kill or
an error mid-way leaves the database exactly as before the file, with nothing to clean
up or resume, and a dry run is the same code rolled back at the end, so its counts are
the real ones. PostgreSQL holds a million-row transaction without trouble; on SQLite
the file's writes wait for the import to end, which at a city's size is seconds.

A row is matched to a business by its source key, else its NIB, else its owner's NIK
(blind index) with the business name. A matched row whose source `updated_at` is newer
than what the registry holds updates the business (audited as an import update); an
older or identical one changes nothing. New businesses enter the curation queue as
submitted. Sizes and readiness are recomputed for every business the file touched.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core import audit, bulk, pii
from naikkelas.core.errors import Forbidden
from naikkelas.core.spreadsheets import write_xlsx
from naikkelas.graduation.engine import recompute
from naikkelas.intake.files import open_table
from naikkelas.intake.places import Places, name_key
from naikkelas.intake.rows import Row, RowReader
from naikkelas.regions.models import Level, Region
from naikkelas.registry.models import Basis, Business, FinancialRecord, Owner, Status

BATCH = 2000
T = TypeVar("T")


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    format: str = ""
    # The businesses the file created or updated (not in the CLI's JSON).
    touched: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The CLI contract of DESIGN section 5."""
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": self.errors,
        }


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def import_file(
    actor: Any,
    path: Path,
    fmt: str | None = None,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    error_report: Path | None = None,
) -> Report:
    """Import a SIDT CSV or template workbook. Raises FileRefused, before writing
    anything, when the file cannot be read; rejected rows are in the report."""
    if actor is not None and not actor.can_curate:
        raise Forbidden(_("Only curators and administrators import files."))
    table = open_table(path, fmt)
    districts = set(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
    reader = RowReader(Places(), districts)
    report = Report(format=table.format)
    upsert = _Upsert(actor, note=path.name)
    rejected_rows: list[list[Any]] = []
    with transaction.atomic():
        statistics = _Statistics()
        for batch in _batches(table.rows, BATCH):
            statistics.refresh(len(upsert.created))
            rows = [reader.read(number, table.record(cells)) for number, cells in batch]
            upsert.claim_keys(rows)
            upsert.write([row for row in rows if not row.errors])
            for (number, cells), row in zip(batch, rows, strict=True):
                report.rows += 1
                if row.errors:
                    report.rejected += 1
                    report.errors += [
                        {"row": number, "column": table.column_name(column), "code": code,
                         "message": message}
                        for column, code, message in row.errors
                    ]  # fmt: skip
                    rejected_rows.append(
                        [
                            number,
                            *cells,
                            "; ".join(f"{table.column_name(c)}: {m}" for c, _c, m in row.errors),
                        ]
                    )
            if progress is not None:
                progress(report.rows)
        report.created, report.updated = len(upsert.created), len(upsert.updated)
        report.touched = [*upsert.created, *upsert.updated]
        report.unchanged = report.rows - report.rejected - report.created - report.updated
        recompute([*upsert.created, *upsert.updated])
        if dry_run:
            transaction.set_rollback(True)
    if error_report is not None:
        with error_report.open("wb") as target:
            write_xlsx(target, "galat", [_("row"), *table.header, _("errors")], rejected_rows)
    return report


class _Statistics:
    """PostgreSQL plans the per-batch look-ups from table statistics, which know nothing
    of the rows this transaction has added so far: a registry that was empty when the
    file started still looks empty at row 500,000, and the look-ups turn into scans of
    the whole table, each batch slower than the last. ANALYZE counts the transaction's
    own rows, so it runs whenever the rows added have grown fourfold."""

    TABLES = (Business, Owner, FinancialRecord)

    def __init__(self) -> None:
        self.next_at = BATCH

    def refresh(self, created: int) -> None:
        if connection.vendor != "postgresql" or created < self.next_at:
            return
        self.next_at = created * 4
        names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in self.TABLES)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {names}")


BUSINESS_SOURCE_FIELDS = (
    "name", "nib", "kbli", "sector", "main_activity", "main_product", "legal_form",
    "reported_size_class", "founding_capital", "start_month", "start_year", "kelurahan_id",
    "rt", "rw", "street", "latitude", "longitude", "photo_url", "paid_male", "paid_female",
    "paid_disabled_male", "paid_disabled_female", "unpaid_male", "unpaid_female",
    "unpaid_disabled_male", "unpaid_disabled_female", "source_pulled_at", "source_page",
)  # fmt: skip
OWNER_SOURCE_FIELDS = ("name", "gender", "has_disability", "birth_date", "education",
                       "kelurahan_id", "street", "rt", "rw")  # fmt: skip


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
    def __init__(self, actor: Any, note: str) -> None:
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.note = note
        self.created: list[int] = []
        self.updated: list[int] = []
        self.seen_keys: set[str] = set()
        self.seen_nibs: set[str] = set()
        self.seen_people: set[tuple[str, str]] = set()
        # Owner ids by NIK blind index, for owners met in this file (negative while
        # a new one waits for its id).
        self.owner_ids: dict[str, int] = {}

    def claim_keys(self, rows: list[Row]) -> None:
        """A business may appear once per file: a later row with the same source key, NIB
        or owner and name is rejected."""
        for row in rows:
            if row.errors:
                continue
            row.nik_index = pii.blind_index(row.nik)
            person = (row.nik_index, name_key(row.business["name"])) if row.nik else None
            nib = row.business["nib"]
            if (
                (row.source_id and row.source_id in self.seen_keys)
                or (nib and nib in self.seen_nibs)
                or (person and not row.source_id and not nib and person in self.seen_people)
            ):
                row.errors.append(
                    ("id_data_badan_usaha" if row.source_id else "nib", "duplicate_in_file",
                     _("This business already appears in an earlier row of the file."))
                )  # fmt: skip
                continue
            self.seen_keys.add(row.source_id)
            self.seen_nibs.add(nib)
            if person:
                self.seen_people.add(person)

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        matches = self._matches(rows)
        figures = self._reported_figures(matches.values(), rows)
        now = timezone.now()
        new: list[Row] = []
        changed: list[tuple[Business, dict[str, Any]]] = []
        owners_changed: dict[int, Owner] = {}
        new_figures: list[FinancialRecord] = []
        for row in rows:
            business = matches.get(id(row))
            if business is None:
                if not row.matched:
                    new.append(row)
                continue
            changes = _apply(business, row.business, BUSINESS_SOURCE_FIELDS)
            if row.source_id and not business.source_id:
                changes["source_id"] = ("", row.source_id)
                business.source_id = row.source_id
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
            business.version = F("version") + 1
            changed.append((business, {**changes, **owner_changes}))
        self._create(new, now)
        self._update(changed, owners_changed)
        if new_figures:
            FinancialRecord.objects.bulk_create(
                new_figures,
                update_conflicts=True,
                unique_fields=["business", "year", "basis"],
                update_fields=["annual_sales", "assets", "capital"],
                batch_size=BATCH,
            )

    def _matches(self, rows: list[Row]) -> dict[int, Business]:
        """The business each row is about, for the rows that are newer than it. Looks
        up light tuples first: most rows of a repeated file match and are not newer,
        and need no model instance."""
        keys = {r.source_id for r in rows if r.source_id}
        nibs = {r.business["nib"] for r in rows if r.business["nib"]}
        people = {r.nik_index for r in rows if r.nik}
        held = Business.objects.values_list(
            "pk", "source_id", "nib", "owner__nik_index", "name", "source_updated_at", "updated_at"
        )
        found = [*held.filter(source_id__in=keys)] if keys else []
        found += held.filter(nib__in=nibs) if nibs else []
        found += held.filter(owner__nik_index__in=people) if people else []
        by_key = {h[1]: h for h in found if h[1]}
        by_nib = {h[2]: h for h in found if h[2]}
        by_person = {(h[3], name_key(h[4])): h for h in found if h[3]}
        newer: dict[int, int] = {}
        for row in rows:
            nib = row.business["nib"]
            match = by_key.get(row.source_id) if row.source_id else None
            if match is None and nib:
                match = by_nib.get(nib)
                if match is not None and match[1] and row.source_id:
                    # The NIB belongs to a different source record.
                    match = None
            if match is None and row.nik:
                match = by_person.get((row.nik_index, name_key(row.business["name"])))
            holder = by_nib.get(nib) if nib else None
            if holder is not None and (match is None or holder[0] != match[0]):
                row.errors.append(
                    ("nib", "nib_taken", _("This NIB is already registered to another business."))
                )
                continue
            if match is None:
                continue
            row.matched = True
            # A row newer than what the registry holds (its source date, or for a
            # business registered here its last edit) updates; others change nothing.
            if row.updated_at is not None and row.updated_at > (match[5] or match[6]):
                newer[id(row)] = match[0]
        rows[:] = [r for r in rows if not r.errors]
        instances = Business.objects.select_related("owner").in_bulk(set(newer.values()))
        return {row_id: instances[pk] for row_id, pk in newer.items()}

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

    def _create(self, new: list[Row], now: datetime.datetime) -> None:
        """Owners, businesses, their reported figures and audit entries of new rows, as
        plain column values in bulk (no model instance per row: at a million rows that
        alone costs minutes)."""
        if not new:
            return
        indexes = {row.nik_index for row in new if row.nik}
        if indexes:
            held = Owner.objects.filter(nik_index__in=indexes).values_list("nik_index", "pk")
            self.owner_ids.update(held)
        owners: list[dict[str, Any]] = []
        # Per row: an existing owner's id, or -(n + 1) for the n-th new owner below.
        owner_of: list[int] = []
        for row in new:
            known = self.owner_ids.get(row.nik_index) if row.nik else None
            if known is not None:
                owner_of.append(known)
                continue
            columns = {k: v for k, v in row.owner.items() if v is not None}
            columns.update(
                nik_encrypted=pii.encrypt(row.nik), nik_index=row.nik_index,
                phone_encrypted=pii.encrypt(row.phone), phone_index=pii.blind_index(row.phone),
            )  # fmt: skip
            if row.nik:
                # Later rows of the same person in this file share this owner.
                self.owner_ids[row.nik_index] = -len(owners) - 1
            owner_of.append(-len(owners) - 1)
            owners.append(columns)
        owner_ids = bulk.insert(Owner, owners)
        for index, pk in self.owner_ids.items():
            if pk < 0:
                self.owner_ids[index] = owner_ids[-pk - 1]
        businesses = []
        for row, owner in zip(new, owner_of, strict=True):
            values = {name: row.business[name] for name in BUSINESS_SOURCE_FIELDS}
            businesses.append({
                **{name: value for name, value in values.items() if value is not None},
                "owner_id": owner_ids[-owner - 1] if owner < 0 else owner,
                "source_id": row.source_id, "status": Status.SUBMITTED, "submitted_at": now,
                "created_by_id": self.actor.pk if self.actor else None,
                "source_updated_at": row.updated_at,
            })  # fmt: skip
        ids = bulk.insert(Business, businesses)
        self.created += ids
        bulk.insert(FinancialRecord, [
            {"business_id": pk, "year": row.year, "basis": Basis.REPORTED,
             "annual_sales": row.sales, "assets": row.assets, "capital": row.capital,
             "recorded_by_id": self.actor.pk if self.actor else None, "evidence": self.note}
            for pk, row in zip(ids, new, strict=True)
            if row.year is not None and (row.sales, row.assets, row.capital) != (None, None, None)
        ])  # fmt: skip
        audit.record_many(self.actor, "business.imported", Business, ids, note=self.note)

    def _update(
        self, changed: list[tuple[Business, dict[str, Any]]], owners: dict[int, Owner]
    ) -> None:
        if not changed:
            return
        # The changes also name owner fields and figures, which are saved apart.
        columns = {*BUSINESS_SOURCE_FIELDS, "source_id"}
        fields = sorted({name for _b, changes in changed for name in changes if name in columns})
        Business.objects.bulk_update(
            [b for b, _c in changed],
            [*fields, "source_updated_at", "version"],
            batch_size=BATCH,
        )
        if owners:
            Owner.objects.bulk_update(
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
