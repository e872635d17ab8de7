"""The tables an import writes keep the indexes their queries use, and no others: an
import pays for each index once per row it adds."""

import pytest
from django.db import connection

from naikkelas.regions.models import Level, Region
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
        # The count per kelurahan and status (curation queue, dashboards).
        (lambda: Business.objects.filter(kelurahan_id="35.73.01.1001", status=Status.VERIFIED)
         .order_by().values_list("kelurahan_id", "status"), "registry_bu_kelurah_268fc1_idx"),
        (lambda: Business.objects.filter(status=Status.SUBMITTED),
         "registry_bu_status_574a9c_idx"),
        (lambda: Business.objects.order_by("name", "id")[:25], "business_name"),
        (lambda: Business.objects.filter(nib="1234567890123"), "business_nib_unique"),
        (lambda: Business.objects.filter(source_id="SIDT-1"), "business_source_id_unique"),
    ],
    "registry_owner": [
        (lambda: Owner.objects.filter(nik_index="ab" * 32), "owner_nik_index"),
        (lambda: Owner.objects.filter(phone_index="cd" * 32), "owner_phone_index"),
        (lambda: Owner.objects.filter(kelurahan_id="35.73.01.1001"), "owner_kelurahan"),
    ],
    "registry_financialrecord": [
        (lambda: FinancialRecord.objects.filter(business_id=7), "financial_year_basis"),
    ],
}  # fmt: skip
# Foreign keys: their joins, and the checks when a user, owner or sentra is deleted.
FOREIGN_KEYS = {
    "registry_business": {
        "registry_business_created_by_id_fef5cf7b", "registry_business_merged_into_id_cbc78647",
        "registry_business_owner_account_id_63c24131", "registry_business_owner_id_d4012efd",
        "registry_business_sentra_id_613b64ed", "registry_business_verified_by_id_35b3e88c",
    },
    "registry_owner": set(),
    "registry_financialrecord": {"registry_financialrecord_recorded_by_id_6ac653f5"},
}  # fmt: skip


@pytest.fixture
def registry():
    """A registry the planner has statistics for: 40 businesses per kelurahan, each with
    its own owner and two years of figures; one in ten submitted, the rest verified."""
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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_business, registry_owner, registry_financialrecord")


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
    assert names == {f"{table}_pkey", *FOREIGN_KEYS[table], *served}
