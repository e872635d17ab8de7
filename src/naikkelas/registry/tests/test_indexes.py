"""The tables an import writes keep the indexes their queries use, and no others: an
import pays for each index once per row it adds."""

import pytest
from django.db import connection

from naikkelas.core.models import AuditEntry
from naikkelas.regions.models import Level, Region, in_region
from naikkelas.registry.models import Basis, Business, FinancialRecord, Owner, Status

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
]

# Each query of the product that an index of its own serves, and that index.
SERVED = {
    "registry_business": [
        (lambda: Business.objects.filter(kelurahan__code__startswith="35.73.01."),
         "business_kelurahan_like"),
        # The filter every list, export and figure of a region uses (`in_region`): the
        # region's own code or a code under it.
        (lambda: Business.objects.filter(in_region("kelurahan__code", "35.73.01")),
         "business_kelurahan_like"),
        # The count per kelurahan and status (curation queue, dashboards).
        (lambda: Business.objects.filter(kelurahan_id="35.73.01.1001", status=Status.VERIFIED)
         .order_by().values_list("kelurahan_id", "status"), "registry_bu_kelurah_268fc1_idx"),
        # The curation queue, oldest submission first: the index gives the order too, so
        # the plan does not hang on how the rows happen to lie in the table.
        (lambda: Business.objects.filter(status=Status.SUBMITTED).order_by("submitted_at", "id"),
         "registry_bu_status_574a9c_idx"),
        (lambda: Business.objects.order_by("name", "id")[:25], "business_name"),
        (lambda: Business.objects.filter(nib="1234567890123"), "business_nib"),
        (lambda: Business.objects.filter(source_id="SIDT-1"), "business_source_id_unique"),
        # Foreign keys: their joins, and the checks when the row they point to is deleted.
        (lambda: Business.objects.filter(owner_id=7), "registry_business_owner_id_d4012efd"),
        # Nullable ones, indexed over set values only (core.indexes.of_set_values).
        (lambda: Business.objects.filter(owner_account_id=7), "business_owner_account"),
        (lambda: Business.objects.filter(sentra_id=7), "business_sentra"),
        (lambda: Business.objects.filter(merged_into_id__in=[7, 8]), "business_merged_into"),
        (lambda: Business.objects.filter(created_by_id=7), "business_created_by"),
        (lambda: Business.objects.filter(verified_by_id=7), "business_verified_by"),
    ],
    "registry_owner": [
        (lambda: Owner.objects.filter(nik_index="ab" * 32), "owner_nik_index"),
        (lambda: Owner.objects.filter(phone_index="cd" * 32), "owner_phone_index"),
        (lambda: Owner.objects.filter(kelurahan_id="35.73.01.1001"), "owner_kelurahan"),
    ],
    "registry_financialrecord": [
        (lambda: FinancialRecord.objects.filter(business_id=7), "financial_year_basis"),
        (lambda: FinancialRecord.objects.filter(recorded_by_id=7), "financial_recorded_by"),
    ],
    "core_auditentry": [
        # A record's history.
        (lambda: AuditEntry.objects.filter(object_type="business", object_id="7"),
         "core_audite_object__eafc47_idx"),
        (lambda: AuditEntry.objects.filter(actor_id=7), "audit_actor"),
    ],
}  # fmt: skip
# Kept although no query of the product uses them: an investigator's SQL does (the
# entries of one kind, `action LIKE 'owner.%'`, or of a day).
KEPT = {
    "core_auditentry": {
        "core_auditentry_action_6ad0fad5", "core_auditentry_action_6ad0fad5_like",
        "core_auditentry_created_at_8d53ad0d",
    },
}  # fmt: skip


@pytest.fixture
def registry():
    """A registry the planner has statistics for: 40 businesses per kelurahan, each with
    its own owner, two years of figures and the audit entry of its import; one in ten
    submitted, the rest verified."""
    places = Region.objects.filter(level=Level.VILLAGE, code__startswith="35.73.")
    spots = [(place, i) for place in places for i in range(40)]
    owners = Owner.objects.bulk_create(
        Owner(name=f"Pemilik {n}", nik_index=f"{n:064x}", phone_index=f"{n:064x}",
              kelurahan=place)
        for n, (place, _i) in enumerate(spots)
    )  # fmt: skip
    businesses = Business.objects.bulk_create(
        Business(name=f"Usaha {place.code} {i}", owner=owner, kelurahan=place,
                 status=Status.SUBMITTED if i % 10 == 0 else Status.VERIFIED)
        for (place, i), owner in zip(spots, owners, strict=True)
    )  # fmt: skip
    FinancialRecord.objects.bulk_create(
        FinancialRecord(business=business, year=year, basis=Basis.REPORTED, annual_sales=1)
        for business in businesses
        for year in (2024, 2025)
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(action="business.imported", object_type="business", object_id=str(b.pk))
        for b in businesses
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE registry_business, registry_owner, registry_financialrecord, core_auditentry"
        )


def test_each_query_uses_its_index(registry):
    with connection.cursor() as cursor:
        # A small table is cheaper to read whole than through any index (a city's
        # kecamatan holds a fifth of it; a province's, a few hundredth): without that
        # way out, the planner shows which index it would take.
        cursor.execute("SET enable_seqscan = off")
        try:
            for queries in SERVED.values():
                for query, index in queries:
                    assert index in query().explain(), index
        finally:
            cursor.execute("RESET enable_seqscan")


@pytest.mark.parametrize("table", SERVED)
def test_the_tables_have_no_other_index(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        names = {name for (name,) in cursor.fetchall()}
    served = {index for _q, index in SERVED[table]}
    assert names == {f"{table}_pkey", *KEPT.get(table, ()), *served}
