"""The API against its own OpenAPI schema: schemathesis generates requests from
/api/v1/schema/ for every operation and sends them, in process, to the WSGI app.

No answer may be a server error, and every status code and content type must be one the
schema declares. The caller is an administrator (the role that reaches every endpoint)
in a small demo city, so that lists, filters and workflows have something to work on.
Bounded and derandomized: the same requests on every run.
"""

import io
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import api_token
from naikkelas.accounts.models import User
from naikkelas.programs.models import Cohort, Enrolment, Milestone, Programme, Referral
from naikkelas.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 25


def _exercise(operation: Any, mode: GenerationMode, token: str) -> None:
    # One Hypothesis test per operation and mode, built here rather than with
    # schemathesis' pytest plugin: its fixture-loaded schema needs pytest internals that
    # pytest 9 removed, and a schema loaded at import would rebuild the city per operation.
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    run()


@pytest.fixture
def connection_kept_open() -> Any:
    # Django closes the connection when a request finishes, which would end the test's
    # transaction; Django's test client disconnects that handler, and so must we for
    # schemathesis' WSGI client.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("connection_kept_open")
def test_the_api_answers_as_its_schema_says() -> None:
    # The whole demo (programmes, cohorts, enrolments, referrals, milestones too), so
    # that every endpoint has records to work on.
    call_command("demo", businesses=400, seed=9, stdout=io.StringIO())
    assert all(m.objects.exists() for m in (Programme, Cohort, Enrolment, Referral, Milestone))
    token = api_token(User.objects.get(username="admin"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _exercise(operation, mode, token)
            except (AssertionError, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
