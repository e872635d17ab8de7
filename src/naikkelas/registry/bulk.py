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
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import F
from django.utils import timezone

from naikkelas.core import bulk
from naikkelas.registry.models import Basis, Business, FinancialRecord, Owner, Status


def _id_of(user: Any) -> int | None:
    return user.pk if user is not None else None


def add_owners(columns: Mapping[str, str], source: str) -> int:
    """Owners, one for each row of `source`, in one INSERT ... SELECT; returns how many."""
    return bulk.insert_select(Owner, dict(columns), source)


def add_submitted_businesses(columns: Mapping[str, str], source: str, *, created_by: Any) -> int:
    """Businesses, one for each row of `source`, in one INSERT ... SELECT: they enter the
    curation queue as submitted now, created by `created_by` (a user, or None for the
    system). Returns how many."""
    return bulk.insert_select(
        Business, dict(columns), source,
        values={"status": Status.SUBMITTED, "submitted_at": timezone.now(),
                "created_by_id": _id_of(created_by)},
    )  # fmt: skip


def add_reported_figures(
    columns: Mapping[str, str], source: str, *, recorded_by: Any, evidence: str
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
