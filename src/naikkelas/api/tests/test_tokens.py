"""API tokens (issue 22, finding 7 and part of 2): the database keeps only a hash of each
token, a token expires, and a password change, by whatever path, revokes every token of
the account."""

import datetime

import pytest
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from conftest import PASSWORD
from naikkelas.accounts.models import User

pytestmark = pytest.mark.django_db

TTL_HOURS = 6


@pytest.fixture(autouse=True)
def _ttl(settings):
    settings.NAIKKELAS_API_TOKEN_TTL_HOURS = TTL_HOURS


def _token(api_client, login, password=PASSWORD):
    response = api_client.post("/api/v1/auth/token/", {"username": login, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def _list(api_client, key):
    return api_client.get("/api/v1/businesses/", HTTP_AUTHORIZATION=f"Token {key}")


def test_it_keeps_no_clear_token_in_the_database(api_client, volunteer):
    key = _token(api_client, volunteer.username)["token"]
    assert _list(api_client, key).status_code == 200
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Every table, its name quoted: from the database's own catalogue.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert not any(key in str(value) for row in cursor.fetchall() for value in row), table


def test_each_request_gets_its_own_token(api_client, volunteer):
    first = _token(api_client, volunteer.username)["token"]
    second = _token(api_client, volunteer.username)["token"]
    assert first != second
    assert _list(api_client, first).status_code == 200
    assert _list(api_client, second).status_code == 200


def test_it_says_when_the_token_expires(api_client, volunteer):
    before = timezone.now()
    expires = datetime.datetime.fromisoformat(_token(api_client, volunteer.username)["expires"])
    ttl = datetime.timedelta(hours=TTL_HOURS)
    assert before + ttl <= expires <= timezone.now() + ttl


def test_an_expired_token_is_refused(api_client, volunteer, monkeypatch):
    key = _token(api_client, volunteer.username)["token"]
    issued = timezone.now()

    def at(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    at(issued + datetime.timedelta(hours=TTL_HOURS, minutes=-1))
    assert _list(api_client, key).status_code == 200
    at(issued + datetime.timedelta(hours=TTL_HOURS, minutes=1))
    refused = _list(api_client, key)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"
    assert "kedaluwarsa" in refused.json()["detail"]


def test_an_unknown_token_is_refused(api_client, volunteer):
    assert _list(api_client, "not-a-token").status_code == 401


def _set_password_form(user, password):
    # The form of the invitation page and of Django's password reset.
    form = SetPasswordForm(user, {"new_password1": password, "new_password2": password})
    assert form.is_valid(), form.errors
    form.save()


def _password_change_form(user, password):
    form = PasswordChangeForm(
        user, {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    )
    assert form.is_valid(), form.errors
    form.save()


def _set_password(user, password):
    # The shell and `changepassword`.
    user.set_password(password)
    user.save()


def _update(user, password):
    # Not through the model at all: no save(), no signal.
    User.objects.filter(pk=user.pk).update(password=make_password(password))


@pytest.mark.parametrize(
    "change", [_set_password_form, _password_change_form, _set_password, _update]
)
def test_a_password_change_revokes_every_token_of_the_account(
    api_client, volunteer, curator, change
):
    keys = [_token(api_client, volunteer.username)["token"] for _ in range(2)]
    other = _token(api_client, curator.username)["token"]
    change(User.objects.get(pk=volunteer.pk), PASSWORD + "-baru")
    for key in keys:
        assert _list(api_client, key).status_code == 401
    assert _list(api_client, other).status_code == 200
    fresh = _token(api_client, volunteer.username, PASSWORD + "-baru")["token"]
    assert _list(api_client, fresh).status_code == 200


def test_other_changes_to_the_account_keep_its_tokens(client, api_client, volunteer):
    key = _token(api_client, volunteer.username)["token"]
    volunteer.first_name = "Budi"
    volunteer.save()
    assert (
        client.post(
            "/accounts/login/", {"username": volunteer.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    assert _list(api_client, key).status_code == 200


def test_a_deactivated_account_cannot_use_its_token(api_client, volunteer):
    key = _token(api_client, volunteer.username)["token"]
    User.objects.filter(pk=volunteer.pk).update(is_active=False)
    assert _list(api_client, key).status_code == 401
