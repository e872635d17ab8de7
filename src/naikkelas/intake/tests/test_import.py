"""Importing through `naikkelas import` and the service, on the real database."""

import datetime
import gzip
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from naikkelas.core.models import AuditEntry
from naikkelas.graduation.models import Standing
from naikkelas.intake.columns import SIDT_COLUMNS, TEMPLATE
from naikkelas.intake.files import FileRefused
from naikkelas.intake.importer import import_file
from naikkelas.intake.template import write_template
from naikkelas.intake.tests.sidt import damaged_workbook, row, write
from naikkelas.operations.piiscan import scan
from naikkelas.registry.models import Business, FinancialRecord, Owner

pytestmark = pytest.mark.django_db
B = 1_000_000_000


def _import(path, *args):
    out = StringIO()
    call_command("import", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def _state():
    return (Business.objects.count(), Owner.objects.count(), FinancialRecord.objects.count(),
            AuditEntry.objects.count(), Standing.objects.count())  # fmt: skip


def test_it_reports_the_contract_counts_and_row_errors(tmp_path):
    path = write(tmp_path / "sidt.csv", [
        row(),
        row(id_data_badan_usaha="S-2", nib="1234567890124", nama_usaha="Batik Sukun",
            kec_usaha="Sukun", kel_usaha="Sukun", nik_pengusaha="3573011201900001"),
        row(id_data_badan_usaha="S-3", nib="12", omzet_tahunan="-5"),
    ])  # fmt: skip

    result = _import(path)

    assert {k: result[k] for k in ("rows", "created", "updated", "unchanged", "rejected")} == {
        "rows": 3, "created": 2, "updated": 0, "unchanged": 0, "rejected": 1,
    }  # fmt: skip
    assert {(e["row"], e["column"], e["code"]) for e in result["errors"]} == {
        (4, "nib", "nib_format"),
        (4, "omzet_tahunan", "amount_negative"),
    }
    assert all(e["message"] for e in result["errors"])
    business = Business.objects.get(source_id="SIDT-0001")
    assert business.kelurahan_id == "35.73.01.1001"
    assert business.owner.nik_index and "3573015203850002" not in business.owner.nik_encrypted
    assert business.owner.phone == "+6281234567890"
    assert business.status == "submitted"
    figures = business.financials.get()
    assert (figures.year, figures.annual_sales, figures.assets, figures.basis) == (
        2025, 180_000_000, 40_000_000, "reported",
    )  # fmt: skip
    assert business.standing.size_class == "micro"


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path):
    path = write(tmp_path / "sidt.csv", [row(), row(id_data_badan_usaha="S-2", nib="")])
    _import(path)
    before = _state()

    result = _import(path)

    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 2)
    assert _state() == before


def test_a_newer_row_updates_and_an_older_one_is_ignored(tmp_path):
    _import(write(tmp_path / "first.csv", [row()]))
    business = Business.objects.get(source_id="SIDT-0001")

    newer = _import(write(tmp_path / "newer.csv", [row(
        nama_usaha="Keripik Tempe Siti Jaya", omzet_tahunan="2500000000",
        updated_at="2025-08-01 09:00:00",
    )]))  # fmt: skip
    older = _import(write(tmp_path / "older.csv", [row(
        nama_usaha="Nama Lama", updated_at="2024-01-01 09:00:00",
    )]))  # fmt: skip

    assert (newer["updated"], older["unchanged"]) == (1, 1)
    business.refresh_from_db()
    assert business.name == "Keripik Tempe Siti Jaya"
    assert business.version == 2
    assert business.standing.size_class == "small"
    entry = AuditEntry.objects.get(action="business.updated_by_import")
    assert entry.changes["name"] == ["Keripik Tempe Bu Siti", "Keripik Tempe Siti Jaya"]
    assert Business.objects.count() == 1


def test_a_row_without_a_source_key_is_matched_by_nib_or_nik_with_the_name(tmp_path):
    # Issue 19 changed this: a NIB alone no longer makes the same record (it can cover
    # several businesses), so a row with the NIB and another name is a new business.
    _import(write(tmp_path / "a.csv", [row(id_data_badan_usaha="", nama_usaha="Soto Pak Man")]))
    by_nib = _import(write(tmp_path / "b.csv", [row(
        id_data_badan_usaha="", nama_usaha="SOTO  pak-man", alamat_usaha="Jl. Baru 1",
        updated_at="2025-07-01",
    )]))  # fmt: skip
    by_person = _import(write(tmp_path / "c.csv", [row(
        id_data_badan_usaha="", nib="", nama_usaha="soto pak man", alamat_usaha="Jl. Baru 2",
        updated_at="2025-09-01",
    )]))  # fmt: skip
    renamed = _import(write(tmp_path / "d.csv", [row(
        id_data_badan_usaha="", nama_usaha="Soto Pak Man Baru", updated_at="2025-10-01",
    )]))  # fmt: skip

    assert (by_nib["updated"], by_person["updated"]) == (1, 1)
    assert (renamed["created"], renamed["updated"], renamed["possible_duplicates"]) == (1, 0, 1)
    business = Business.objects.earliest("pk")
    assert (business.name, business.street) == ("soto pak man", "Jl. Baru 2")


def test_a_dry_run_writes_nothing_and_counts_what_a_run_would(tmp_path):
    path = write(tmp_path / "sidt.csv", [row(), row(id_data_badan_usaha="S-2", nib="12")])
    before = _state()

    dry = _import(path, "--dry-run")

    assert _state() == before
    assert (dry["created"], dry["rejected"]) == (1, 1)
    assert _import(path) == dry


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("nik_pengusaha", "357301520385000", "nik_format"),
        ("nik_pengusaha", "9999015203850002", "nik_region"),
        ("nik_pengusaha", "3573013202850002", "nik_date"),
        ("nib", "12345", "nib_format"),
        ("kode_kbli", "1079", "kbli_format"),
        ("kode_kbli", "00000", "kbli_unknown"),
        ("kab_usaha", "KABUPATEN MALANG", "region_outside"),
        ("kel_usaha", "ATLANTIS", "region_unknown"),
        ("omzet_tahunan", "-1", "amount_negative"),
        ("modal_pendirian", "satu juta", "amount_not_number"),
        ("asset", "1.500.000", "amount_not_number"),
        ("alamat_latitude", "95", "latitude_range"),
        ("alamat_longitude", "-181", "longitude_range"),
        ("nama_usaha", "", "required"),
        ("updated_at", "2099-01-01", "date_future"),
    ],
)
def test_a_bad_value_rejects_the_whole_row(tmp_path, column, value, code):
    result = _import(write(tmp_path / "bad.csv", [row(**{column: value})]))

    assert (result["created"], result["rejected"]) == (0, 1)
    assert [(e["row"], e["column"], e["code"]) for e in result["errors"]] == [(2, column, code)]
    assert not Business.objects.exists()


# The business's region columns: each case names the column whose value is wrong.
# Kabupaten Malang's Singosari and Losari are real places, so a row naming them resolves
# all four levels, outside the deployment (Kota Malang) from the kabupaten down.
REGION_ERRORS = [
    ({"prov_usaha": "JAWA TENGAH"}, "prov_usaha", "region_outside"),
    ({"prov_usaha": "ATLANTIS"}, "prov_usaha", "region_unknown"),
    ({"prov_usaha": ""}, "prov_usaha", "region_unknown"),  # kabupaten/kota given
    ({"kab_usaha": "KABUPATEN MALANG", "kec_usaha": "SINGOSARI", "kel_usaha": "LOSARI"},
     "kab_usaha", "region_outside"),
    ({"kab_usaha": "KABUPATEN MALANG"}, "kab_usaha", "region_outside"),
    ({"kab_usaha": "KOTA SURABAYA"}, "kab_usaha", "region_outside"),
    ({"kab_usaha": "KOTA ATLANTIS"}, "kab_usaha", "region_unknown"),
    ({"kab_usaha": ""}, "kab_usaha", "region_unknown"),  # province given
    ({"kec_usaha": "SINGOSARI", "kel_usaha": "LOSARI"}, "kec_usaha", "region_unknown"),
    ({"kec_usaha": "ATLANTIS"}, "kec_usaha", "region_unknown"),
    ({"kec_usaha": ""}, "kec_usaha", "required"),
    ({"kec_usaha": "KLOJEN"}, "kel_usaha", "region_unknown"),  # Balearjosari is Blimbing's
    ({"kel_usaha": "ATLANTIS"}, "kel_usaha", "region_unknown"),
    ({"kel_usaha": ""}, "kel_usaha", "required"),
]  # fmt: skip


def _template_file(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append([c.header for c in TEMPLATE])
    for values in rows:
        sheet.append([values.get(c.key, "") for c in TEMPLATE])
    book.save(path)
    return path


@pytest.mark.parametrize(("overrides", "column", "code"), REGION_ERRORS)
def test_a_region_error_names_the_most_specific_wrong_column(tmp_path, overrides, column, code):
    result = _import(write(tmp_path / "r.csv", [row(**overrides)]))

    assert (result["created"], result["rejected"]) == (0, 1)
    assert [(e["row"], e["column"], e["code"]) for e in result["errors"]] == [(2, column, code)]
    assert "“”" not in result["errors"][0]["message"]  # a blank is not quoted as a name
    assert not Business.objects.exists()


@pytest.mark.parametrize(("overrides", "column", "code"), REGION_ERRORS)
def test_a_template_region_error_names_its_template_column(tmp_path, overrides, column, code):
    header = next(c.header for c in TEMPLATE if c.key == column)

    report = import_file(None, _template_file(tmp_path / "r.xlsx", [row(**overrides)]))

    assert (report.format, report.created, report.rejected) == ("template", 0, 1)
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [(2, header, code)]


@pytest.mark.parametrize(
    "column", ["prov_pengusaha", "kab_pengusaha", "kec_pengusaha", "kel_pengusaha"]
)
def test_an_owner_address_that_does_not_resolve_leaves_it_empty_and_rejects_nothing(
    tmp_path, column
):
    # The owner may live anywhere in Indonesia and the business is what the registry
    # counts: no region error is raised on the owner's columns.
    result = _import(write(tmp_path / "o.csv", [row(**{column: "ATLANTIS"})]))

    assert (result["created"], result["errors"]) == (1, [])
    assert Business.objects.get().owner.kelurahan_id is None


def test_an_owner_living_outside_the_city_keeps_the_address(tmp_path):
    outside = {"kab_pengusaha": "KABUPATEN MALANG", "kec_pengusaha": "SINGOSARI",
               "kel_pengusaha": "LOSARI"}  # fmt: skip
    result = _import(write(tmp_path / "o.csv", [row(**outside)]))

    assert (result["created"], result["errors"]) == (1, [])
    assert Business.objects.get().owner.kelurahan_id == "35.07.24.1014"


def test_a_nul_in_a_text_cell_rejects_its_row_not_the_file(tmp_path):
    # Past the first 64 KB, which are looked at for binary data before reading.
    rows = [row(id_data_badan_usaha=f"S-{i}", nib="") for i in range(160)]
    rows.append(row(id_data_badan_usaha="S-nul", nib="", alamat_usaha="Jl. Mawar\x00 5"))
    rows.append(row(id_data_badan_usaha="S-last", nib=""))
    path = write(tmp_path / "nul.csv", rows)
    assert path.stat().st_size > 64 * 1024

    result = _import(path)

    assert (result["created"], result["rejected"]) == (161, 1)
    assert [(e["row"], e["column"], e["code"]) for e in result["errors"]] == [
        (162, "alamat_usaha", "text_control_character")
    ]
    assert not Business.objects.filter(source_id="S-nul").exists()


def test_empty_optional_fields_are_not_errors(tmp_path):
    optional = {c: "" for c in SIDT_COLUMNS if c not in (
        "nama_usaha", "kec_usaha", "kel_usaha", "prov_usaha", "kab_usaha")}  # fmt: skip
    result = _import(write(tmp_path / "sparse.csv", [row(**optional)]))

    assert (result["created"], result["errors"]) == (1, [])
    assert Business.objects.get().standing.size_class is None


@pytest.mark.parametrize(
    ("kab", "kec", "kel", "code"),
    [
        ("KOTA MALANG", "LOWOKWARU", "TASIKMADU", "35.73.05.1012"),
        ("Kota Malang", "Lowokwaru", "Tasik Madu", "35.73.05.1012"),
        ("  kota   malang ", "kec. lowokwaru", "Kel. Tasik-Madu", "35.73.05.1012"),
        ("", "BLIMBING", "BLIMBING", "35.73.01.1005"),
    ],
)
def test_region_names_match_whatever_their_case_spacing_or_variant(tmp_path, kab, kec, kel, code):
    prov = "" if not kab else "JAWA TIMUR"
    _import(
        write(
            tmp_path / "r.csv", [row(prov_usaha=prov, kab_usaha=kab, kec_usaha=kec, kel_usaha=kel)]
        )
    )
    assert Business.objects.get().kelurahan_id == code


@pytest.mark.parametrize(
    ("sales", "capital", "expected"),
    [
        (str(2 * B), "", "micro"), (str(2 * B + 1), "", "small"),
        (str(15 * B), "", "small"), (str(15 * B + 1), "", "medium"),
        (str(50 * B), "", "medium"), (str(50 * B + 1), "", "large"),
        ("", str(1 * B), "micro"), ("", str(1 * B + 1), "small"),
        ("", str(5 * B), "small"), ("", str(5 * B + 1), "medium"),
        ("", str(10 * B), "medium"), ("", str(10 * B + 1), "large"),
    ],
)  # fmt: skip
def test_class_boundaries_hold_through_import_and_the_api(
    tmp_path, api_client, curator, sales, capital, expected
):
    _import(
        write(tmp_path / "c.csv", [row(omzet_tahunan=sales, modal_pendirian=capital, asset="")])
    )
    business = Business.objects.get()
    api_client.force_authenticate(curator)

    item = api_client.get(f"/api/v1/businesses/{business.pk}/").json()

    assert business.standing.size_class == expected
    assert item["size_class"] == expected
    assert item["reported_size_class"] == "micro"


def test_a_business_appearing_twice_in_a_file_is_rejected_the_second_time(tmp_path):
    result = _import(write(tmp_path / "d.csv", [row(), row(nama_usaha="Lagi")]))

    assert (result["created"], result["rejected"]) == (1, 1)
    assert result["errors"][0]["code"] == "duplicate_in_file"
    assert result["errors"][0]["row"] == 3


# ---- files that cannot be read, or need care to read


def _refused(path, *args):
    with pytest.raises(CommandError) as refused:
        call_command("import", str(path), "--json", *args, stdout=StringIO())
    assert refused.value.returncode != 0
    return str(refused.value)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    assert "kosong" in _refused(path).lower()
    assert not Business.objects.exists()


def test_wrong_columns_are_named(tmp_path):
    path = tmp_path / "salah.csv"
    columns = [c for c in SIDT_COLUMNS if c != "nib"] + ["catatan"]
    path.write_text(",".join(columns) + "\n" + ",".join("x" for _ in columns) + "\n")

    message = _refused(path)

    assert "nib" in message and "catatan" in message
    assert not Business.objects.exists()


@pytest.mark.parametrize(
    ("encoding", "delimiter", "newline"),
    [("cp1252", ",", "\n"), ("utf-8", ";", "\n"), ("utf-8-sig", ",", "\n"), ("utf-8", ",", "\r\n")],
)
def test_windows_files_semicolons_bom_and_crlf_are_read(tmp_path, encoding, delimiter, newline):
    path = write(tmp_path / "w.csv", [row(nama_usaha="Kafé Désy")],
                 encoding=encoding, delimiter=delimiter, newline=newline)  # fmt: skip

    result = _import(path)

    assert (result["created"], result["errors"]) == (1, [])
    assert Business.objects.get().name == "Kafé Désy"


def test_an_xlsx_that_is_not_one_is_refused(tmp_path):
    path = tmp_path / "palsu.xlsx"
    path.write_bytes(b"id,nama\n1,bukan excel\n")
    assert "Excel" in _refused(path)


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.NAIKKELAS_IMPORT_MAX_BYTES = 1024
    path = write(
        tmp_path / "besar.csv", [row(id_data_badan_usaha=f"S-{n}", nib="") for n in range(20)]
    )
    assert "MB" in _refused(path)
    assert not Business.objects.exists()


def test_a_compressed_file_that_expands_too_far_is_refused(tmp_path, settings):
    settings.NAIKKELAS_IMPORT_MAX_EXPANDED_BYTES = 64 * 1024
    plain = write(
        tmp_path / "bom.csv", [row(id_data_badan_usaha=f"S-{n}", nib="") for n in range(400)]
    )
    packed = tmp_path / "bom.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))

    assert "MB" in _refused(packed)
    assert not Business.objects.exists()


def test_a_gzipped_csv_within_the_limit_is_read(tmp_path):
    plain = write(tmp_path / "ok.csv", [row()])
    packed = tmp_path / "ok.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert _import(packed)["created"] == 1


# ---- the template


def test_the_template_round_trips(tmp_path):
    path = tmp_path / "template.xlsx"
    with path.open("wb") as target:
        write_template(target)
    book = load_workbook(path)
    assert book.sheetnames == ["Data", "Pilihan", "Petunjuk"]
    assert book["Data"].data_validations.dataValidation  # drop-down lists
    sheet = book["Data"]
    header = [c.value for c in sheet[1]]
    second = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    second.update({"Nama usaha": "Sambal Bu Rini", "NIB": "9876543210123", "Kelurahan usaha": "Sukun",
                   "Kecamatan usaha": "Sukun"})  # fmt: skip
    sheet.append([second[h] for h in header])
    book.save(path)

    result = _import(path)

    assert (result["rows"], result["created"], result["errors"]) == (2, 2, [])
    assert Business.objects.get(name="Sambal Bu Rini").kelurahan_id == "35.73.04.1005"


def test_template_errors_name_the_template_column(tmp_path):
    book = Workbook()
    sheet = book.active
    from naikkelas.intake.columns import TEMPLATE

    sheet.title = "Data"
    sheet.append([c.header for c in TEMPLATE])
    sheet.append(["" if c.key != "nama_usaha" else "Tanpa Kelurahan" for c in TEMPLATE])
    path = tmp_path / "t.xlsx"
    book.save(path)

    result = _import(path, "--format", "template")

    assert result["rejected"] == 1
    assert {e["column"] for e in result["errors"]} == {"Kecamatan usaha"}


def test_the_error_report_holds_the_original_rows_and_their_errors(tmp_path):
    path = write(tmp_path / "e.csv", [row(), row(id_data_badan_usaha="S-2", nib="12")])
    report = tmp_path / "galat.xlsx"

    import_file(None, path, error_report=report)

    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows[0][0] == "baris" and rows[0][-1] == "galat"
    assert len(rows) == 2
    assert rows[1][0] == 3 and rows[1][1] == "S-2"
    assert "nib" in rows[1][-1]


def test_a_volunteer_cannot_import(tmp_path, volunteer):
    from naikkelas.core.errors import Forbidden

    with pytest.raises(Forbidden):
        import_file(volunteer, write(tmp_path / "v.csv", [row()]))
    assert not Business.objects.exists()


def test_a_refused_file_raises_before_anything_is_written(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b\n1;2\n")
    with pytest.raises(FileRefused):
        import_file(None, path)
    assert _state() == (0, 0, 0, 0, 0)


def test_import_uses_the_source_dates(tmp_path):
    _import(write(tmp_path / "s.csv", [row()]))
    business = Business.objects.get()
    assert business.source_updated_at.date() == datetime.date(2025, 5, 20)
    assert business.source_page == "12"


# ---- personal data in the error report, and messages in the user's language


def test_the_error_report_masks_nik_and_phone_of_a_sidt_file(tmp_path):
    path = write(tmp_path / "e.csv", [
        row(nib="12"),  # rejected for its NIB; NIK and phone valid
        row(id_data_badan_usaha="S-2", nib="", nik_pengusaha="357301520385", kontak_hp="0812-34"),
    ])  # fmt: skip
    report = tmp_path / "galat.xlsx"

    import_file(None, path, error_report=report)

    header, *rows = load_workbook(report).active.iter_rows(values_only=True)
    cells = [dict(zip(header, r, strict=True)) for r in rows]
    assert [(c["nik_pengusaha"], c["kontak_hp"]) for c in cells] == [
        ("************0002", "08******7890"),
        ("********0385", "***2-34"),  # what cannot be read as one: all but the last four
    ]
    assert cells[0]["nama_pengusaha"] == "Siti Aminah"  # the rest as the file has it
    assert scan([report], database=False).findings == []


def test_the_error_report_masks_nik_and_phone_of_a_template(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append([c.header for c in TEMPLATE])
    values = {"nama_usaha": "Tanpa Kelurahan", "nik_pengusaha": "3573015203850002",
              "kontak_hp": "+62 812 3456 7890"}  # fmt: skip
    sheet.append([values.get(c.key, "") for c in TEMPLATE])
    path = tmp_path / "t.xlsx"
    book.save(path)
    report = tmp_path / "galat.xlsx"

    import_file(None, path, error_report=report)

    header, rejected = load_workbook(report).active.iter_rows(values_only=True)
    cells = dict(zip(header, rejected, strict=True))
    assert (cells["NIK pemilik"], cells["Nomor HP"]) == ("************0002", "08******7890")
    assert scan([report], database=False).findings == []


def _refusal(path):
    with pytest.raises(FileRefused) as refused:
        import_file(None, path)
    return refused.value.code, str(refused.value.message)


def test_a_quote_never_closed_is_refused_in_the_users_language(tmp_path):
    path = write(tmp_path / "kutip.csv", [row()])
    # The open quote makes the csv module read on, line after line, into one cell.
    lines = [",".join(row(id_data_badan_usaha=f"S-{n}").values()) for n in range(400)]
    with path.open("a") as f:
        f.write('S-X,"3573015203850002,Siti\n' + "\n".join(lines) + "\n")

    code, message = _refusal(path)

    assert code == "file_cell_too_long"
    assert message == (
        "Baris 3 memiliki sel yang lebih panjang dari 131.072 karakter; biasanya karena ada "
        "tanda petik yang dibuka tetapi tidak ditutup."
    )


def test_a_damaged_workbook_is_refused_in_the_users_language(tmp_path):
    code, message = _refusal(damaged_workbook(tmp_path / "rusak.xlsx"))

    assert code == "file_unreadable"
    assert message == "Ini bukan berkas Excel (.xlsx), atau berkasnya rusak."
