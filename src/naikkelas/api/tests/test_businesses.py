import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import BALEARJOSARI, NIK_MAN, NIK_WOMAN, PASSWORD, SUKUN_KELURAHAN, api_token
from naikkelas.registry import services
from naikkelas.registry.models import Business, Status

pytestmark = pytest.mark.django_db


def _auth(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return api_client


def test_it_exchanges_credentials_for_a_token(api_client, volunteer):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": volunteer.username, "password": PASSWORD}
    )
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/businesses/").status_code == 200
    bad = api_client.post(
        "/api/v1/auth/token/", {"username": volunteer.username, "password": "salah"}
    )
    assert bad.status_code == 400


def test_items_carry_the_contract_fields_with_masked_nik(api_client, curator, make_business):
    business = make_business(nik=NIK_WOMAN, phone="081234567890", nib="1234567890123")
    item = _auth(api_client, curator).get(f"/api/v1/businesses/{business.pk}/").json()
    for key in ("id", "source_id", "name", "nib", "kelurahan", "status", "size_class",
                "reported_size_class", "readiness", "nik"):  # fmt: skip
        assert key in item
    assert item["nik"] == "************0002"
    assert item["phone"] == "08******7890"
    assert item["kelurahan"] == BALEARJOSARI
    assert item["status"] == "draft"
    assert item["reported_size_class"] is None
    body = api_client.get("/api/v1/businesses/").content.decode()
    assert NIK_WOMAN not in body and "81234567890" not in body


def test_it_filters(api_client, curator, make_business):
    make_business(kelurahan=BALEARJOSARI, reported_size_class="micro")
    sukun = make_business(kelurahan=SUKUN_KELURAHAN)
    services.submit_business(curator, sukun)
    api = _auth(api_client, curator)

    def count(query):
        return api.get(f"/api/v1/businesses/?{query}").json()["count"]

    assert count(f"kelurahan={BALEARJOSARI}") == 1
    assert count("kecamatan=35.73.04") == 1
    assert count("status=submitted") == 1
    assert count("reported_size_class=micro") == 1
    assert count("") == 2
    assert api.get("/api/v1/businesses/?status=bogus").status_code == 400


def test_q_finds_a_business_by_name_or_by_nib_as_the_web_list_does(
    api_client, curator, make_business
):
    keripik = make_business(name="Keripik Sanan", nib="1234567890123")
    make_business(name="Rotan Mandiri", nib="1234567890124")
    api = _auth(api_client, curator)

    def found(q):
        return [b["id"] for b in api.get("/api/v1/businesses/", {"q": q}).json()["results"]]

    assert found("1234567890123") == [keripik.pk]
    assert found("sanan") == [keripik.pk]
    assert found("12345678901") == []


def test_a_volunteer_gets_404_outside_their_kelurahan(api_client, volunteer, make_business):
    sukun = make_business(kelurahan=SUKUN_KELURAHAN)
    assert _auth(api_client, volunteer).get(f"/api/v1/businesses/{sukun.pk}/").status_code == 404


def test_it_creates_updates_and_runs_the_workflow(api_client, volunteer, curator):
    api = _auth(api_client, volunteer)
    created = api.post(
        "/api/v1/businesses/",
        {"name": "Rotan Mandiri", "owner_name": "Slamet", "kelurahan": BALEARJOSARI,
         "nik": NIK_MAN, "phone": "+62 812 1111 2222", "kbli": "16291", "rt": 1, "rw": 2},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["nik"] == "************0001" and item["sector"] == "C"
    url = f"/api/v1/businesses/{item['id']}/"
    updated = api.patch(url, {"street": "Jl. Tenaga 3", "version": item["version"]}, format="json")
    assert updated.status_code == 200 and updated.json()["street"] == "Jl. Tenaga 3"
    stale = api.patch(url, {"street": "Lama", "version": item["version"]}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"
    assert api.post(url + "submit/").json()["status"] == "submitted"
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(curator)}")
    assert api_client.post(url + "return/", {}, format="json").status_code == 400
    returned = api_client.post(url + "return/", {"reason": "Foto kurang"}, format="json").json()
    assert (returned["status"], returned["status_reason"]) == ("returned", "Foto kurang")
    assert Business.objects.get(pk=item["id"]).street == "Jl. Tenaga 3"


def test_bad_input_is_refused_whole(api_client, volunteer):
    api = _auth(api_client, volunteer)
    base = {"name": "X", "owner_name": "Y", "kelurahan": BALEARJOSARI}
    unparsable = api.post(
        "/api/v1/businesses/", {**base, "founding_capital": -5, "rt": "x"}, format="json"
    )
    assert unparsable.status_code == 400
    assert {"founding_capital", "rt"} <= set(unparsable.json()["fields"])
    invalid = api.post(
        "/api/v1/businesses/",
        {**base, "nik": "123", "nib": "99", "latitude": 200, "kbli": "04000"},
        format="json",
    )
    assert invalid.status_code == 400
    assert {"nik", "nib", "latitude", "kbli"} <= set(invalid.json()["fields"])
    assert Business.objects.count() == 0


def test_the_list_makes_a_constant_number_of_queries(api_client, curator, make_business):
    api = _auth(api_client, curator)
    make_business()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/businesses/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(12):
        make_business()
    assert queries() == few


def test_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/businesses/" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "https://" not in docs


def test_verify_marks_the_record_verified(api_client, curator, make_business):
    business = make_business()
    services.submit_business(curator, business)
    response = _auth(api_client, curator).post(f"/api/v1/businesses/{business.pk}/verify/")
    assert response.json()["status"] == "verified"
    assert Business.objects.get(pk=business.pk).status == Status.VERIFIED
