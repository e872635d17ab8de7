"""The registry's bulk entry points, for importers and loaders: many records at a time.

`registry.services` writes one record at a time, each call its own transaction, checked
and audited. These are the registry's other way in, for callers that have already
checked every row themselves (an import checks each row in Python before staging it)
and that write a whole file in one statement per table. The same guarantees hold for
each of them:

- They run in the caller's transaction and open none: an import commits or rolls back
  as a whole. Ids reserved with `core.bulk.new_ids` must be reserved in that same
  transaction.
- They check no permission and validate nothing: the caller decides who may load and
  has refused the rows it could not check.
- They write no audit entry: the caller records its own, in bulk, in its own words
  (the importer: `business.imported` for the new businesses, `business.updated_by_import`
  with each business's changes).
- They recompute nothing: the caller recomputes the businesses it touched, once.

The set-based ones take SQL: `columns` maps the model's columns (attnames, e.g.
`owner_id`) to SQL expressions over `source`, a FROM clause (with any WHERE and ORDER
BY); a column not given takes its default, as in `core.bulk.insert_select`.

Loaders that build whole registries (the demo city, 40,000 businesses in seconds) use
the object-based ones (`create_*`, `delete_*`, `clear_nib`): the caller keeps the
per-row invariants the service functions keep (personal data through Owner.set_nik /
set_phone, valid identifiers, `sector` from the KBLI code). Records that carry their
own history (when a business was registered, last changed, when a figure was recorded)
are inserted and then given those times by one UPDATE per batch: `auto_now` fields take
"now" at insert, whatever the object holds.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import F
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.core import bulk
from naikkelas.core.errors import DomainError
from naikkelas.regions.models import Region
from naikkelas.registry.models import (
    Basis,
    Business,
    FinancialRecord,
    LegalityDocument,
    LegalityKind,
    Owner,
    Product,
    SalesChannel,
    Sentra,
    Status,
)

BATCH = 2000
# The ids a list filter of a delete or update takes at once.
IDS = 500

M = TypeVar("M", bound=models.Model)


def delete_all_businesses() -> None:
    """Delete every business and owner, before a loader replaces the registry."""
    try:
        # The ORM's delete follows every CASCADE and SET_NULL, including those other
        # modules add later; a PROTECT from them stops the rebuild instead of orphaning.
        Business.objects.all().delete()
        Owner.objects.all().delete()
    except ProtectedError as e:
        raise DomainError(
            f"Existing businesses are still referenced ({e.args[0]}); "
            "remove those records before rebuilding the demo city.",
            code="protected",
        ) from e


def place_sentra(name: str, kelurahan: Region, description: str) -> Sentra:
    """The sentra of that name, created or moved to `kelurahan` with `description`."""
    sentra, _created = Sentra.objects.update_or_create(
        name=name, defaults={"kelurahan": kelurahan, "description": description}
    )
    return sentra


def create_owners(owners: Sequence[Owner]) -> None:
    Owner.objects.bulk_create(owners, batch_size=BATCH)


def create_businesses(businesses: Sequence[Business]) -> None:
    """Insert the businesses (their owners saved first) with the created_at and
    updated_at they hold."""
    _create_keeping_times(Business, businesses, ("created_at", "updated_at"))


def create_financial_records(records: Sequence[FinancialRecord]) -> None:
    """Insert the figures (their businesses saved first) with the recorded_at they hold."""
    _create_keeping_times(FinancialRecord, records, ("recorded_at",))


def create_legality_documents(documents: Sequence[LegalityDocument]) -> None:
    LegalityDocument.objects.bulk_create(documents, batch_size=BATCH)


def create_products(products: Sequence[Product]) -> None:
    Product.objects.bulk_create(products, batch_size=BATCH)


def create_sales_channels(channels: Sequence[SalesChannel]) -> None:
    SalesChannel.objects.bulk_create(channels, batch_size=BATCH)


def delete_sales_channels(business_ids: Sequence[int]) -> int:
    """Delete every sales channel of these businesses; return how many were deleted."""
    deleted = 0
    for start in range(0, len(business_ids), IDS):
        chunk = business_ids[start : start + IDS]
        deleted += SalesChannel.objects.filter(business_id__in=chunk).delete()[0]
    return deleted


def clear_nib(business_ids: Sequence[int]) -> int:
    """Take the NIB off these businesses, with its legality document; return how many
    documents were deleted."""
    deleted = 0
    for start in range(0, len(business_ids), IDS):
        chunk = business_ids[start : start + IDS]
        Business.objects.filter(pk__in=chunk).update(nib="")
        nib = LegalityDocument.objects.filter(business_id__in=chunk, kind=LegalityKind.NIB)
        deleted += nib.delete()[0]
    return deleted


def release_owner_account(user: User) -> None:
    """Unlink the account from the businesses it owns."""
    Business.objects.filter(owner_account=user).update(owner_account=None)


def link_owner_account(business_id: int, user: User) -> None:
    Business.objects.filter(pk=business_id).update(owner_account=user)


def _create_keeping_times(model: type[M], objs: Sequence[M], fields: Sequence[str]) -> None:
    """bulk_create, then write back the values the objects held in `fields` (auto_now
    ones, which the insert replaced with now) by one UPDATE ... FROM VALUES per batch,
    and put them back on the objects."""
    planned = [[getattr(obj, name) for name in fields] for obj in objs]
    model._default_manager.bulk_create(objs, batch_size=BATCH)
    meta = model._meta
    columns = {f.name: f for f in meta.concrete_fields}
    adapters = [bulk.adapter(columns[name]) for name in fields]
    rows: list[list[Any]] = []
    for obj, values in zip(objs, planned, strict=True):
        for name, value in zip(fields, values, strict=True):
            setattr(obj, name, value)
        adapted = [_adapted(adapt, value) for adapt, value in zip(adapters, values, strict=True)]
        rows.append([obj.pk, *adapted])

    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    # VALUES names its columns column1 (the id), column2, ... on SQLite and PostgreSQL.
    assignments = ", ".join(
        f"{quote(columns[name].column)} = v.column{i}" for i, name in enumerate(fields, 2)
    )
    marks = f"({', '.join(['%s'] * (len(fields) + 1))})"
    limit = connection.features.max_query_params
    size = min(BATCH, limit // (len(fields) + 1)) if limit else BATCH
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                f"UPDATE {table} SET {assignments} "  # noqa: S608 (the model's own names)
                f"FROM (VALUES {', '.join([marks] * len(batch))}) AS v "
                f"WHERE {table}.{quote(meta.pk.column)} = v.column1",
                [value for row in batch for value in row],
            )


def _adapted(adapt: bulk.Adapter | None, value: datetime.datetime | None) -> Any:
    return adapt(value) if adapt is not None and value is not None else value


def _id_of(user: User | None) -> int | None:
    return user.pk if user is not None else None


def add_owners(columns: Mapping[str, str], source: str) -> int:
    """Owners, one for each row of `source`, in one INSERT ... SELECT; returns how many."""
    return bulk.insert_select(Owner, dict(columns), source)


def add_submitted_businesses(
    columns: Mapping[str, str], source: str, *, created_by: User | None
) -> int:
    """Businesses, one for each row of `source`, in one INSERT ... SELECT: they enter the
    curation queue as submitted now, created by `created_by` (a user, or None for the
    system). Returns how many."""
    return bulk.insert_select(
        Business, dict(columns), source,
        values={"status": Status.SUBMITTED, "submitted_at": timezone.now(),
                "created_by_id": _id_of(created_by)},
    )  # fmt: skip


def add_reported_figures(
    columns: Mapping[str, str], source: str, *, recorded_by: User | None, evidence: str
) -> int:
    """Figures as the owner reported them, one year of one business for each row of
    `source`, in one INSERT ... SELECT, recorded by `recorded_by` with `evidence` (e.g.
    the file they came from). Returns how many."""
    return bulk.insert_select(
        FinancialRecord, dict(columns), source,
        values={"basis": Basis.REPORTED, "recorded_by_id": _id_of(recorded_by),
                "evidence": evidence},
    )  # fmt: skip


def update_businesses(
    businesses: Sequence[Business], fields: Sequence[str], *, batch_size: int
) -> None:
    """Save `fields` of businesses the caller has changed in memory, in batches of one
    UPDATE each. Each one's version goes up, so that an edit begun on the version
    before is refused (registry.services.update_business)."""
    for business in businesses:
        business.version = F("version") + 1
    Business.objects.bulk_update(businesses, [*fields, "version"], batch_size=batch_size)


def update_owners(owners: Sequence[Owner], fields: Sequence[str], *, batch_size: int) -> None:
    """Save `fields` of owners the caller has changed in memory (set personal data with
    Owner.set_nik and set_phone, and name their encrypted and index columns)."""
    Owner.objects.bulk_update(owners, fields, batch_size=batch_size)


def save_reported_figures(records: Sequence[FinancialRecord], *, batch_size: int) -> None:
    """Reported figures of a year, new or replacing the amounts held for the same
    business, year and basis (an upsert: the rest of a replaced record stays)."""
    FinancialRecord.objects.bulk_create(
        records,
        update_conflicts=True,
        unique_fields=["business", "year", "basis"],
        update_fields=["annual_sales", "assets", "capital"],
        batch_size=batch_size,
    )
