"""The accuracy of a position (issue 20, part 6): kept with the business's, the visit's
and the complaint's position, checked by its rule, and a doubtful one flagged for the
curator (wider than 100 m, or exactly 0: no real GPS fix reports that)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import BALEARJOSARI, api_token
from naikkelas.engagement.models import Complaint, Visit
from naikkelas.registry import services

pytestmark = pytest.mark.django_db

WIDE = "Lokasi kurang akurat (± 250 m)"
FAKE = "Akurasi lokasi 0 m: kemungkinan lokasi palsu"


@pytest.fixture
def volunteer_api(api_client, volunteer):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(volunteer)}")
    return api_client


def test_it_keeps_the_accuracy_the_phone_sent(volunteer_api):
    body = {"name": "Warung Akurat", "owner_name": "Ani", "kelurahan": BALEARJOSARI,
            "latitude": "-7.912345", "longitude": "112.654321", "location_accuracy": 12.5}  # fmt: skip
    answer = volunteer_api.post("/api/v1/businesses/", body, format="json")
    assert answer.status_code == 201
    assert answer.json()["location_accuracy"] == 12.5


@pytest.mark.parametrize("accuracy", [-1, 100_001])
@pytest.mark.parametrize("path", ["/api/v1/businesses/", "/api/v1/visits/", "/api/v1/complaints/"])
def test_an_impossible_accuracy_is_refused_with_its_code(volunteer_api, path, accuracy):
    bodies = {
        "/api/v1/businesses/": {"name": "Warung", "owner_name": "Ani", "kelurahan": BALEARJOSARI},
        "/api/v1/visits/": {"kind": "sahabat", "held_on": "2025-01-15", "kelurahan": BALEARJOSARI,
                            "place": "Balai RW 2", "visitors": "Ani"},
        "/api/v1/complaints/": {"category": "permodalan", "text": "Butuh modal",
                                "kelurahan": BALEARJOSARI},
    }  # fmt: skip
    answer = volunteer_api.post(
        path, {**bodies[path], "location_accuracy": accuracy}, format="json"
    )
    assert answer.status_code == 400
    assert [e["code"] for e in answer.json()["fields"]["location_accuracy"]] == ["accuracy_range"]
    assert not Visit.objects.exists() and not Complaint.objects.exists()


def test_visits_and_complaints_keep_their_position(volunteer_api):
    visit = volunteer_api.post("/api/v1/visits/", {
        "kind": "sahabat", "held_on": "2025-01-15", "kelurahan": BALEARJOSARI,
        "place": "Balai RW 2", "visitors": "Ani", "latitude": "-7.9", "longitude": "112.6",
        "location_accuracy": 30,
    }, format="json")  # fmt: skip
    complaint = volunteer_api.post("/api/v1/complaints/", {
        "category": "permodalan", "text": "Butuh modal", "visit": visit.json()["id"],
        "location_accuracy": 0,
    }, format="json")  # fmt: skip
    assert (visit.status_code, complaint.status_code) == (201, 201)
    assert Visit.objects.get().location_accuracy == 30
    assert str(Visit.objects.get().latitude) == "-7.900000"
    assert Complaint.objects.get().location_accuracy == 0


def test_the_web_forms_take_the_accuracy(client, volunteer, make_business):
    client.force_login(volunteer)
    business = make_business()
    form = {"name": business.name, "owner_name": "Siti", "kelurahan": BALEARJOSARI,
            "version": business.version, "location_accuracy": "250", "not_a_duplicate": "on"}  # fmt: skip
    for paid in ("paid", "unpaid"):
        for who in ("male", "female", "disabled_male", "disabled_female"):
            form[f"{paid}_{who}"] = "0"
    edited = client.post(reverse("business_edit", args=[business.pk]), form)
    assert edited.status_code == 302, edited.content
    business.refresh_from_db()
    assert business.location_accuracy == 250
    visit = client.post(reverse("visit_create"), {
        "kind": "sahabat", "held_on": "2025-01-15", "kelurahan": BALEARJOSARI,
        "place": "Balai RW 2", "visitors": "Ani", "location_accuracy": "-3",
    })  # fmt: skip
    assert visit.status_code == 200 and not Visit.objects.exists()
    assert "Akurasi lokasi harus antara 0 dan 100000 meter." in visit.content.decode()


@pytest.mark.parametrize(
    "accuracy,warning",
    [(250, WIDE), (0, FAKE), (100, None), (12.5, None), (None, None)],
)
def test_the_curator_sees_a_doubtful_position_flagged(
    client, curator, volunteer, make_business, accuracy, warning
):
    business = make_business(latitude=Decimal("-7.912345"), longitude=Decimal("112.654321"),
                             location_accuracy=accuracy)  # fmt: skip
    services.submit_business(volunteer, business)
    client.force_login(curator)
    pages = [
        client.get(reverse("business_detail", args=[business.pk])).content.decode(),
        client.get(reverse("curation_queue")).content.decode(),
    ]
    for page in pages:
        for text in (WIDE, FAKE):
            assert (text in page) == (text == warning)


def test_the_rules_serve_the_accuracy_rule(api_client, volunteer):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(volunteer)}")
    inputs = api_client.get("/api/v1/rules/").json()["inputs"]
    for body in ("BusinessWrite", "VisitWrite", "ComplaintWrite"):
        rule = next(r for r in inputs[body]["location_accuracy"] if r["code"] == "accuracy_range")
        assert (rule["min"], rule["max"]) == (0, 100_000), body
        assert rule["message"]["id"] == "Akurasi lokasi harus antara 0 dan 100000 meter."
    assert {"FinancialRecordWrite", "Legality", "Product", "PhotoUpload"} <= set(inputs)
    assert inputs["FinancialRecordWrite"]["year"][0]["code"] == "year_range"
