"""What an import takes for the same record, and what it links for review instead.

A row is the same record as a business only by its source key, or, without one, by its
NIB or owner's NIK together with the business name. Every other row is created, and
its look-alikes are queued for the curator's review with their reasons.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from conftest import PASSWORD
from naikkelas.dedup.models import DuplicatePair, PairStatus
from naikkelas.intake.columns import TEMPLATE
from naikkelas.intake.importer import import_file
from naikkelas.intake.tests.sidt import row, write
from naikkelas.registry.models import Business, Status

pytestmark = pytest.mark.django_db

# Eight businesses of one kelurahan with nothing in common, each with its own NIB, NIK
# (Blimbing, born on the 10th..17th of March 1985) and phone.
ORIGINALS = [
    ("Keripik Tempe Bu Siti", "Siti Aminah", "Jl. Raya Balearjosari 12"),
    ("Sambal Bu Rini", "Rini Astuti", "Jl. Mawar 3"),
    ("Batik Tulis Arjuna", "Joko Santoso", "Jl. Tugu 7"),
    ("Kopi Bubuk Pak Darmo", "Darmo Hidayat", "Jl. Kawi 21"),
    ("Kue Kering Sari Rasa", "Sari Lestari", "Jl. Bromo 4"),
    ("Jamu Gendong Mbok Yem", "Yem Rahayu", "Jl. Melati 9"),
    ("Tas Rajut Melati", "Melati Wulandari", "Jl. Singosari 15"),
    ("Bakso Pak Kumis", "Kumis Hartono", "Jl. Dhoho 30"),
]


def _original(i: int) -> dict[str, str]:
    name, owner, street = ORIGINALS[i]
    return row(
        id_data_badan_usaha=f"SIDT-{i}", nama_usaha=name, nama_pengusaha=owner,
        alamat_usaha=street, nib=f"{9_100_000_000_000 + i:013d}",
        nik_pengusaha=f"357301{10 + i:02d}0385{i + 1:04d}", kontak_hp=f"0812-3456-{7000 + i}",
        rt_usaha="3",
    )  # fmt: skip


# Each kind of look-alike, made from one original under a source key of its own.
LOOKALIKES = {
    "typo in the name": lambda r: {"nama_usaha": "Keripik Tmpe Bu Siti"},
    "UD. prefix and upper case": lambda r: {"nama_usaha": "UD. SAMBAL BU RINI"},
    "owner's names swapped": lambda r: {"nama_pengusaha": "Santoso Joko"},
    "NIB missing": lambda r: {"nib": ""},
    "NIK missing": lambda r: {"nik_pengusaha": ""},
    "another RT": lambda r: {"rt_usaha": "5"},
    "JL. written JALAN": lambda r: {"alamat_usaha": "JALAN SINGOSARI 15"},
    "phone in another format": lambda r: {"kontak_hp": "+62 812 3456 " + r["kontak_hp"][-4:]},
}


def _lookalike(i: int, kind: str) -> dict[str, str]:
    original = _original(i)
    return {**original, "id_data_badan_usaha": f"SIDT-{i}-B", **LOOKALIKES[kind](original)}


def _pairs_by_key() -> dict[tuple[str, str], DuplicatePair]:
    keys = dict(Business.objects.values_list("pk", "source_id"))
    return {
        tuple(sorted((keys[p.a_id], keys[p.b_id]))): p  # type: ignore[misc]
        for p in DuplicatePair.objects.all()
    }


def _template(path, rows):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append([column.header for column in TEMPLATE])
    for values in rows:
        sheet.append([values.get(column.key, "") for column in TEMPLATE])
    book.save(path)
    return path


def test_every_lookalike_under_another_source_key_is_created_and_queued(tmp_path, client, curator):
    kinds = list(LOOKALIKES)
    rows = [_original(i) for i in range(len(kinds))]
    rows += [_lookalike(i, kind) for i, kind in enumerate(kinds)]

    report = import_file(None, write(tmp_path / "sidt.csv", rows))

    assert (report.created, report.rejected, report.errors) == (16, 0, [])
    assert report.possible_duplicates == len(kinds)
    pairs = _pairs_by_key()
    assert set(pairs) == {(f"SIDT-{i}", f"SIDT-{i}-B") for i in range(len(kinds))}
    assert {p.found_by for p in pairs.values()} == {report.found_by}
    assert all(p.status == PairStatus.PROPOSED for p in pairs.values())
    reasons = {kind: pairs[f"SIDT-{i}", f"SIDT-{i}-B"].reasons for i, kind in enumerate(kinds)}
    assert "same_nib" not in reasons["NIB missing"]
    assert "same_nik" not in reasons["NIK missing"]
    assert "same_phone" in reasons["phone in another format"]
    assert all("similar_name" in r and "same_kelurahan" in r for r in reasons.values())

    client.login(username=curator.username, password=PASSWORD)
    queue = client.get(reverse("duplicate_queue"), {"found_by": report.found_by})
    shown = {(p.pk, tuple(str(label) for label in labels)) for p, labels in queue.context["rows"]}
    assert {pk for pk, _labels in shown} == {p.pk for p in pairs.values()}
    nib_missing = pairs["SIDT-3", "SIDT-3-B"]
    assert "NIB sama" not in dict(shown)[nib_missing.pk]
    assert {"NIK pemilik sama", "nama usaha mirip", "kelurahan yang sama"} <= set(
        dict(shown)[nib_missing.pk]
    )
    assert "NIB sama" in queue.text and "nama usaha mirip" in queue.text
    # Another import's filter shows none of them.
    other = client.get(reverse("duplicate_queue"), {"found_by": "import:another"})
    assert list(other.context["rows"]) == []


def test_two_businesses_with_one_nib_and_different_names_are_both_kept_and_linked(tmp_path):
    out = StringIO()
    path = write(tmp_path / "one-nib.csv", [
        row(),
        row(id_data_badan_usaha="SIDT-0002", nama_usaha="Bengkel Las Sumber Jaya",
            nama_pengusaha="Budi Santoso", nik_pengusaha="3573011201900001",
            kontak_hp="0813-1111-2222", alamat_usaha="Jl. Tugu 3"),
    ])  # fmt: skip

    call_command("import", str(path), "--json", stdout=out)

    result = json.loads(out.getvalue())
    # The contract's keys as they were, and the count beside them.
    assert set(result) == {
        "rows", "created", "updated", "unchanged", "rejected", "errors", "possible_duplicates",
    }  # fmt: skip
    assert (result["created"], result["rejected"], result["possible_duplicates"]) == (2, 0, 1)
    first, second = Business.objects.order_by("pk")
    assert first.nib == second.nib == "1234567890123"
    assert {first.status, second.status} == {Status.SUBMITTED}
    pair = DuplicatePair.objects.get()
    assert (pair.a_id, pair.b_id, pair.status) == (first.pk, second.pk, PairStatus.PROPOSED)
    assert pair.reasons[0] == "same_nib" and "similar_name" not in pair.reasons


def test_a_file_repeating_a_source_key_keeps_the_earlier_row(tmp_path):
    path = write(tmp_path / "twice.csv", [
        row(), row(nama_usaha="Keripik Tempe Lain", nib="", nik_pengusaha="3573011201900001"),
    ])  # fmt: skip

    report = import_file(None, path)

    assert (report.created, report.rejected) == (1, 1)
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [
        (3, "id_data_badan_usaha", "duplicate_in_file")
    ]
    assert Business.objects.get().name == "Keripik Tempe Bu Siti"
    assert report.possible_duplicates == 0


def test_rows_without_a_source_key_repeating_nib_or_nik_with_the_name_are_one_record(tmp_path):
    path = write(tmp_path / "keyless.csv", [
        row(id_data_badan_usaha=""),
        row(id_data_badan_usaha="", nama_usaha="KERIPIK TEMPE BU-SITI", nik_pengusaha=""),
        row(id_data_badan_usaha="", nib="", nama_usaha="Keripik tempe bu siti"),
        # The same NIB under another name: an outlet of its own.
        row(id_data_badan_usaha="", nama_usaha="Keripik Tempe Bu Siti Cabang Sukun"),
    ])  # fmt: skip

    report = import_file(None, path)

    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [
        (3, "nib", "duplicate_in_file"), (4, "nik_pengusaha", "duplicate_in_file"),
    ]  # fmt: skip
    assert report.created == 2
    assert report.possible_duplicates == 1


def test_template_rows_matching_nib_and_name_update_instead_of_creating(tmp_path):
    import_file(None, write(tmp_path / "sidt.csv", [row()]))
    business = Business.objects.get()
    values = row(
        id_data_badan_usaha="", nama_usaha="KERIPIK TEMPE BU SITI", nik_pengusaha="",
        alamat_usaha="Jl. Raya Balearjosari 14", updated_at="2025-08-01",
    )  # fmt: skip
    by_person = row(
        id_data_badan_usaha="", nib="", nama_usaha="Keripik Tempe Bu Siti",
        kontak_hp="0812-9999-0000", alamat_usaha="Jl. Raya Balearjosari 14",
        updated_at="2025-09-01",
    )  # fmt: skip

    by_nib = import_file(None, _template(tmp_path / "nib.xlsx", [values]))
    by_nik = import_file(None, _template(tmp_path / "nik.xlsx", [by_person]))

    assert (by_nib.created, by_nib.updated, by_nib.errors) == (0, 1, [])
    assert (by_nik.created, by_nik.updated, by_nik.errors) == (0, 1, [])
    business.refresh_from_db()
    assert business.street == "Jl. Raya Balearjosari 14"
    assert business.owner.phone == "+6281299990000"
    assert business.source_id == "SIDT-0001"
    assert Business.objects.count() == 1 and not DuplicatePair.objects.exists()


def test_a_source_key_row_is_not_matched_by_nib_and_name(tmp_path):
    """A SIDT record with a key of its own is a record of its own, even when a record
    registered here has its NIB and name: the curator merges them."""
    import_file(None, write(tmp_path / "keyless.csv", [row(id_data_badan_usaha="")]))

    report = import_file(None, write(tmp_path / "sidt.csv", [row()]))

    assert (report.created, report.updated, report.possible_duplicates) == (1, 0, 1)
    pair = DuplicatePair.objects.get()
    assert {"same_nib", "same_nik", "similar_name"} <= set(pair.reasons)


def test_a_dry_run_links_nothing(tmp_path):
    path = write(tmp_path / "sidt.csv", [row(), {**row(), "id_data_badan_usaha": "SIDT-2"}])

    report = import_file(None, path, dry_run=True)

    assert (report.created, report.possible_duplicates) == (2, 0)
    assert not DuplicatePair.objects.exists()
