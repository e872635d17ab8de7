import pytest

from conftest import PASSWORD
from naikkelas.programs import cohorts, referrals
from naikkelas.programs.cohorts import Rule
from naikkelas.programs.models import Enrolment, Referral

pytestmark = pytest.mark.django_db


def _as(api_client, user):
    api_client.login(username=user.username, password=PASSWORD)
    return api_client


def test_it_lists_cohorts_with_size_and_frozen_at(api_client, manager, city):
    draft = cohorts.create_cohort(manager, "Draf", Rule(size=2))
    frozen = cohorts.freeze_cohort(
        manager, cohorts.create_cohort(manager, "Prioritas", Rule(size=5))
    )
    body = _as(api_client, manager).get("/api/v1/cohorts/").json()
    items = {c["name"]: c for c in body["results"]}
    assert items["Draf"]["size"] == 2 and items["Draf"]["frozen_at"] is None
    assert items["Prioritas"]["size"] == 5 and items["Prioritas"]["frozen_at"]
    members = api_client.get(f"/api/v1/cohorts/{frozen.pk}/members/").json()
    assert [m["rank"] for m in members] == [1, 2, 3, 4, 5]
    assert members[0]["size_class"] == "micro" and "packaging" in members[0]["gaps"]
    assert api_client.post(f"/api/v1/cohorts/{draft.pk}/freeze/").json()["frozen_at"]


def test_a_manager_runs_a_programme_through_the_api(api_client, manager, city):
    client = _as(api_client, manager)
    created = client.post(
        "/api/v1/programs/",
        {
            "name": "Desain Kemasan 2026", "type": "packaging", "organiser": "Diskopindag",
            "starts_on": "2026-01-05", "ends_on": "2099-12-31", "capacity": 1,
            "criteria": ["packaging"],
        },
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    programme = created.json()["id"]
    first = client.post("/api/v1/enrolments/", {"programme": programme, "business": city[0].pk})
    assert first.status_code == 201
    full = client.post("/api/v1/enrolments/", {"programme": programme, "business": city[1].pk})
    assert full.status_code == 400 and full.json()["code"] == "programme_full"
    assert Enrolment.objects.count() == 1
    enrolment = first.json()["id"]
    assert client.post(f"/api/v1/enrolments/{enrolment}/enrol/").json()["status"] == "enrolled"
    session = client.post(
        f"/api/v1/programs/{programme}/sessions/", {"held_on": "2026-01-05", "title": "Praktik"}
    )
    assert session.status_code == 201, session.json()
    marked = client.post(
        f"/api/v1/programs/{programme}/sessions/{session.json()['id']}/attendance/",
        {"present": [enrolment]},
        format="json",
    )
    assert marked.json()["present"] == [enrolment]
    done = client.post(f"/api/v1/enrolments/{enrolment}/complete/", {"outcome": "Kemasan baru"})
    assert done.json()["status"] == "completed"
    assert client.get("/api/v1/programs/").json()["results"][0]["seats_taken"] == 1


def test_a_bank_partner_sees_and_answers_only_its_own_referrals(
    api_client, manager, bank, city, banks
):
    tugu, jatim = banks
    own = referrals.refer(manager, city[0], tugu, "kur_micro", 50_000_000)
    other = referrals.refer(manager, city[1], jatim, "kur_micro", 75_000_000)
    client = _as(api_client, bank)
    listed = client.get("/api/v1/referrals/").json()["results"]
    assert [r["id"] for r in listed] == [own.pk]
    assert "*" in listed[0]["nik"] or listed[0]["nik"] == ""
    assert client.get(f"/api/v1/referrals/{other.pk}/").status_code == 404
    refused = client.post(
        f"/api/v1/referrals/{other.pk}/answer/", {"decision": "approved", "amount": 1}
    )
    assert refused.status_code == 404
    assert Referral.objects.get(pk=other.pk).status == "sent"
    answered = client.post(
        f"/api/v1/referrals/{own.pk}/answer/", {"decision": "disbursed", "amount": 45_000_000}
    )
    assert answered.json()["status"] == "disbursed"
    # The registry stays closed to a bank.
    assert client.get(f"/api/v1/businesses/{city[0].pk}/").status_code == 404
    assert client.get("/api/v1/programs/").json()["results"] == []


def test_a_referral_amount_that_is_not_a_positive_rupiah_amount_is_refused(
    api_client, manager, city, banks
):
    client = _as(api_client, manager)
    for amount in ("-5", "0", "abc"):
        response = client.post(
            "/api/v1/referrals/",
            {"business": city[0].pk, "bank": "tugu-arta", "product": "kur_micro",
             "amount_requested": amount},
        )  # fmt: skip
        assert response.status_code == 400
    assert not Referral.objects.exists()


def test_milestones_are_recorded_and_verified_over_the_api(api_client, manager, city):
    client = _as(api_client, manager)
    response = client.post(
        "/api/v1/milestones/",
        {"business": city[0].pk, "kind": "export", "occurred_on": "2025-03-01",
         "country": "Selandia Baru", "product": "Keripik tempe"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    future = client.post(
        "/api/v1/milestones/",
        {"business": city[0].pk, "kind": "jobs", "occurred_on": "2999-01-01", "jobs": 2},
    )
    assert future.status_code == 400 and "occurred_on" in future.json()["fields"]
    verified = client.post(f"/api/v1/milestones/{response.json()['id']}/verify/")
    assert verified.json()["verified_at"]
