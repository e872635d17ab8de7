"""`Idempotency-Key` on every API write (issue 20): a request sent again with its key
gets the first answer and writes nothing; the key sent with another request is refused.

Every write endpoint is taken from the URL conf (as in test_bodies), and the walk below
must call each one, so an endpoint added later fails here until it is given a call.
"""

import datetime
import io
import json
import uuid
from collections.abc import Callable
from typing import Any

import PIL.Image
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import BALEARJOSARI, _user, api_token
from naikkelas.api.idempotency import IdempotentWrites
from naikkelas.api.tests.test_bodies import _documented, _write_endpoints
from naikkelas.api.tokens import TokenView
from naikkelas.core.models import AuditEntry, Submission
from naikkelas.engagement import services as engagement
from naikkelas.programs import cohorts, milestones, referrals
from naikkelas.programs import services as programmes
from naikkelas.programs.models import Bank
from naikkelas.registry import services
from naikkelas.registry.models import Business

pytestmark = pytest.mark.django_db

# Tables any request may write (the session, the sign-in log) or a read refreshes.
NOT_STATE = {"sessions.Session", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog",
             "axes.AccessAttemptExpiration", "monitoring.Tally", "monitoring.TallyState",
             "monitoring.Change", "accounts.ApiToken"}  # fmt: skip


def _state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that holds state."""
    found = {}
    for model in apps.get_models():
        if model._meta.proxy or model._meta.label in NOT_STATE:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        found[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return found


def _photo(colour: str = "orange") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PIL.Image.new("RGB", (8, 8), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), "image/jpeg")


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


class Step:
    """One write: its route as the schema names it, how to call it, and another body."""

    def __init__(self, route: str, method: str, url: Callable[[], str], body: Any = None,
                 upload: bool = False, as_user: str = "admin") -> None:  # fmt: skip
        self.route, self.method, self.url, self.body = route, method, url, body
        self.upload, self.as_user = upload, as_user

    def call(self, client: APIClient, key: str, *, other: bool = False) -> Any:
        headers = {"Idempotency-Key": key}
        url = self.url()
        # A body that names the version is built once, when the edit is made.
        if callable(self.body):
            self.body = self.body()
        if self.upload:
            # A fresh file object per request, with the same bytes (or other ones).
            return client.post(url, {"photo": _photo("blue" if other else "orange")},
                               headers=headers)  # fmt: skip
        body = dict(self.body or {})
        if other:
            body["_other"] = "another request"
        return getattr(client, self.method)(url, body, format="json", headers=headers)


@pytest.fixture
def world(admin, manager, make_business):
    """The records every write works on, all in Balearjosari."""
    today = timezone.localdate()
    bank_user = _user("bank-idem", "bank")
    bank = Bank.objects.create(name="BPR Idem", code="bpr-idem")
    bank.staff.add(bank_user)
    edited, verified, returned, archived = (make_business() for _ in range(4))
    for business in (verified, returned):
        services.submit_business(admin, business)
    programme = programmes.create_programme(manager, {
        "name": "Pelatihan Idem", "type": "training", "organiser": "Diskopindag",
        "starts_on": today, "ends_on": today + datetime.timedelta(days=9), "capacity": 9,
        "criteria": [],
    })  # fmt: skip
    session = programmes.add_session(manager, programme, today, "Pembukaan")
    enrolled = programmes.nominate(manager, programme, make_business())
    completed = programmes.enrol(
        manager, programmes.nominate(manager, programme, make_business()), today
    )
    dropped = programmes.nominate(manager, programme, make_business())
    cohort = cohorts.create_cohort(manager, "Prioritas Idem", cohorts.Rule(size=2))
    cohorts.add_member(manager, cohort, make_business(), "Siap")
    referral = referrals.refer(manager, edited, bank, "kur_micro", 1_000_000)
    milestone = milestones.record_milestone(manager, edited, "jobs", today, {"jobs": 2})
    visit = engagement.record_visit(admin, {
        "kind": "sahabat", "held_on": today, "kelurahan": edited.kelurahan,
        "place": "Balai RW 2", "visitors": "Ani",
    })  # fmt: skip
    complaint = engagement.record_complaint(
        admin, {"category": "permodalan", "text": "Butuh modal"}, business=edited
    )
    return {
        "users": {"admin": admin, "bank": bank_user},
        "edited": edited, "verified": verified, "returned": returned, "archived": archived,
        "programme": programme, "session": session, "enrolled": enrolled,
        "completed": completed, "dropped": dropped, "cohort": cohort, "referral": referral,
        "milestone": milestone, "visit": visit, "complaint": complaint,
        "nominee": make_business(),
    }  # fmt: skip


def _version(business: Business) -> int:
    return Business.objects.get(pk=business.pk).version


def _steps(w: dict[str, Any]) -> list[Step]:
    b, p = "/api/v1/businesses/", "/api/v1/programs/"
    edited = w["edited"]
    today = timezone.localdate().isoformat()
    return [
        Step(b, "post", lambda: b, {"name": "Usaha Baru", "owner_name": "Ani",
                                     "kelurahan": BALEARJOSARI, "location_accuracy": 8.5}),
        Step(b + "{id}/", "patch", lambda: f"{b}{edited.pk}/",
             lambda: {"street": "Jl. Baru 1", "version": _version(edited)}),
        Step(b + "{id}/", "put", lambda: f"{b}{edited.pk}/",
             lambda: {"name": edited.name, "owner_name": "Siti", "kelurahan": BALEARJOSARI,
                      "street": "Jl. Baru 2", "version": _version(edited)}),
        Step(b + "{id}/figures/", "post", lambda: f"{b}{edited.pk}/figures/",
             {"year": 2024, "annual_sales": 150_000_000}),
        Step(b + "{id}/legality/", "post", lambda: f"{b}{edited.pk}/legality/",
             {"kind": "pirt", "number": "P-IRT 2063573010123"}),
        Step(b + "{id}/products/", "post", lambda: f"{b}{edited.pk}/products/",
             {"name": "Keripik Tempe 250 g", "price": 15000}),
        Step(b + "{id}/photos/", "post", lambda: f"{b}{edited.pk}/photos/", upload=True),
        Step(b + "{id}/submit/", "post", lambda: f"{b}{edited.pk}/submit/"),
        Step(b + "{id}/verify/", "post", lambda: f"{b}{w['verified'].pk}/verify/"),
        Step(b + "{id}/return/", "post", lambda: f"{b}{w['returned'].pk}/return/",
             {"reason": "Data kurang"}),
        Step(b + "{id}/archive/", "post", lambda: f"{b}{w['archived'].pk}/archive/",
             {"reason": "Usaha tutup"}),
        Step(p, "post", lambda: p, {"name": "Pelatihan Baru", "type": "training",
             "organiser": "Diskopindag", "starts_on": "2030-01-01", "ends_on": "2030-01-10",
             "capacity": 5}),
        Step(p + "{id}/", "patch", lambda: f"{p}{w['programme'].pk}/", {"capacity": 12}),
        Step(p + "{id}/", "put", lambda: f"{p}{w['programme'].pk}/",
             {"name": "Pelatihan Idem", "type": "training", "organiser": "Diskopindag",
              "starts_on": today, "ends_on": "2030-01-10", "capacity": 14}),
        Step(p + "{id}/sessions/", "post", lambda: f"{p}{w['programme'].pk}/sessions/",
             {"held_on": today, "title": "Sesi dua"}),
        Step(p + "{id}/sessions/{session_id}/attendance/", "post",
             lambda: f"{p}{w['programme'].pk}/sessions/{w['session'].pk}/attendance/",
             {"present": [w["completed"].pk]}),
        Step("/api/v1/cohorts/", "post", lambda: "/api/v1/cohorts/",
             {"name": "Kohort Baru", "size": 2}),
        Step("/api/v1/cohorts/{id}/freeze/", "post",
             lambda: f"/api/v1/cohorts/{w['cohort'].pk}/freeze/"),
        Step("/api/v1/enrolments/", "post", lambda: "/api/v1/enrolments/",
             {"programme": w["programme"].pk, "business": w["nominee"].pk}),
        Step("/api/v1/enrolments/{id}/enrol/", "post",
             lambda: f"/api/v1/enrolments/{w['enrolled'].pk}/enrol/", {}),
        Step("/api/v1/enrolments/{id}/complete/", "post",
             lambda: f"/api/v1/enrolments/{w['completed'].pk}/complete/", {"outcome": "Lulus"}),
        Step("/api/v1/enrolments/{id}/drop/", "post",
             lambda: f"/api/v1/enrolments/{w['dropped'].pk}/drop/", {"reason": "Pindah"}),
        Step("/api/v1/referrals/", "post", lambda: "/api/v1/referrals/",
             {"business": edited.pk, "bank": "bpr-idem", "product": "kur_micro",
              "amount_requested": 2_000_000}),
        Step("/api/v1/referrals/{id}/answer/", "post",
             lambda: f"/api/v1/referrals/{w['referral'].pk}/answer/",
             {"decision": "declined", "note": "Agunan kurang"}, as_user="bank"),
        Step("/api/v1/milestones/", "post", lambda: "/api/v1/milestones/",
             {"business": edited.pk, "kind": "jobs", "occurred_on": "2025-01-15", "jobs": 3}),
        Step("/api/v1/milestones/{id}/verify/", "post",
             lambda: f"/api/v1/milestones/{w['milestone'].pk}/verify/"),
        Step("/api/v1/visits/", "post", lambda: "/api/v1/visits/",
             {"kind": "sahabat", "held_on": "2025-01-15", "kelurahan": BALEARJOSARI,
              "place": "Balai RW 2", "visitors": "Ani", "businesses": [edited.pk],
              "latitude": "-7.912345", "longitude": "112.654321", "location_accuracy": 250}),
        Step("/api/v1/visits/{id}/photos/", "post",
             lambda: f"/api/v1/visits/{w['visit'].pk}/photos/", upload=True),
        Step("/api/v1/complaints/", "post", lambda: "/api/v1/complaints/",
             {"category": "permodalan", "text": "Butuh modal kerja", "business": edited.pk,
              "location_accuracy": 0}),
        Step("/api/v1/complaints/{id}/photos/", "post",
             lambda: f"/api/v1/complaints/{w['complaint'].pk}/photos/", upload=True),
    ]  # fmt: skip


def test_every_write_view_honours_the_key():
    views = {view for _route, _method, view in _write_endpoints()}
    assert views - {TokenView} and all(
        issubclass(view, IdempotentWrites) for view in views - {TokenView}
    )
    # The login keeps no answer: it would be a token in clear.
    assert not issubclass(TokenView, IdempotentWrites)


def test_a_replay_answers_the_same_and_writes_nothing_on_every_write_endpoint(world):
    steps = _steps(world)
    endpoints = {
        (_documented(route), method)
        for route, method, view in _write_endpoints()
        if view is not TokenView
    }
    assert {(s.route, s.method) for s in steps} == endpoints, "give every write a step"
    clients = {name: _client(user) for name, user in world["users"].items()}
    for step in steps:
        client, key, where = clients[step.as_user], str(uuid.uuid4()), f"{step.method} {step.route}"
        before = _state()
        first = step.call(client, key)
        assert 200 <= first.status_code < 300, (where, first.content)
        assert "Idempotent-Replayed" not in first, where
        written = _state()
        assert written != before, where
        assert len(written["core.AuditEntry"]) > len(before["core.AuditEntry"]), where

        again = step.call(client, key)
        assert again.status_code == first.status_code, where
        assert again.json() == first.json(), where
        assert again["Idempotent-Replayed"] == "true", where
        assert _state() == written, f"{where}: the replay wrote"

        reused = step.call(client, key, other=True)
        assert reused.status_code == 422, (where, reused.content)
        assert reused.json()["code"] == "idempotency_key_reused", where
        assert _state() == written, f"{where}: the refused reuse wrote"


@pytest.fixture
def volunteer_api(volunteer):
    return _client(volunteer)


NEW = {"name": "Keripik Sekali", "owner_name": "Ani", "kelurahan": BALEARJOSARI}


def test_it_registers_a_business_once_however_often_it_is_sent(volunteer_api):
    key = str(uuid.uuid4())
    answers = [
        volunteer_api.post("/api/v1/businesses/", NEW, format="json",
                           headers={"Idempotency-Key": key})
        for _ in range(3)
    ]  # fmt: skip
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({a.content for a in answers}) == 1
    assert Business.objects.filter(name="Keripik Sekali").count() == 1
    assert AuditEntry.objects.filter(action="business.created").count() == 1


def test_without_a_key_each_request_writes_as_before(volunteer_api):
    for _ in range(2):
        assert volunteer_api.post("/api/v1/businesses/", NEW, format="json").status_code == 201
    assert Business.objects.filter(name="Keripik Sekali").count() == 2
    assert not Submission.objects.exists()


def test_the_same_body_in_another_order_or_spacing_is_the_same_request(volunteer_api):
    key = str(uuid.uuid4())
    first = volunteer_api.post("/api/v1/businesses/", json.dumps(NEW),
                               content_type="application/json", headers={"Idempotency-Key": key})  # fmt: skip
    reordered = json.dumps(dict(reversed(list(NEW.items()))), indent=2)
    again = volunteer_api.post("/api/v1/businesses/", reordered,
                               content_type="application/json", headers={"Idempotency-Key": key})  # fmt: skip
    assert (first.status_code, again["Idempotent-Replayed"]) == (201, "true")
    assert Business.objects.count() == 1


@pytest.mark.parametrize(
    "key", ["short", "x" * 65, "kunci dengan spasi", "-dimulai-tanda", "ключ-12345"]
)
def test_a_malformed_key_is_refused_with_its_code(volunteer_api, key):
    answer = volunteer_api.post("/api/v1/businesses/", NEW, format="json",
                                headers={"Idempotency-Key": key})  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["code"] == "idempotency_key_invalid"
    assert not Business.objects.exists() and not Submission.objects.exists()


def test_a_token_key_and_a_uuid_in_capitals_are_accepted(volunteer_api):
    key = str(uuid.uuid4())
    for sent in (key.upper(), key):
        answer = volunteer_api.post("/api/v1/businesses/", NEW, format="json",
                                    headers={"Idempotency-Key": sent})  # fmt: skip
        assert answer.status_code == 201
    token = volunteer_api.post("/api/v1/businesses/", NEW, format="json",
                               headers={"Idempotency-Key": "outbox:item-0001"})  # fmt: skip
    assert token.status_code == 201
    assert Business.objects.count() == 2


def test_a_refusal_keeps_nothing_and_the_corrected_request_may_use_the_key(volunteer_api):
    key = str(uuid.uuid4())
    refused = volunteer_api.post("/api/v1/businesses/", {**NEW, "rt": 0}, format="json",
                                 headers={"Idempotency-Key": key})  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["fields"]["rt"][0]["code"] == "rt_rw_range"
    assert not Submission.objects.exists()
    fixed = volunteer_api.post("/api/v1/businesses/", NEW, format="json",
                               headers={"Idempotency-Key": key})  # fmt: skip
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed


def test_a_key_is_the_senders_own(volunteer_api, curator):
    key = str(uuid.uuid4())
    mine = volunteer_api.post("/api/v1/businesses/", NEW, format="json",
                              headers={"Idempotency-Key": key})  # fmt: skip
    theirs = _client(curator).post("/api/v1/businesses/", NEW, format="json",
                                   headers={"Idempotency-Key": key})  # fmt: skip
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_photo_is_the_same_request_by_its_bytes_not_its_name(volunteer_api, make_business):
    business = make_business()
    url = f"/api/v1/businesses/{business.pk}/photos/"
    key = str(uuid.uuid4())
    first = volunteer_api.post(url, {"photo": _photo()}, headers={"Idempotency-Key": key})
    renamed = _photo()
    renamed.name = "IMG_0001.jpg"
    again = volunteer_api.post(url, {"photo": renamed}, headers={"Idempotency-Key": key})
    other = volunteer_api.post(url, {"photo": _photo("green")}, headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    assert again["Idempotent-Replayed"] == "true"
    assert business.photos.count() == 1


def test_an_expired_key_is_forgotten_and_purged(volunteer_api):
    from naikkelas.core.submissions import purge_submissions

    key = str(uuid.uuid4())
    volunteer_api.post("/api/v1/businesses/", NEW, format="json", headers={"Idempotency-Key": key})
    old = timezone.now() - datetime.timedelta(days=8)
    Submission.objects.update(created_at=old)
    again = volunteer_api.post("/api/v1/businesses/", NEW, format="json",
                               headers={"Idempotency-Key": key})  # fmt: skip
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Business.objects.count() == 2
    Submission.objects.update(created_at=old)
    purge_submissions.call()
    assert not Submission.objects.exists()


def test_a_claim_queues_one_purge_for_when_its_key_expires(volunteer_api):
    from django_tasks_db.models import DBTaskResult

    from naikkelas.core.submissions import purge_submissions

    for _ in range(2):
        volunteer_api.post("/api/v1/businesses/", NEW, format="json",
                           headers={"Idempotency-Key": str(uuid.uuid4())})  # fmt: skip
    queued = DBTaskResult.objects.filter(task_path=purge_submissions.module_path)
    assert queued.count() == 1
    assert queued.get().run_after > timezone.now() + datetime.timedelta(days=6)


def test_a_stale_edit_answers_409_with_the_current_values(volunteer_api, curator, make_business):
    business = make_business()
    version = business.version
    curated = services.update_business(curator, business, {"street": "Jl. Kurator 1"},
                                       expected_version=version)  # fmt: skip
    key = str(uuid.uuid4())
    stale = volunteer_api.patch(f"/api/v1/businesses/{business.pk}/",
                                {"street": "Jl. Relawan 9", "version": version}, format="json",
                                headers={"Idempotency-Key": key})  # fmt: skip
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "stale_edit" and body["detail"]
    current = body["current"]
    assert current["street"] == "Jl. Kurator 1" and current["version"] == curated.version
    assert {"owner_name", "owner_street", "gender", "location_accuracy", "rt"} <= set(current)
    assert Business.objects.get(pk=business.pk).street == "Jl. Kurator 1"
    # The conflict kept nothing: the edit rebased on the current version may use the key.
    kept = volunteer_api.patch(f"/api/v1/businesses/{business.pk}/",
                               {"street": "Jl. Relawan 9", "version": current["version"]},
                               format="json", headers={"Idempotency-Key": key})  # fmt: skip
    assert kept.status_code == 200 and kept.json()["street"] == "Jl. Relawan 9"


def test_a_part_of_a_business_answers_the_business_version_it_left(volunteer_api, make_business):
    business = make_business()
    answer = volunteer_api.post(f"/api/v1/businesses/{business.pk}/products/",
                                {"name": "Keripik"}, format="json")  # fmt: skip
    assert answer.status_code == 201
    assert answer.json()["business_version"] == _version(business) == business.version + 1


def test_the_browser_session_writes_with_the_csrf_header_only(volunteer):
    from conftest import PASSWORD

    browser = APIClient(enforce_csrf_checks=True)
    assert browser.login(username=volunteer.username, password=PASSWORD)
    refused = browser.post("/api/v1/businesses/", NEW, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert not Business.objects.exists()
    browser.get("/usaha/baru/")  # any page with a form sets the cookie
    token = browser.cookies["csrftoken"].value
    sent = browser.post("/api/v1/businesses/", NEW, format="json",
                        headers={"X-CSRFToken": token, "Idempotency-Key": str(uuid.uuid4())})  # fmt: skip
    assert sent.status_code == 201


def test_the_schema_documents_the_header_and_the_422(api_client, volunteer):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(volunteer)}")
    paths = api_client.get("/api/v1/schema/?format=json").json()["paths"]
    create = paths["/api/v1/businesses/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"] if p["in"] == "header"}
    assert create["responses"]["422"]
    assert "Idempotent-Replayed" in create["responses"]["201"]["headers"]
    assert "409" in paths["/api/v1/businesses/{id}/"]["patch"]["responses"]
    login = paths["/api/v1/auth/token/"]["post"]
    assert "Idempotency-Key" not in {p["name"] for p in login.get("parameters", [])}
    assert "parameters" not in paths["/api/v1/businesses/"]["get"] or "Idempotency-Key" not in {
        p["name"] for p in paths["/api/v1/businesses/"]["get"]["parameters"]
    }


@pytest.mark.usefixtures("reference_data")
def test_two_requests_with_one_key_at_the_same_instant_write_once(volunteer):
    from django.db import connection

    from naikkelas.registry.tests.test_concurrent_curators import _at_once

    if connection.vendor != "postgresql":
        # As in test_concurrent_curators: the suite's in-memory SQLite does not wait for
        # a lock; the file database in use does, and serialises the two writes anyway.
        pytest.skip("two writers at the same instant are exercised on PostgreSQL")
    clients = [_client(volunteer), _client(volunteer)]
    key = str(uuid.uuid4())

    def send(client: APIClient) -> tuple[int, str, bytes]:
        answer = client.post("/api/v1/businesses/", NEW, format="json",
                             headers={"Idempotency-Key": key})  # fmt: skip
        return answer.status_code, answer.get("Idempotent-Replayed", ""), answer.content

    results = _at_once(*(lambda c=c: send(c) for c in clients))
    assert sorted((status, replayed) for status, replayed, _body in results) == [
        (201, ""), (201, "true"),
    ]  # fmt: skip
    assert results[0][2] == results[1][2]
    assert Business.objects.filter(name="Keripik Sekali").count() == 1
    assert AuditEntry.objects.filter(action="business.created").count() == 1
