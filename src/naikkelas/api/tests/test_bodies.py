"""Request bodies that are not a JSON object, and errors nobody handled, answer in JSON.

Every write endpoint is taken from the URL conf, so an endpoint added later is covered
without being listed here. Each is called on a record of a small demo city (400
businesses, enough to have every kind of record), as an administrator, with bodies that
are valid JSON but not an object.
"""

import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from conftest import api_token
from naikkelas.accounts.models import User
from naikkelas.api.errors import server_error
from naikkelas.api.parsers import JSONObjectParser
from naikkelas.programs.models import Session

pytestmark = pytest.mark.django_db

NOT_OBJECTS = ["[]", '[{"business": 1}]', '"x"', "3", "true", "null"]
WRITES = ("post", "put", "patch")


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _write_endpoints() -> list[tuple[str, str, Any]]:
    """(route, method, view class) of every API write, without the `.json` suffix twins."""
    found = []
    for route, pattern in _routes(get_resolver().url_patterns):
        view = getattr(pattern.callback, "cls", None)
        if not route.startswith("api/") or view is None or "<format>" in route:
            continue
        actions = getattr(pattern.callback, "actions", None)
        methods = actions.keys() if actions else [m for m in WRITES if hasattr(view, m)]
        found += [(route, method, view) for method in methods if method in WRITES]
    return found


_PARAMETER = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _path(route: str, parameter: Any) -> str:
    return "/" + _PARAMETER.sub(parameter, route).replace("^", "").replace("$", "")


def _url(route: str, view: Any) -> str:
    """The route for a record the administrator can see."""
    ids = {"pk": lambda: view.serializer_class.Meta.model.objects.earliest("pk").pk,
           "session_id": lambda: Session.objects.earliest("pk").pk}  # fmt: skip
    return _path(route, lambda m: str(ids[m.group(1)]()))


def _documented(route: str) -> str:
    """The route as the OpenAPI schema names it (drf-spectacular calls `pk` `id`)."""
    return _path(route, lambda m: "{%s}" % ("id" if m.group(1) == "pk" else m.group(1)))


@pytest.fixture
def admin_api() -> APIClient:
    call_command("demo", businesses=400, seed=9, stdout=io.StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(User.objects.get(username='admin'))}")
    return client


def test_every_write_endpoint_refuses_a_body_that_is_not_an_object(admin_api):
    schema = admin_api.get("/api/v1/schema/?format=json").json()["paths"]
    endpoints = _write_endpoints()
    assert {("/api/v1/milestones/", "post"), ("/api/v1/businesses/{id}/", "patch"),
            ("/api/v1/auth/token/", "post")} <= {(_documented(r), m) for r, m, _v in endpoints}  # fmt: skip
    for route, method, view in endpoints:
        url = _url(route, view)
        documented = schema[_documented(route)][method]
        for body in NOT_OBJECTS:
            response = getattr(admin_api, method)(url, body, content_type="application/json")
            where = f"{method.upper()} {url} {body}"
            assert response["Content-Type"] == "application/json", where
            assert response.status_code < 500, where
            if "requestBody" not in documented:
                continue  # an action that takes no body does not read one
            assert response.status_code == 400, where
            answer = response.json()
            assert isinstance(answer, dict) and answer, where
            if JSONObjectParser in view.parser_classes:
                assert answer["code"] == "not_an_object", where


def test_it_answers_the_milestone_that_crashed_with_a_coded_translated_error(admin_api):
    for body in ("[]", '"x"', "3"):
        response = admin_api.post("/api/v1/milestones/", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json() == {
            "code": "not_an_object",
            "detail": "Isi permintaan harus berupa objek JSON.",
        }
    broken = admin_api.post("/api/v1/milestones/", '{"business": ', content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {
        "code": "invalid_json",
        "detail": "Isi permintaan bukan JSON yang sah.",
    }


def test_an_object_body_still_reaches_the_view(admin_api):
    response = admin_api.post(
        "/api/v1/milestones/", json.dumps({}), content_type="application/json"
    )
    assert response.status_code in (400, 404)
    assert response.json().get("code") != "not_an_object"


def test_an_unhandled_error_in_the_api_answers_json(curator, monkeypatch, settings):
    settings.DEBUG = False

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("naikkelas.api.views.BusinessViewSet.list", crash)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(curator)}")

    response = api.get("/api/v1/businesses/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "server_error", "detail": "Terjadi galat di server."}
    assert "boom" not in response.content.decode()


def test_a_server_error_on_a_page_keeps_the_html_page(rf):
    response = server_error(rf.get("/dashboard/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
