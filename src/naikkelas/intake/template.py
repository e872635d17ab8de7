"""The project's own import template: a workbook a department can fill in by hand.

Sheet "Data" has the Indonesian headers and one example row, with drop-down lists for
the coded columns and text format for identifiers (so Excel keeps a NIK's 16 digits);
"Petunjuk" says what goes in each column; "Pilihan" holds the lists the drop-downs
read from.
"""

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from naikkelas.core.spreadsheets import Writable
from naikkelas.intake.columns import TEMPLATE
from naikkelas.intake.files import TEMPLATE_SHEET

EXAMPLE = {
    "id_data_badan_usaha": "",
    "nama_usaha": "Keripik Tempe Bu Siti",
    "nama_pengusaha": "Siti Aminah",
    "nik_pengusaha": "3573015203850002",
    "jenis_kelamin": "P",
    "is_disabilitas": "Tidak",
    "tanggal_lahir": "1985-03-12",
    "pendidikan_formal": "SMA/SMK",
    "kontak_hp": "0812-3456-7890",
    "prov_pengusaha": "Jawa Timur",
    "kab_pengusaha": "Kota Malang",
    "kec_pengusaha": "Blimbing",
    "kel_pengusaha": "Balearjosari",
    "alamat_pengusaha": "Jl. Raya Balearjosari 12",
    "rt_pengusaha": "3",
    "rw_pengusaha": "2",
    "nib": "1234567890123",
    "kegiatan_utama": "Produksi keripik tempe",
    "produk_utama": "Keripik tempe",
    "kode_kbli": "10792",
    "status_badan_usaha": "Perorangan",
    "skala_usaha": "Mikro",
    "modal_pendirian": 15000000,
    "bulan_mulai_operasi": 4,
    "tahun_mulai_operasi": 2018,
    "omzet_tahunan": 180000000,
    "asset": 40000000,
    "prov_usaha": "Jawa Timur",
    "kab_usaha": "Kota Malang",
    "kec_usaha": "Blimbing",
    "kel_usaha": "Balearjosari",
    "alamat_usaha": "Jl. Raya Balearjosari 12",
    "rt_usaha": "3",
    "rw_usaha": "2",
    "alamat_latitude": "-7.930000",
    "alamat_longitude": "112.650000",
    "tk_dibayar_laki": 1,
    "tk_dibayar_perempuan": 2,
    "updated_at": "2025-05-20",
}
# Identifiers and codes are text: Excel would turn a 16-digit NIK into 3.57E+15.
TEXT_KEYS = {"id_data_badan_usaha", "nik_pengusaha", "nib", "kode_kbli", "kontak_hp"}
MAX_ROWS = 100_000


def write_template(target: Writable) -> None:
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = TEMPLATE_SHEET
    lists = book.create_sheet("Pilihan")
    guide = book.create_sheet("Petunjuk")
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(TEMPLATE, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.header)
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        data.column_dimensions[letter].width = max(14, len(column.header) + 2)
        example = data.cell(row=2, column=index, value=EXAMPLE.get(column.key, ""))
        if column.key in TEXT_KEYS:
            example.number_format = "@"
            for row in range(3, 1002):
                data.cell(row=row, column=index).number_format = "@"
        if column.choices:
            lists.cell(row=1, column=index, value=column.header).font = bold
            for offset, choice in enumerate(column.choices, start=2):
                lists.cell(row=offset, column=index, value=choice)
            source = (
                f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(column.choices) + 1}"
            )
            check = DataValidation(type="list", formula1=source, allow_blank=True)
            check.error = "Pilih salah satu dari daftar."
            check.errorTitle = column.header
            data.add_data_validation(check)
            check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    data.freeze_panes = "B2"
    guide.append(["Kolom", "Wajib", "Keterangan"])
    for cell in guide[1]:
        cell.font = bold
    guide.append(
        ["", "", "Isi satu usaha per baris di lembar Data, mulai baris 2 (baris 2 berisi "
         "contoh: hapus atau timpa). Jangan ubah judul kolom."]
    )  # fmt: skip
    for column in TEMPLATE:
        guide.append([column.header, "Ya" if column.required else "", column.hint])
    guide.column_dimensions["A"].width = 42
    guide.column_dimensions["C"].width = 100
    book.save(target)
