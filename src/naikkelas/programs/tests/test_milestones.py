import datetime

import pytest

from naikkelas.core.errors import FieldErrors, Forbidden
from naikkelas.programs import milestones, services
from naikkelas.programs.models import MilestoneKind
from naikkelas.programs.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_it_refuses_a_date_in_the_future_or_before_the_business_existed(manager, make_ready):
    business = make_ready(start_year=2020, start_month=6)
    for day in (TODAY + datetime.timedelta(days=1), datetime.date(2020, 5, 31)):
        with pytest.raises(FieldErrors) as refused:
            milestones.record_milestone(manager, business, "jobs", day, {"jobs": 2})
        assert "occurred_on" in refused.value.errors
    assert business.milestones.count() == 0


def test_it_asks_each_kind_for_what_it_records(manager, bank, make_ready):
    business = make_ready()
    with pytest.raises(FieldErrors) as refused:
        milestones.record_milestone(manager, business, "export", TODAY, {"country": ""})
    assert set(refused.value.errors) == {"country", "product"}
    with pytest.raises(FieldErrors):
        milestones.record_milestone(manager, business, "credit", TODAY, {"amount": -1})
    with pytest.raises(Forbidden):
        milestones.record_milestone(bank, business, "jobs", TODAY, {"jobs": 1})


def test_it_is_attributed_to_the_enrolments_begun_before_it(manager, curator, city, make_programme):
    business = city[0]
    started = TODAY - datetime.timedelta(days=20)
    earlier = services.enrol(
        manager, services.nominate(manager, make_programme(), business, on=started), on=started
    )
    milestone = milestones.record_milestone(
        manager, business, MilestoneKind.EXPORT, TODAY - datetime.timedelta(days=10),
        {"country": "Selandia Baru", "product": "Keripik tempe"},
    )  # fmt: skip
    services.enrol(manager, services.nominate(manager, make_programme(), business))
    assert list(milestone.enrolments.all()) == [earlier]
    assert milestone.verified_at is None
    milestones.verify_milestone(curator, milestone)
    milestone.refresh_from_db()
    assert milestone.verified_by == curator
