"""Every refusal of a field carries its code: one bad field per business write (and the
login), and the rules a client fetches to check before sending."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import BALEARJOSARI, NIK_MAN, NIK_WOMAN, api_token
from naikkelas.regions.models import Region
from naikkelas.registry import identifiers, services
from naikkelas.registry.models import Business

pytestmark = pytest.mark.django_db

BASE = {"name": "Keripik Sanan", "owner_name": "Sri", "kelurahan": BALEARJOSARI}


@pytest.fixture
def api(api_client, admin):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(admin)}")
    return api_client


def _codes(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    return [refusal["code"] for refusal in body["fields"][field]]


def test_it_answers_a_year_out_of_range_with_its_code_and_message(api):
    response = api.post("/api/v1/businesses/", {**BASE, "start_year": 1800}, format="json")
    assert _codes(response, "start_year") == ["year_range"]
    year = timezone.localdate().year
    assert response.json()["fields"]["start_year"][0]["message"] == (
        f"Masukkan tahun antara 1900 dan {year}."
    )
    assert not Business.objects.exists()


def test_it_answers_what_the_serializer_refuses_in_the_same_shape(api):
    response = api.post("/api/v1/businesses/", {**BASE, "rt": "x"}, format="json")
    assert _codes(response, "rt") == ["invalid"]
    missing = api.post("/api/v1/businesses/", {"name": "Keripik"}, format="json")
    assert _codes(missing, "kelurahan") == ["required"]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("nik", "123", "nik_format"), ("nib", "99", "nib_format"), ("kbli", "04000", "kbli_unknown"),
     ("phone", "+1 555 0100", "phone_country"), ("latitude", 95, "latitude_range"),
     ("founding_capital", 10**16, "amount_too_large"), ("rw", 1000, "rt_rw_range"),
     ("birth_date", "2999-01-01", "birth_date_range")],
)  # fmt: skip
def test_a_business_field_refused_by_its_rule_carries_the_rules_code(api, field, value, code):
    response = api.post("/api/v1/businesses/", {**BASE, field: value}, format="json")
    assert _codes(response, field) == [code]


def test_an_update_names_the_bad_field_and_the_missing_version(api, make_business):
    business = make_business()
    url = f"/api/v1/businesses/{business.pk}/"
    bad = api.patch(url, {"longitude": 200, "version": business.version}, format="json")
    assert _codes(bad, "longitude") == ["longitude_range"]
    assert _codes(api.put(url, {**BASE}, format="json"), "version") == ["required"]


def test_return_and_archive_name_the_missing_reason(api, curator, make_business):
    business = services.submit_business(curator, make_business())
    for verb in ("return", "archive"):
        response = api.post(f"/api/v1/businesses/{business.pk}/{verb}/", {}, format="json")
        assert _codes(response, "reason") == ["required"]
        blank = api.post(f"/api/v1/businesses/{business.pk}/{verb}/", {"reason": ""})
        assert _codes(blank, "reason") == ["blank"]


def test_submit_and_verify_out_of_turn_keep_the_workflow_code(api, make_business):
    business = make_business()
    verify = api.post(f"/api/v1/businesses/{business.pk}/verify/")
    assert verify.status_code == 400 and verify.json()["code"] == "invalid_transition"
    api.post(f"/api/v1/businesses/{business.pk}/submit/")
    again = api.post(f"/api/v1/businesses/{business.pk}/submit/")
    assert again.status_code == 400 and again.json()["code"] == "invalid_transition"


def test_the_login_names_the_missing_password(api_client, curator):
    response = api_client.post("/api/v1/auth/token/", {"username": curator.username})
    assert _codes(response, "password") == ["required"]


def _rules(api, body):
    response = api.get("/api/v1/rules/")
    assert response.status_code == 200
    return {r["code"]: r for r in response.json()["inputs"][body]}


def test_the_rules_need_a_login(api_client):
    assert api_client.get("/api/v1/rules/").status_code in (401, 403)


def test_the_rules_hold_both_languages_and_this_years_limit(api):
    answer = api.get("/api/v1/rules/").json()
    assert answer["languages"] == ["id", "en"]
    year = answer["inputs"]["BusinessWrite"]["start_year"][0]
    this_year = timezone.localdate().year
    assert year == {
        "code": "year_range",
        "message": {
            "id": f"Masukkan tahun antara 1900 dan {this_year}.",
            "en": f"Enter a year from 1900 to {this_year}.",
        },
        "min": 1900,
        "max": this_year,
    }
    name = {r["code"]: r for r in answer["inputs"]["BusinessWrite"]["name"]}
    assert name["max_length"]["max_length"] == Business._meta.get_field("name").max_length
    assert name["required"]["message"]["en"] == "This field is required."
    amounts = {r["code"]: r for r in answer["inputs"]["BusinessWrite"]["founding_capital"]}
    assert (amounts["amount_negative"]["min"], amounts["amount_too_large"]["max"]) == (0, 10**15)


NIK_SPELLINGS = [
    NIK_MAN, NIK_WOMAN, "3573 0112 0190 0001", f" {NIK_MAN}\t", "357301120190000", "35730112019000011",
    "3573O11201900001", "٣573011201900001", "3573-0112-0190-0001", "3573011201900001x",
]  # fmt: skip


def test_the_served_nik_pattern_refuses_exactly_what_the_server_calls_malformed(api):
    served = api.get("/api/v1/rules/").json()["inputs"]["BusinessWrite"]["nik"]
    assert [r["code"] for r in served] == ["nik_format", "nik_region", "nik_date", "nik_serial"]
    pattern = re.compile(served[0]["pattern"])
    kelurahan = Region.objects.get(code=BALEARJOSARI)
    for nik in NIK_SPELLINGS:
        try:
            identifiers.clean_nik(nik)
            well_formed = True
        except ValidationError as e:
            well_formed = e.code != "nik_format"
        assert bool(pattern.match(nik)) == well_formed, nik
        response = api.post(
            "/api/v1/businesses/",
            {"name": "Toko", "owner_name": "Sri", "kelurahan": kelurahan.code, "nik": nik},
            format="json",
        )
        codes = [] if response.status_code == 201 else _codes(response, "nik")
        assert ("nik_format" not in codes) == well_formed, nik


def test_every_write_body_in_the_schema_has_its_rules(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    bodies = {
        re.sub(r"^Patched|Request$", "", content["schema"]["$ref"].rsplit("/", 1)[1])
        for methods in schema["paths"].values()
        for operation in methods.values()
        for content in operation.get("requestBody", {}).get("content", {}).values()
    }
    assert bodies and bodies <= set(api.get("/api/v1/rules/").json()["inputs"])


def test_the_rules_of_one_body_are_asked_by_its_name(api):
    assert set(api.get("/api/v1/rules/?input=Reason").json()["inputs"]) == {"Reason"}
    assert _codes(api.get("/api/v1/rules/?input=Nothing"), "input") == ["invalid_choice"]
