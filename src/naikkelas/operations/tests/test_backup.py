"""Backup and restore on the database the suite runs on (SQLite, or PostgreSQL with
DATABASE_URL): a demo city backed up, wiped, restored, and every table compared by row
count and checksum. These tests commit (pg_dump sees only committed rows): `reference_data`."""

import sqlite3
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from naikkelas.accounts.models import User
from naikkelas.core import pii
from naikkelas.demo.city import build_demo_city
from naikkelas.graduation.engine import recompute
from naikkelas.operations.backup import fingerprint
from naikkelas.registry.models import Business, Owner

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def city():
    build_demo_city(60, 7)
    recompute()


def test_it_restores_every_table_as_it_was_backed_up(city, tmp_path):
    before = fingerprint()
    assert before["registry_business"].rows == 60
    assert before["regions_region"].rows > 90_000
    path = tmp_path / "naikkelas.backup"
    out = StringIO()
    call_command("backup", path, stdout=out)
    assert f"Backed up the {connection.vendor} database to {path}" in out.getvalue()

    # Everything gone, and something new that the restore must undo.
    call_command("flush", "--noinput")
    User.objects.create_user("dibuat-setelah-cadangan")
    assert fingerprint() != before

    out = StringIO()
    call_command("restore", path, "--noinput", stdout=out)
    after = fingerprint()
    assert after == before
    assert not User.objects.filter(username="dibuat-setelah-cadangan").exists()
    assert f"{len(before)} tables" in out.getvalue()
    assert Business.objects.count() == 60


def test_a_restore_replaces_changes_made_after_the_backup(city, tmp_path):
    path = tmp_path / "naikkelas.backup"
    call_command("backup", path)
    before = fingerprint()
    business = Business.objects.order_by("pk").first()
    Business.objects.filter(pk=business.pk).update(name="Diubah Setelah Cadangan")
    Business.objects.exclude(pk=business.pk).filter(pk__gt=business.pk + 30).delete()
    call_command("restore", path, "--noinput", stdout=StringIO())
    assert fingerprint() == before
    assert Business.objects.get(pk=business.pk).name == business.name


def test_the_backup_holds_no_key_and_no_plaintext_personal_data(city, tmp_path, settings):
    niks = {o.nik for o in Owner.objects.exclude(nik_encrypted="")}
    phones = {o.phone for o in Owner.objects.exclude(phone_encrypted="")}
    assert len(niks) > 10 and len(phones) > 10
    path = tmp_path / "naikkelas.backup"
    call_command("backup", path)
    content = path.read_bytes()
    for secret in (settings.NAIKKELAS_PII_KEY, settings.NAIKKELAS_INDEX_KEY):
        assert secret.encode() not in content
    if connection.vendor == "sqlite":  # pg_dump's custom format is compressed
        assert not any(nik.encode() in content for nik in niks)

    call_command("flush", "--noinput")
    call_command("restore", path, "--noinput", stdout=StringIO())
    stored = list(Owner.objects.values_list("nik_encrypted", "nik_index", "phone_encrypted"))
    assert len(stored) == Owner.objects.count() > 10
    for row in stored:
        assert not any(nik in cell for cell in row for nik in niks)
        assert not any(phone[3:] in cell for cell in row for phone in phones)
    # With its own key the restored registry reads; with any other key it does not.
    assert {o.nik for o in Owner.objects.exclude(nik_encrypted="")} == niks
    settings.NAIKKELAS_PII_KEY = Fernet.generate_key().decode()
    pii.forget_keys()
    try:
        assert {o.nik for o in Owner.objects.exclude(nik_encrypted="")} == {""}
    finally:
        pii.forget_keys()


def test_it_refuses_a_file_that_is_not_a_backup_of_this_kind_of_database(city, tmp_path):
    before = fingerprint()
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        sqlite3.connect(other).close()
        other.write_bytes(b"PGDMP" + b"\0" * 100)
    else:
        db = sqlite3.connect(other)
        db.execute("CREATE TABLE t (x)")
        db.commit()
        db.close()
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", other, "--noinput")
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", tmp_path / "missing.backup", "--noinput")
    assert fingerprint() == before
