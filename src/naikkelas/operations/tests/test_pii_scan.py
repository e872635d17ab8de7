"""The scan for plaintext NIK and phone numbers: a clean demo city and its exports scan
clean; a NIK or phone number planted in a table or in an export file is found, reported
masked, and fails the command."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from conftest import NIK_MAN, NIK_WOMAN
from naikkelas.demo.city import build_demo_city
from naikkelas.intake.tests.sidt import damaged_workbook
from naikkelas.operations.piiscan import scan
from naikkelas.registry.models import Business, LegalityDocument, LegalityKind, Owner

pytestmark = pytest.mark.django_db

PHONE = "0812-3456-7890"


@pytest.fixture
def city():
    build_demo_city(60, 7)


def _exports(client, curator, folder):
    client.force_login(curator)
    for export_format in ("csv", "xlsx"):
        response = client.get(reverse("business_list") + f"?format={export_format}")
        assert response.status_code == 200
        (folder / f"usaha.{export_format}").write_bytes(response.content)
    return folder


def test_it_finds_nothing_in_a_clean_demo_and_its_exports(city, client, curator, tmp_path):
    assert Owner.objects.exclude(nik_encrypted="").count() > 10
    report = scan([_exports(client, curator, tmp_path)])
    assert report.findings == []
    assert report.files == 2
    assert report.columns > 20 and report.values > 1000
    out = StringIO()
    call_command("scan_pii", str(tmp_path), stdout=out)
    assert "0 plaintext NIK or phone numbers found" in out.getvalue()


def test_it_finds_a_nik_planted_in_a_table(city):
    owner = Owner.objects.exclude(nik_encrypted="").order_by("pk").first()
    # A NIK written past the encryption, straight into the ciphertext column.
    Owner.objects.filter(pk=owner.pk).update(nik_encrypted=NIK_MAN)
    business = Business.objects.order_by("pk").first()
    Business.objects.filter(pk=business.pk).update(
        status_reason=f"Pemilik bisa dihubungi di {PHONE}, NIK {NIK_WOMAN}."
    )
    found = {(f.kind, f.where, f.value) for f in scan().findings}
    assert found == {
        ("nik", f"registry_owner.nik_encrypted #{owner.pk}", "************0001"),
        ("nik", f"registry_business.status_reason #{business.pk}", "************0002"),
        ("phone", f"registry_business.status_reason #{business.pk}", "08******7890"),
    }


def test_it_finds_a_nik_and_a_phone_in_export_files(db, tmp_path):
    (tmp_path / "ekspor.csv").write_text(
        f"nama,nik,hp\nKeripik Sanan,{NIK_MAN},************0002\nTempe,,{PHONE}\n"
    )
    book = Workbook()
    book.active.append(["nama", "nik", "hp"])
    book.active.append(["Rotan", int(NIK_WOMAN), "+62 812 9876 5432"])
    book.save(tmp_path / "ekspor.xlsx")
    (tmp_path / "server.log").write_text("INFO ok\nWARNING owner 6281298765432 saved\n")
    (tmp_path / "gambar.png").write_bytes(NIK_MAN.encode())  # not a text export: skipped
    found = {(f.kind, f.where, f.value) for f in scan([tmp_path], database=False).findings}
    assert found == {
        ("nik", f"{tmp_path / 'ekspor.csv'}:2", "************0001"),
        ("phone", f"{tmp_path / 'ekspor.csv'}:3", "08******7890"),
        ("nik", f"{tmp_path / 'ekspor.xlsx'}!Sheet!2", "************0002"),
        ("phone", f"{tmp_path / 'ekspor.xlsx'}!Sheet!2", "08******5432"),
        ("phone", f"{tmp_path / 'server.log'}:2", "08******5432"),
    }


def test_it_ignores_numbers_that_are_not_a_nik_or_a_phone(db, tmp_path):
    (tmp_path / "angka.txt").write_text(
        "NIB 9120001234567\n"
        "16 digits, no such kecamatan: 9999011201900001\n"
        "a real kecamatan, no such date: 3573013213900001\n"
        "an amount: Rp1500000000000000\n"
        "a landline: 0341-551234\n"
        "a region code: 35.73.01.1001\n"
        "a trademark: IDM082748634, a halal certificate: ID3573011201900001\n"
    )
    # An export row: a masked phone ending in digits, then a KBLI code in the next cell.
    book = Workbook()
    book.active.append(["nama", "kontak_hp", "nib", "kbli"])
    book.active.append(["Laundry", "08*****0844", None, "96021"])
    book.save(tmp_path / "ekspor.xlsx")
    assert scan([tmp_path], database=False).findings == []


def test_the_command_fails_and_prints_only_masked_values(db, tmp_path):
    export = tmp_path / "ekspor.csv"
    export.write_text(f"nik\n{NIK_MAN}\n")
    out = StringIO()
    with pytest.raises(CommandError, match="1 plaintext NIK or phone numbers found"):
        call_command("scan_pii", "--json", str(export), stdout=out)
    report = json.loads(out.getvalue())
    assert report["findings"] == [
        {"kind": "nik", "where": f"{export}:2", "value": "************0001"}
    ]
    assert NIK_MAN not in out.getvalue()
    with pytest.raises(CommandError, match="No such file or folder"):
        call_command("scan_pii", str(tmp_path / "hilang.csv"))


def test_a_file_named_xlsx_that_is_not_a_workbook_is_read_as_text(db, tmp_path):
    # As a refused upload leaves them: a CSV named .xlsx, and a damaged workbook.
    renamed = tmp_path / "unggahan.xlsx"
    renamed.write_text(f"nama,nik\nKeripik Sanan,{NIK_MAN}\n")
    damaged = damaged_workbook(tmp_path / "rusak.xlsx")

    report = scan([tmp_path], database=False)

    assert {(f.kind, f.where) for f in report.findings} == {("nik", f"{renamed}:2")}
    assert report.unreadable == [str(damaged), str(renamed)]
    assert report.files == 2
    out = StringIO()
    call_command("scan_pii", "--no-database", str(damaged), stdout=out)
    assert f"not a workbook, scanned as text\t{damaged}" in out.getvalue()
    assert "0 plaintext NIK or phone numbers found" in out.getvalue()


def test_product_registration_numbers_are_not_phone_numbers_but_a_nik_still_is(make_business):
    business = make_business()
    numbers = ["BPOM RI MD 081234567890", "ML 628123456789", "SPP-IRT No. 0812345678901-25"]
    for number in numbers:
        LegalityDocument.objects.create(business=business, kind=LegalityKind.BPOM, number=number)
    # Not excused by a prefix: a NIK has the length of no registration, and a phone
    # number is one after other words.
    planted = LegalityDocument.objects.create(
        business=business, kind=LegalityKind.BPOM, number=f"MD {NIK_MAN}, hubungi 081234567890"
    )

    found = {(f.kind, f.where, f.value) for f in scan().findings}

    where = f"registry_legalitydocument.number #{planted.pk}"
    assert found == {("nik", where, "************0001"), ("phone", where, "08******7890")}
