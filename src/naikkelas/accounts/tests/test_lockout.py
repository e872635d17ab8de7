"""Login throttling: failed logins lock an account out from one address, whichever of
its identifiers they used, on the login page and on the API token endpoint alike, until
the cool-off passes or an administrator resets it."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from conftest import PASSWORD
from naikkelas.portal import services as portal
from naikkelas.registry import services as registry

pytestmark = pytest.mark.django_db

LIMIT = 3
# django-axes's model, by name: the package ships no type information.
AccessAttempt = apps.get_model("axes", "AccessAttempt")


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _login(client, username, password, address="10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _token(api_client, username, password, address="10.0.0.7"):
    return api_client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_it_locks_the_login_page_after_the_configured_failures(client, volunteer):
    for _ in range(LIMIT - 1):
        response = _login(client, volunteer.username, "salah")
        assert response.status_code == 200
        assert "locked-out" not in response.content.decode()
    locked = _login(client, volunteer.username, "salah")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert 'id="locked-out"' in page
    assert "Terlalu banyak percobaan masuk yang gagal" in page
    assert "30 menit" in page
    # The right password does not get past the lockout either.
    refused = _login(client, volunteer.username, PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_says_it_in_english_too(client, volunteer):
    client.cookies["django_language"] = "en"
    for _ in range(LIMIT):
        response = _login(client, volunteer.username, "wrong")
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()


def test_it_locks_only_that_username_from_that_address(client, volunteer, curator):
    for _ in range(LIMIT):
        _login(client, volunteer.username, "salah")
    assert _login(client, curator.username, PASSWORD).status_code == 302
    client.logout()
    assert _login(client, volunteer.username, PASSWORD, address="10.0.0.8").status_code == 302


def test_it_forgets_failures_after_a_successful_login(client, volunteer):
    for _ in range(LIMIT - 1):
        _login(client, volunteer.username, "salah")
    assert _login(client, volunteer.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        _login(client, volunteer.username, "salah")
    assert _login(client, volunteer.username, PASSWORD).status_code == 302


def test_it_is_unlocked_by_an_administrator(client, volunteer):
    for _ in range(LIMIT):
        _login(client, volunteer.username, "salah")
    assert _login(client, volunteer.username, PASSWORD).status_code == 429
    call_command("axes_reset_username", volunteer.username)
    assert not AccessAttempt.objects.filter(username=volunteer.username).exists()
    assert _login(client, volunteer.username, PASSWORD).status_code == 302


def test_it_is_unlocked_when_the_cool_off_has_passed(client, volunteer, settings):
    for _ in range(LIMIT):
        _login(client, volunteer.username, "salah")
    assert _login(client, volunteer.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    assert _login(client, volunteer.username, PASSWORD).status_code == 302


def test_it_throttles_the_api_token_endpoint(api_client, volunteer):
    for _ in range(LIMIT - 1):
        assert _token(api_client, volunteer.username, "salah").status_code == 400
    locked = _token(api_client, volunteer.username, "salah")
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert "Terlalu banyak percobaan masuk" in locked.json()["detail"]
    assert _token(api_client, volunteer.username, PASSWORD).status_code == 429
    call_command("axes_reset")
    assert "token" in _token(api_client, volunteer.username, PASSWORD).json()


def test_failures_on_the_api_and_the_login_page_add_up(client, api_client, volunteer):
    for _ in range(LIMIT - 1):
        _token(api_client, volunteer.username, "salah")
    assert _login(client, volunteer.username, "salah").status_code == 429


def test_behind_a_proxy_it_counts_the_address_the_proxy_saw(client, volunteer, settings):
    settings.NAIKKELAS_PROXY_COUNT = 1
    proxy = "10.0.0.1"

    def login(password, forwarded):
        return client.post(
            reverse("login"),
            {"username": volunteer.username, "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # Whatever the client writes in front, the proxy appends the address it saw.
    for n in range(LIMIT):
        login("salah", f"192.0.2.{n}, 203.0.113.5")
    assert login(PASSWORD, "203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert login(PASSWORD, "203.0.113.6").status_code == 302


def test_without_a_proxy_a_forged_forwarded_address_does_not_help(client, volunteer):
    for n in range(LIMIT):
        client.post(
            reverse("login"),
            {"username": volunteer.username, "password": "salah"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert _login(client, volunteer.username, PASSWORD, address="198.51.100.9").status_code == 429


def test_without_a_cool_off_it_stays_locked_until_an_administrator_unlocks(
    client, volunteer, settings
):
    settings.AXES_COOLOFF_TIME = None
    for _ in range(LIMIT):
        response = _login(client, volunteer.username, "salah")
    page = response.content.decode()
    assert "minta administrator untuk membukanya" in page and "menit" not in page
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    assert _login(client, volunteer.username, PASSWORD).status_code == 429
    call_command("axes_reset_username", volunteer.username)
    assert _login(client, volunteer.username, PASSWORD).status_code == 302


# One counter per account, whichever identifier names it (issue 22, finding 3): owners sign
# in with their username, their e-mail address in any case, or their business's NIB.
OWNER_EMAIL = "pemilik-kecil@example.id"
OWNER_NIB = "1234567890123"


@pytest.fixture
def owner(client, curator, make_business):
    """An owner invited by a curator, who set their password through the invitation link."""
    business = make_business(nib=OWNER_NIB)
    registry.submit_business(curator, business)
    registry.verify_business(curator, business)
    user, link = portal.invite_owner(curator, business, OWNER_EMAIL)
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    return user


def test_every_identifier_of_an_account_adds_to_one_count(client, api_client, owner):
    assert _login(client, "PEMILIK-KECIL@example.id", "salah").status_code == 200
    assert _token(api_client, OWNER_NIB, "salah").status_code == 400
    assert _login(client, "Pemilik-kecil@Example.ID", "salah").status_code == 429
    for login in (owner.username, OWNER_EMAIL, OWNER_NIB, f" {OWNER_EMAIL.upper()} "):
        assert _login(client, login, PASSWORD).status_code == 429, login
        assert _token(api_client, login, PASSWORD).status_code == 429, login
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [owner.username]


def test_the_username_and_the_nib_count_together_on_the_api(client, api_client, owner):
    _token(api_client, owner.username, "salah")
    _token(api_client, OWNER_NIB, "salah")
    assert _token(api_client, OWNER_EMAIL.upper(), "salah").status_code == 429
    assert _login(client, OWNER_NIB, PASSWORD).status_code == 429


def test_a_success_under_any_identifier_clears_the_account_count(client, owner):
    for _ in range(LIMIT - 1):
        _login(client, OWNER_EMAIL.upper(), "salah")
    assert _login(client, owner.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert _login(client, OWNER_EMAIL.upper(), "salah").status_code == 200
    assert _login(client, OWNER_NIB, PASSWORD).status_code == 302


def test_an_administrator_unlocks_it_by_the_account_username(client, owner):
    for login in (OWNER_EMAIL.upper(), OWNER_NIB, OWNER_EMAIL):
        _login(client, login, "salah")
    assert _login(client, OWNER_EMAIL, PASSWORD).status_code == 429
    call_command("axes_reset_username", owner.username)
    assert _login(client, OWNER_EMAIL, PASSWORD).status_code == 302


def test_a_login_that_names_no_account_is_counted_trimmed_and_in_lower_case(client):
    for login in ("Nobody@Example.id", " nobody@example.id", "NOBODY@EXAMPLE.ID"):
        response = _login(client, login, "salah")
    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["nobody@example.id"]
