"""A merged record is the same business counted twice: figures leave it out."""

from typing import Any

import pytest

from conftest import api_token
from naikkelas.dedup import services
from naikkelas.monitoring import tallies
from naikkelas.registry import services as registry

pytestmark = pytest.mark.django_db


def test_it_leaves_merged_records_out_of_the_stats(
    api_client: Any, admin: Any, curator: Any, make_business: Any
) -> None:
    survivor = make_business(exports=True)
    merged = make_business(exports=True)
    registry.submit_business(admin, merged)
    registry.verify_business(admin, merged)
    registry.submit_business(admin, survivor)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(admin)}")

    before = api_client.get("/api/v1/stats/").json()
    services.merge_businesses(curator, None, survivor, merged, {})
    tallies.refresh()  # what the job worker does within a minute of the merge
    after = api_client.get("/api/v1/stats/").json()

    assert (before["businesses"], before["verified"], before["exporters"]) == (2, 1, 2)
    assert (after["businesses"], after["verified"], after["exporters"]) == (1, 0, 1)
