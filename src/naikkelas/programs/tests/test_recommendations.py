import datetime

import pytest
from django.utils import translation

from naikkelas.core.errors import FieldErrors
from naikkelas.graduation.explain import gaps
from naikkelas.programs import cohorts, recommendations
from naikkelas.programs.cohorts import Rule
from naikkelas.programs.models import Enrolment, EnrolmentStatus
from naikkelas.programs.services import nominate
from naikkelas.programs.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(make_programme):
    """Programmes for packaging and branding; one full, one ended, one for a met criterion."""
    return {
        "packaging": make_programme(name="Desain Kemasan", criteria=["packaging"], capacity=2),
        "branding": make_programme(name="Fasilitasi Merek", criteria=["branding"], capacity=1),
        "full": make_programme(name="Penuh", criteria=["packaging"], capacity=1),
        "ended": make_programme(
            name="Sudah Selesai",
            criteria=["branding"],
            starts_on=TODAY - datetime.timedelta(days=90),
            ends_on=TODAY - datetime.timedelta(days=1),
        ),
        "met": make_programme(name="Literasi Keuangan", criteria=["bookkeeping"]),
    }


def test_every_recommendation_closes_an_open_gap_and_has_room(manager, city, offer):
    nominate(manager, offer["full"], city[4])
    for business in city[:4]:
        found = recommendations.for_business(business)
        open_gaps = set(gaps(business.standing))
        assert found, business
        for programme in found:
            assert open_gaps & set(programme.criteria)
            assert (
                programme.enrolments.exclude(status=EnrolmentStatus.DROPPED).count()
                < programme.capacity
            )
        assert {p.name for p in found} <= {"Desain Kemasan", "Fasilitasi Merek"}


def test_the_cohort_plan_stays_within_capacity_and_serves_rank_first(manager, city, offer):
    cohort = cohorts.create_cohort(manager, "Prioritas Uji", Rule(size=5))
    cohorts.freeze_cohort(manager, cohort)
    plan = recommendations.plan_for_cohort(cohort)
    per_programme = {}
    for a in plan:
        assert a.gap in gaps(a.business.standing) and a.gap in a.programme.criteria
        per_programme[a.programme.name] = per_programme.get(a.programme.name, 0) + 1
    assert per_programme == {"Desain Kemasan": 2, "Fasilitasi Merek": 1, "Penuh": 1}
    ranks = {m.business_id: m.rank for m in cohort.members.all()}
    assert min(ranks[a.business.pk] for a in plan if a.programme.name == "Fasilitasi Merek") == 1

    enrolments = recommendations.accept_plan(
        manager, cohort, [(a.business.pk, a.programme.pk) for a in plan]
    )
    assert len(enrolments) == 4 and all(e.cohort_id == cohort.pk for e in enrolments)
    assert recommendations.plan_for_cohort(cohort) == []


def test_a_plan_naming_a_business_outside_the_cohort_is_refused_with_its_code(manager, city, offer):
    cohort = cohorts.create_cohort(manager, "Dua Teratas", Rule(size=2))
    cohorts.freeze_cohort(manager, cohort)
    members = set(cohort.members.values_list("business_id", flat=True))
    stranger = next(b for b in city if b.pk not in members)
    kept = [(next(iter(members)), offer["packaging"].pk), (stranger.pk, offer["packaging"].pk)]

    with translation.override("id"), pytest.raises(FieldErrors) as refused:
        recommendations.accept_plan(manager, cohort, kept)

    assert [(r.code, r.message) for r in refused.value.details["plan"]] == [
        ("plan_outside_cohort", "Rencana memuat usaha di luar kohort.")
    ]
    assert not Enrolment.objects.exists()  # all or nothing
