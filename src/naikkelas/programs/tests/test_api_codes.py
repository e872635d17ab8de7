"""One bad field per programme write over the API: the answer names the field and its code."""

import datetime

import pytest

from conftest import PASSWORD
from naikkelas.programs import cohorts, referrals, services
from naikkelas.programs.cohorts import Rule
from naikkelas.programs.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

FUTURE = (TODAY + datetime.timedelta(days=3)).isoformat()


def _as(api_client, user):
    api_client.login(username=user.username, password=PASSWORD)
    return api_client


def _codes(response, field):
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    return [refusal["code"] for refusal in response.json()["fields"][field]]


@pytest.fixture
def api(api_client, manager):
    return _as(api_client, manager)


def test_a_programme_needs_a_name_of_its_own(api, make_programme):
    programme = make_programme()
    body = {"name": programme.name.upper(), "type": "packaging", "organiser": "Diskopindag",
            "starts_on": "2026-01-05", "ends_on": "2026-02-05", "capacity": 5}  # fmt: skip
    assert _codes(api.post("/api/v1/programs/", body, format="json"), "name") == ["name_taken"]
    before = (programme.starts_on - datetime.timedelta(days=1)).isoformat()
    edited = api.patch(f"/api/v1/programs/{programme.pk}/", {"ends_on": before}, format="json")
    assert _codes(edited, "ends_on") == ["ends_before_start"]


def test_a_session_and_its_attendance_name_their_bad_field(api, manager, make_programme):
    programme = make_programme()
    late = (programme.ends_on + datetime.timedelta(days=1)).isoformat()
    url = f"/api/v1/programs/{programme.pk}/sessions/"
    outside = api.post(url, {"held_on": late, "title": "Praktik"})
    assert _codes(outside, "held_on") == ["date_outside_programme"]
    session = services.add_session(manager, programme, TODAY, "Praktik")
    stranger = api.post(f"{url}{session.pk}/attendance/", {"present": [999999]}, format="json")
    assert _codes(stranger, "present") == ["not_enrolled"]


def test_a_cohort_and_a_nomination_name_their_bad_field(api, city):
    assert _codes(api.post("/api/v1/cohorts/", {"name": "Besar", "size": 0}), "size") == [
        "size_range"
    ]
    assert _codes(api.post("/api/v1/enrolments/", {"programme": 1}), "business") == ["required"]


def test_an_enrolment_step_names_the_date_and_the_outcome(api, manager, city, make_programme):
    enrolment = services.nominate(manager, make_programme(), city[0])
    url = f"/api/v1/enrolments/{enrolment.pk}/"
    assert _codes(api.post(url + "enrol/", {"on": FUTURE}), "on") == ["date_future"]
    assert _codes(api.post(url + "drop/", {"reason": " "}), "reason") == ["required"]
    services.enrol(manager, enrolment)
    assert _codes(api.post(url + "complete/", {"outcome": ""}), "outcome") == ["required"]


def test_a_referral_and_its_answer_name_their_bad_field(api_client, manager, bank, city, banks):
    client = _as(api_client, manager)
    body = {"business": city[0].pk, "bank": "tugu-arta", "product": "kur_micro",
            "amount_requested": -5}  # fmt: skip
    assert _codes(client.post("/api/v1/referrals/", body), "amount_requested") == [
        "amount_not_positive"
    ]
    referral = referrals.refer(manager, city[0], banks[0], "kur_micro", 5_000_000)
    client = _as(api_client, bank)
    answer = client.post(f"/api/v1/referrals/{referral.pk}/answer/", {"decision": "approved"})
    assert _codes(answer, "amount") == ["amount_not_positive"]
    unknown = client.post(f"/api/v1/referrals/{referral.pk}/answer/", {"decision": "maybe"})
    assert _codes(unknown, "decision") == ["invalid_choice"]


def test_a_milestone_in_the_future_is_refused_with_its_code(api, city):
    body = {"business": city[0].pk, "kind": "jobs", "occurred_on": FUTURE, "jobs": 2}
    assert _codes(api.post("/api/v1/milestones/", body), "occurred_on") == ["date_future"]
    zero = {**body, "occurred_on": TODAY.isoformat(), "jobs": 0}
    assert _codes(api.post("/api/v1/milestones/", zero), "jobs") == ["jobs_not_positive"]


def test_freezing_a_frozen_cohort_keeps_its_workflow_code(api, manager, city):
    frozen = cohorts.freeze_cohort(manager, cohorts.create_cohort(manager, "Beku", Rule(size=2)))
    again = api.post(f"/api/v1/cohorts/{frozen.pk}/freeze/")
    assert again.status_code == 400 and again.json()["code"] == "cohort_frozen"


def test_capacity_is_refused_with_one_rule_by_the_api_the_form_and_the_model(
    api, manager, make_programme
):
    from django.core.exceptions import ValidationError

    from naikkelas.programs.forms import ProgrammeForm
    from naikkelas.programs.models import CAPACITY

    programme = make_programme()
    for capacity in (0, -3):
        edited = api.patch(
            f"/api/v1/programs/{programme.pk}/", {"capacity": capacity}, format="json"
        )
        assert _codes(edited, "capacity") == ["capacity_range"], capacity
    programme.refresh_from_db()
    assert programme.capacity == 10

    programme.capacity = 0
    with pytest.raises(ValidationError) as model:
        programme.full_clean()
    assert [e.code for e in model.value.error_dict["capacity"]] == ["capacity_range"]
    for capacity in (0, -3):
        form = ProgrammeForm(data={"capacity": capacity})
        assert form.errors["capacity"] == [str(CAPACITY.message)]
