import pytest

from conftest import api_token

pytestmark = pytest.mark.django_db


def test_it_answers_an_unmatched_api_url_in_json(api_client, curator):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(curator)}")
    # The router's ids have no dot: no route matches, yet the client still gets JSON.
    response = api_client.get("/api/v1/cohorts/2.5e-245/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_web_pages_keep_the_html_not_found_page(client, curator):
    client.force_login(curator)
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_api_url_without_its_slash_is_still_redirected(api_client):
    assert api_client.get("/api/v1/businesses").status_code == 301


def test_the_schema_documents_whole_lists_where_the_api_sends_them(api_client):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    for path in ("/api/v1/cohorts/{id}/members/", "/api/v1/programs/{id}/sessions/"):
        answer = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert answer["schema"]["type"] == "array", path


def test_the_schema_documents_the_login_lockout(api_client):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    locked = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]["429"]
    assert locked["content"]["application/json"]["schema"]["properties"]["code"]["enum"] == [
        "locked_out"
    ]


def test_the_schema_lets_a_business_have_no_legal_form_yet(api_client):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    legal_form = schema["components"]["schemas"]["Business"]["properties"]["legal_form"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in legal_form["oneOf"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,field",
    [("/api/v1/referrals/", "bank"), ("/api/v1/businesses/", "kelurahan"),
     ("/api/v1/visits/", "kelurahan")],
)  # fmt: skip
def test_a_code_with_a_nul_character_is_refused_not_a_server_error(admin, path, field):
    """PostgreSQL cannot look such text up at all (the schema fuzz test found it)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(admin)}")
    answer = client.post(path, {field: "35.73\x00"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["fields"][field][0]["code"] == "does_not_exist"
