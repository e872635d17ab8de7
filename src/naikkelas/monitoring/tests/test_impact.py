import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from naikkelas.monitoring import impact
from naikkelas.monitoring.tests.conftest import LAST_YEAR, _ready
from naikkelas.programs.models import Cohort, CohortMember
from naikkelas.registry import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(admin, city, make_business):
    """Keripik Siap picked in March 2025 (micro, sector C, ready); a similar business
    that was not picked; Warung Biasa (sector G) is not similar."""
    member = city["ready"]
    similar = _ready(admin, make_business(name="Keripik Serupa", nib="1000000000555"))
    # Both sold Rp800 million last year (_ready); the year before, less.
    for business, before in ((member, 300), (similar, 700)):
        services.save_financial_record(
            admin, business, {"year": LAST_YEAR - 1, "annual_sales": before * 10**6}
        )
    picked = timezone.make_aware(datetime.datetime(LAST_YEAR, 3, 1))
    cohort = Cohort.objects.create(name="Kemasan", frozen_at=picked)
    standing = member.standing
    CohortMember.objects.create(
        cohort=cohort, business=member, rank=1, business_name=member.name,
        kelurahan_code=member.kelurahan_id, sector=member.sector, size_class="micro",
        readiness_score=standing.readiness_score, ready=True,
    )  # fmt: skip
    return cohort


def test_it_compares_members_with_similar_businesses_that_were_not_picked(cohort, leader):
    c = impact.compare(leader, cohort)
    assert (c.baseline_year, c.follow_up_year, c.strata) == (LAST_YEAR - 1, LAST_YEAR, 1)
    assert c.members.size == 1 and c.others.size == 1
    assert c.members.mean_change == 500 * 10**6
    assert c.others.mean_change == 100 * 10**6
    assert (c.members.moved_up, c.others.moved_up) == (0, 0)


def test_the_page_gives_group_sizes_and_the_caveat(client, cohort, leader):
    client.login(username=leader.username, password=PASSWORD)
    html = client.get(reverse("cohort_impact", args=[cohort.pk])).content.decode()
    assert html.count('data-size="1"') == 2
    assert "bukan bukti bahwa program yang menyebabkannya" in html


def test_a_volunteer_sees_no_impact_page(client, cohort, volunteer):
    client.login(username=volunteer.username, password=PASSWORD)
    assert client.get(reverse("cohort_impact", args=[cohort.pk])).status_code == 403
