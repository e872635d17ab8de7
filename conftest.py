"""Shared fixtures: the personas (one per role) and a way to register businesses.

Regions come from the data migration, so every test database has the real table.
"""

import os
from typing import Any

import pytest
from django.conf import settings

BALEARJOSARI = "35.73.01.1001"  # Blimbing
BUNULREJO = "35.73.01.1006"  # Blimbing
SUKUN_KELURAHAN = "35.73.04.1005"  # Sukun, kecamatan Sukun
PASSWORD = "test-pass-123"
# Test NIKs: real kecamatan (35.73.01, Blimbing), real birth dates, men and women (+40).
NIK_MAN = "3573011201900001"
NIK_WOMAN = "3573015203850002"


def pytest_configure(config: Any) -> None:
    # Fixed keys, so a failure is reproducible and no key file is written by the suite.
    settings.NAIKKELAS_PII_KEY = "sSmDp2mFfy2E0ryqUQ6u3cGa8A5Tl2bOq2q5mNa6oQs="
    settings.NAIKKELAS_INDEX_KEY = "Zl6KqQy2k1dn2A6mMUN3pN8JqvQfE3qH7eS5rXb8mTg="
    # Hashing strength is not under test; PBKDF2 would make each persona cost ~0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    outcome = yield
    report = outcome.get_result()
    # CI runs with NAIKKELAS_REQUIRE_ALL=1: nothing may silently skip on PostgreSQL.
    if report.skipped and os.environ.get("NAIKKELAS_REQUIRE_ALL") == "1":
        report.outcome = "failed"
        report.longrepr = f"skipped under NAIKKELAS_REQUIRE_ALL: {report.longrepr}"


@pytest.fixture(autouse=True)
def _var_dir(settings: Any, tmp_path: Any) -> None:
    # Uploads, job files and progress go to the test's own folder, never to ./var.
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """For tests that commit (a live server, the job worker): the flush after every such
    test empties the Region table and the default policies the data migrations loaded,
    so put them back first."""
    from naikkelas.graduation.defaults import ensure_default_policies
    from naikkelas.graduation.models import ReadinessCriterion, ReadinessPolicy, SizePolicy
    from naikkelas.regions.loading import load_regions
    from naikkelas.regions.models import Region

    if not Region.objects.filter(code=BALEARJOSARI).exists():
        load_regions()
    ensure_default_policies(SizePolicy, ReadinessPolicy, ReadinessCriterion)


def _user(username: str, role: str, kelurahan: tuple[str, ...] = ()) -> Any:
    from naikkelas.accounts.models import User

    user = User.objects.create_user(username, password=PASSWORD, role=role)
    if kelurahan:
        from naikkelas.regions.models import Region

        user.kelurahan.set(Region.objects.filter(code__in=kelurahan))
    return user


@pytest.fixture
def admin(db: Any) -> Any:
    return _user("admin-t", "admin")


@pytest.fixture
def curator(db: Any) -> Any:
    return _user("kurator-t", "curator")


@pytest.fixture
def manager(db: Any) -> Any:
    return _user("pengelola-t", "manager")


@pytest.fixture
def leader(db: Any) -> Any:
    return _user("pimpinan-t", "leader")


@pytest.fixture
def volunteer(db: Any) -> Any:
    """Sahabat UMKM of Balearjosari."""
    return _user("sahabat-3573011001", "volunteer", (BALEARJOSARI,))


@pytest.fixture
def sukun_volunteer(db: Any) -> Any:
    return _user("sahabat-3573041005", "volunteer", (SUKUN_KELURAHAN,))


@pytest.fixture
def bank(db: Any) -> Any:
    return _user("bank-t", "bank")


@pytest.fixture
def owner_user(db: Any) -> Any:
    return _user("pemilik-t", "owner")


@pytest.fixture
def make_business(db: Any, admin: Any) -> Any:
    """Register a business through the service, as an administrator would."""
    from naikkelas.regions.models import Region
    from naikkelas.registry import services

    counter = iter(range(1, 10_000))

    def make(kelurahan: str = BALEARJOSARI, **fields: Any) -> Any:
        n = next(counter)
        data = {
            "name": f"Keripik Tempe {n}",
            "owner_name": f"Siti Aminah {n}",
            "kelurahan": Region.objects.get(code=kelurahan),
            "kbli": "10792",
            "rw": 2,
            "rt": 3,
        }
        data.update(fields)
        return services.create_business(admin, data)

    return make


def api_token(user: Any) -> str:
    """A new API token's key for the user, to send as `Authorization: Token <key>`."""
    from naikkelas.accounts.models import ApiToken

    return ApiToken.objects.issue(user)[1]


@pytest.fixture
def api_client() -> Any:
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def pinned_queries() -> Any:
    """`pinned_queries(expected, fetch)`: `fetch()` answers 200 with exactly `expected`
    database queries. Pages pin their count, so that an N+1 query or a new lookup per
    request fails a test and has to be argued for in the diff that changes the number."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def check(expected: int, fetch: Any) -> None:
        with CaptureQueriesContext(connection) as queries:
            response = fetch()
        assert response.status_code == 200, response.status_code
        sent = [q["sql"] for q in queries.captured_queries]
        assert len(sent) == expected, "\n".join([f"{len(sent)} queries:", *sent])

    return check
