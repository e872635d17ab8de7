"""A merge of duplicates carries the programme records along, and undo brings them back."""

import pytest

from naikkelas.dedup import services as dedup
from naikkelas.programs import cohorts, milestones, referrals, services
from naikkelas.programs.cohorts import Rule
from naikkelas.programs.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def _counts(business):
    return {
        "enrolments": business.enrolments.count(),
        "cohort_seats": business.cohort_seats.count(),
        "milestones": business.milestones.count(),
        "referrals": business.referrals.count(),
    }


def test_it_moves_programme_rows_keeps_clashes_and_undo_restores(
    curator, manager, city, banks, make_programme
):
    survivor, merged = city[0], city[1]
    shared, own = make_programme(), make_programme()
    cohort = cohorts.create_cohort(manager, "Prioritas", Rule(size=2))
    assert {m.business_id for m in cohort.members.all()} == {survivor.pk, merged.pk}
    services.nominate(manager, shared, survivor)
    services.nominate(manager, shared, merged)  # the same programme: stays behind
    services.nominate(manager, own, merged)
    milestones.record_milestone(manager, merged, "jobs", TODAY, {"jobs": 2})
    referrals.refer(manager, merged, banks[0], "kur_micro", 10_000_000)
    before = (_counts(survivor), _counts(merged))

    merge = dedup.merge_businesses(curator, None, survivor, merged, {})

    assert _counts(survivor) == {
        "enrolments": 2,
        "cohort_seats": 1,
        "milestones": 1,
        "referrals": 1,
    }
    assert _counts(merged) == {"enrolments": 1, "cohort_seats": 1, "milestones": 0, "referrals": 0}
    assert {"enrolments", "cohort_seats"} <= set(merge.moved["not_moved"])

    dedup.undo_merge(curator, merge)
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert (_counts(survivor), _counts(merged)) == before
