"""The plumbing other tools rely on: the console command, deploy checks, logs, formatting."""

import logging
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from conftest import NIK_WOMAN, PASSWORD
from naikkelas.core import pii
from naikkelas.core.templatetags.naikkelas import rupiah


def _cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "naikkelas", *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False,
    )  # fmt: skip


def test_it_formats_rupiah():
    assert rupiah(1_500_000) == "Rp1.500.000"
    assert rupiah(0) == "Rp0"
    assert rupiah(None) == "—"


def test_it_masks_personal_data():
    assert pii.mask_nik("3573015203850002") == "************0002"
    assert pii.mask_phone("+6281234561234") == "08******1234"
    assert pii.mask_phone("") == ""


def test_encryption_round_trips_and_the_index_is_keyed():
    token = pii.encrypt(NIK_WOMAN)
    assert NIK_WOMAN not in token
    assert pii.decrypt(token) == NIK_WOMAN
    assert pii.encrypt(NIK_WOMAN) != token  # random IV: equal NIKs are not linkable
    assert pii.blind_index(NIK_WOMAN) == pii.blind_index(NIK_WOMAN)
    assert pii.blind_index(NIK_WOMAN) != pii.blind_index("3573011201900001")


def test_it_still_reads_values_encrypted_with_fernet_and_refuses_tampered_ones():
    # Owners written before AES-GCM hold Fernet tokens under the same key.
    legacy = pii._fernet().encrypt(NIK_WOMAN.encode()).decode()
    assert pii.decrypt(legacy) == NIK_WOMAN
    token = pii.encrypt(NIK_WOMAN)
    assert token.startswith(pii.GCM_PREFIX) and not legacy.startswith(pii.GCM_PREFIX)
    # A character inside the ciphertext: its six bits are all data (the last character
    # before the padding carries spare bits that base64 ignores).
    at = len(pii.GCM_PREFIX) + 20
    flipped = token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1 :]
    assert pii.decrypt(flipped) == ""
    assert pii.decrypt(pii.GCM_PREFIX + "not base64!") == ""


@pytest.mark.django_db
def test_createsuperuser_makes_an_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", "--username", "root-t", "--email", "r@example.org")
    user = get_user_model().objects.get(username="root-t")
    assert user.role == "admin" and user.is_superuser and user.check_password(PASSWORD)


@pytest.mark.django_db
def test_no_personal_data_reaches_the_logs(client, curator, make_business, caplog):
    caplog.set_level(logging.DEBUG)
    business = make_business(nik=NIK_WOMAN, phone="081234567890")
    client.login(username=curator.username, password=PASSWORD)
    client.get(f"/usaha/{business.pk}/")
    client.get("/api/v1/businesses/")
    client.post("/usaha/baru/", {"name": "", "nik": "3573015203850002x"})
    assert NIK_WOMAN not in caplog.text and "81234567890" not in caplog.text


def test_the_console_command_wraps_manage_py():
    result = _cli("help")
    assert result.returncode == 0
    for command in ("migrate", "load_regions", "genkey"):
        assert command in result.stdout


def test_the_deploy_check_refuses_missing_keys_and_passes_when_configured(tmp_path):
    production = {
        "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 20 + "very-long-production-secret-key-0123456789",
        "DJANGO_ALLOWED_HOSTS": "umkm.malangkota.go.id", "NAIKKELAS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "NAIKKELAS_PII_KEY": "", "NAIKKELAS_INDEX_KEY": "",
    }  # fmt: skip
    missing = _cli("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert missing.returncode != 0 and "NAIKKELAS_PII_KEY" in missing.stderr
    keys = dict(line.split("=", 1) for line in _cli("genkey").stdout.split())
    ok = _cli("check", "--deploy", "--fail-level", "WARNING", env={**production, **keys})
    assert ok.returncode == 0, ok.stderr
