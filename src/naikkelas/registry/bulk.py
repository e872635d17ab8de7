"""The registry's bulk entry points for importers and loaders.

A loader that writes thousands of records at once (the demo city, 40,000 businesses in
seconds) cannot afford the per-row service functions, but its writes of registry models
still go through the registry: here. The caller keeps the per-row invariants the service
functions keep (personal data through Owner.set_nik / set_phone, valid identifiers,
`sector` from the KBLI code) and writes the audit entries in bulk.

Records that carry their own history (when a business was registered, last changed, when
a figure was recorded) are inserted and then given those times by one UPDATE per batch:
`auto_now` fields take "now" at insert, whatever the object holds.
"""

import datetime
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.deletion import ProtectedError

from naikkelas.accounts.models import User
from naikkelas.core import bulk
from naikkelas.core.errors import DomainError
from naikkelas.regions.models import Region
from naikkelas.registry.models import (
    Business,
    FinancialRecord,
    LegalityDocument,
    LegalityKind,
    Owner,
    Product,
    SalesChannel,
    Sentra,
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
