"""Building SIDT files for tests: one valid row by default, any column overridden."""

import csv
import zipfile
from pathlib import Path

from naikkelas.intake.columns import SIDT_COLUMNS

VALID = {
    "id_data_badan_usaha": "SIDT-0001",
    "nik_pengusaha": "3573015203850002",
    "nama_pengusaha": "Siti Aminah",
    "nib": "1234567890123",
    "jenis_kelamin": "P",
    "is_disabilitas": "0",
    "tanggal_lahir": "1985-03-12",
    "pendidikan_formal": "SMA",
    "kontak_hp": "0812-3456-7890",
    "prov_pengusaha": "JAWA TIMUR",
    "kab_pengusaha": "KOTA MALANG",
    "kec_pengusaha": "BLIMBING",
    "kel_pengusaha": "BALEARJOSARI",
    "alamat_pengusaha": "Jl. Raya Balearjosari 12",
    "rt_pengusaha": "3",
    "rw_pengusaha": "2",
    "nama_usaha": "Keripik Tempe Bu Siti",
    "kegiatan_utama": "Produksi keripik tempe",
    "produk_utama": "Keripik tempe",
    "kategori_kbli": "C",
    "kode_kbli": "10792",
    "status_badan_usaha": "PERORANGAN",
    "skala_usaha": "MIKRO",
    "modal_pendirian": "15000000",
    "bulan_mulai_operasi": "4",
    "tahun_mulai_operasi": "2018",
    "omzet_tahunan": "180000000",
    "asset": "40000000",
    "prov_usaha": "JAWA TIMUR",
    "kab_usaha": "KOTA MALANG",
    "kec_usaha": "BLIMBING",
    "kel_usaha": "BALEARJOSARI",
    "alamat_usaha": "Jl. Raya Balearjosari 12",
    "rt_usaha": "3",
    "rw_usaha": "2",
    "foto_usaha": "",
    "alamat_latitude": "-7.9300",
    "alamat_longitude": "112.6500",
    "tk_dibayar_laki": "1",
    "tk_dibayar_perempuan": "2",
    "tk_dibayar_disabil_laki": "0",
    "tk_dibayar_disabil_perempuan": "0",
    "tk_not_dibayar_laki": "0",
    "tk_not_dibayar_perempuan": "1",
    "tk_not_dibayar_disabil_laki": "0",
    "tk_not_dibayar_disabil_perempua": "0",
    "pulled_at": "2025-06-01 08:00:00",
    "updated_at": "2025-05-20 10:00:00",
    "source_page": "12",
}


def row(**overrides: str) -> dict[str, str]:
    return {**VALID, **overrides}


def write(path: Path, rows: list[dict[str, str]], *, delimiter: str = ",",
          encoding: str = "utf-8", newline: str = "\n") -> Path:  # fmt: skip
    with path.open("w", encoding=encoding, newline="") as target:
        writer = csv.writer(target, delimiter=delimiter, lineterminator=newline)
        writer.writerow(SIDT_COLUMNS)
        for values in rows:
            writer.writerow([values.get(column, "") for column in SIDT_COLUMNS])
    return path


def damaged_workbook(path: Path) -> Path:
    """A real .xlsx whose sheet holds an XML entity no parser knows: the reader's own
    complaint ("unrecognized entity") is English."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["nama_usaha", "nik_pengusaha"])
    book.active.append(["Warung", "3573015203850002"])
    sound = path.with_suffix(".sound.xlsx")
    book.save(sound)
    with zipfile.ZipFile(sound) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.endswith("sheet1.xml"):
                data = data.replace(b"<t>Warung</t>", b"<t>&warung;</t>")
            target.writestr(member, data)
    sound.unlink()
    return path
