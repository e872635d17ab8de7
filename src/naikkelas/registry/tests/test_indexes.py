"""The business table keeps the indexes its queries use, and no others: an import pays
for each index once per row it adds."""

import pytest
from django.db import connection

from naikkelas.regions.models import Level, Region
from naikkelas.registry.models import Business, Owner, Status

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
]

# Each query of the product that an index of its own serves, and that index.
SERVED = [
    (lambda: Business.objects.filter(kelurahan__code__startswith="35.73.01."),
     "business_kelurahan_like"),
    # The count per kelurahan and status (curation queue, dashboards).
    (lambda: Business.objects.filter(kelurahan_id="35.73.01.1001", status=Status.VERIFIED)
     .order_by().values_list("kelurahan_id", "status"), "registry_bu_kelurah_268fc1_idx"),
    (lambda: Business.objects.filter(status=Status.SUBMITTED), "registry_bu_status_574a9c_idx"),
    (lambda: Business.objects.order_by("name", "id")[:25], "business_name"),
    (lambda: Business.objects.filter(nib="1234567890123"), "business_nib_unique"),
    (lambda: Business.objects.filter(source_id="SIDT-1"), "business_source_id_unique"),
]  # fmt: skip
# Foreign keys: their joins, and the checks when a user, owner or sentra is deleted.
FOREIGN_KEYS = {
    "registry_business_created_by_id_fef5cf7b", "registry_business_merged_into_id_cbc78647",
    "registry_business_owner_account_id_63c24131", "registry_business_owner_id_d4012efd",
    "registry_business_sentra_id_613b64ed", "registry_business_verified_by_id_35b3e88c",
}  # fmt: skip


@pytest.fixture
def registry():
    """A registry the planner has statistics for: 40 businesses per kelurahan, one in
    ten submitted, the rest verified."""
    owner = Owner.objects.create(name="Pemilik")
    places = Region.objects.filter(level=Level.VILLAGE, code__startswith="35.73.")
    Business.objects.bulk_create(
        Business(name=f"Usaha {place.code} {i}", owner=owner, kelurahan=place,
                 status=Status.SUBMITTED if i % 10 == 0 else Status.VERIFIED)
        for place in places for i in range(40)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_business")


def test_each_query_uses_its_index(registry):
    for query, index in SERVED:
        assert index in query().explain(), index


def test_the_business_table_has_no_other_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'registry_business'")
        names = {name for (name,) in cursor.fetchall()}
    assert names == {"registry_business_pkey", *FOREIGN_KEYS, *(i for _q, i in SERVED)}
