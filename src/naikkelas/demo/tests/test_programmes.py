"""The demo's programme year, through the demo command and the API."""

from io import StringIO

import pytest
from django.core.management import call_command

from naikkelas.demo.accounts import DEMO_PASSWORD
from naikkelas.demo.programmes import COHORT
from naikkelas.graduation.models import Graduation, GraduationStatus
from naikkelas.programs.models import Cohort, Enrolment, Milestone, MilestoneKind, Referral

pytestmark = pytest.mark.django_db
SIZE = 2000


@pytest.fixture
def demo():
    out = StringIO()
    call_command("demo", businesses=SIZE, seed=11, stdout=out)
    return out.getvalue()


def test_it_freezes_the_cohort_of_the_graduates_and_shows_it_through_the_api(demo, api_client):
    graduates = Graduation.objects.filter(status=GraduationStatus.CONFIRMED)
    cohort = Cohort.objects.get(name=COHORT)
    assert cohort.frozen_at is not None
    assert set(cohort.members.values_list("business_id", flat=True)) == set(
        graduates.values_list("business_id", flat=True)
    )
    assert set(cohort.members.values_list("size_class", flat=True)) == {"micro"}
    api_client.login(username="pengelola", password=DEMO_PASSWORD)
    [item] = api_client.get("/api/v1/cohorts/").json()["results"]
    assert item["name"] == COHORT and item["size"] == graduates.count() and item["frozen_at"]
    assert f"cohort '{COHORT}' of {graduates.count()}" in demo


def test_enrolments_outcomes_and_each_banks_answers(demo, api_client):
    assert Enrolment.objects.filter(status="completed", cohort__isnull=False).exists()
    assert Enrolment.objects.filter(attendance__present=True).exists()
    graduations = Milestone.objects.filter(kind=MilestoneKind.GRADUATION)
    assert graduations.count() == Graduation.objects.filter(status="confirmed").count()
    assert all(m.enrolments.exists() for m in graduations)
    for username, bank in (("bank-tugu-arta", "BPR Tugu Arta"), ("bank-jatim", "Bank Jatim")):
        api_client.login(username=username, password=DEMO_PASSWORD)
        seen = api_client.get("/api/v1/referrals/").json()["results"]
        assert seen and {r["bank"] for r in seen} == {bank}
        assert any(r["status"] != "sent" for r in seen)
        api_client.logout()
    assert Referral.objects.count() == len(
        {*Referral.objects.values_list("business_id", flat=True)}
    )


def test_a_rebuild_replaces_the_programme_records(demo):
    counts = (Enrolment.objects.count(), Milestone.objects.count(), Referral.objects.count())
    call_command("demo", businesses=SIZE, seed=11, stdout=StringIO())
    assert (
        Enrolment.objects.count(),
        Milestone.objects.count(),
        Referral.objects.count(),
    ) == counts
