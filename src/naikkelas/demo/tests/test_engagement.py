from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse

from naikkelas.accounts.models import User
from naikkelas.catalog.models import Listing
from naikkelas.demo.accounts import DEMO_PASSWORD
from naikkelas.demo.city import build_demo_city
from naikkelas.demo.engagement import build_engagement_demo
from naikkelas.engagement.models import Complaint, Visit
from naikkelas.graduation.engine import recompute
from naikkelas.monitoring import tallies
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, Status

pytestmark = pytest.mark.django_db
SIZE, SEED = 1500, 7


@pytest.fixture
def city() -> None:
    build_demo_city(SIZE, SEED)
    recompute()


def test_it_builds_listings_visits_complaints_and_owners_without_changing_the_stats(
    city: None, client: Any
) -> None:
    client.force_login(User.objects.get(username="admin"))
    before = client.get("/api/v1/stats/").json()
    del before["as_of"]

    summary = build_engagement_demo(SEED)

    tallies.refresh()  # what the job worker does within a minute of the writes
    after = client.get("/api/v1/stats/").json()
    del after["as_of"]
    assert after == before
    listed = Listing.objects.filter(listed=True)
    assert summary.listed == listed.count() > 50
    assert not listed.exclude(business__status=Status.VERIFIED).exists()
    assert all(listing.contact_link for listing in listed[:20])
    districts = set(Region.objects.home().kecamatan().values_list("code", flat=True))
    assert {v.kelurahan.parent_id for v in Visit.objects.select_related("kelurahan")} == districts
    assert {
        c.kelurahan.parent_id for c in Complaint.objects.select_related("kelurahan")
    } == districts
    assert summary.overdue == Complaint.objects.overdue().count() > 0
    usernames = {username for username, _, _ in summary.accounts}
    assert {"pemilik-mikro", "pemilik-kecil"} <= usernames
    owner_business = Business.objects.get(owner_account__username="pemilik-mikro")
    signed_in = authenticate(username=owner_business.nib, password=DEMO_PASSWORD)
    assert signed_in is not None and signed_in.get_username() == "pemilik-mikro"
    client.logout()
    assert client.get(reverse("catalogue")).status_code == 200


def test_it_is_repeatable_and_printed_by_the_demo_command(city: None) -> None:
    first = build_engagement_demo(SEED)
    again = build_engagement_demo(SEED)
    assert (first.visits, first.complaints) == (again.visits, again.complaints)
    assert Business.objects.filter(owner_account__username="pemilik-mikro").count() == 1
    out = StringIO()
    call_command("demo", businesses=SIZE, seed=SEED, if_empty=True, stdout=out)
    assert "pemilik-mikro" in out.getvalue()
