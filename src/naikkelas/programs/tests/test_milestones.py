import datetime

import pytest

from naikkelas.core.errors import FieldErrors, Forbidden
from naikkelas.graduation import services as graduation
from naikkelas.graduation.models import Graduation
from naikkelas.programs import milestones, services
from naikkelas.programs.models import MilestoneKind
from naikkelas.programs.tests.conftest import TODAY
from naikkelas.registry import services as registry

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


def test_a_confirmed_graduation_becomes_a_verified_milestone_of_the_programmes_before(
    manager, curator, make_business, make_programme
):
    business = make_business()
    started = TODAY - datetime.timedelta(days=5)
    enrolment = services.enrol(
        manager, services.nominate(manager, make_programme(), business, on=started), on=started
    )
    for year, sales in ((2023, 1_000_000_000), (2024, 3_000_000_000)):
        registry.save_financial_record(
            curator, business, {"year": year, "annual_sales": sales, "basis": "verified"}
        )
    graduation.confirm_graduation(curator, Graduation.objects.get(), "tax_report", "SPT 2024")
    milestone = business.milestones.get()
    assert milestone.kind == MilestoneKind.GRADUATION and milestone.verified_by == curator
    assert list(milestone.enrolments.all()) == [enrolment]
