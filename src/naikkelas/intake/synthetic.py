"""Synthetic import files for benchmarks and trials: `naikkelas demo --sidt-csv PATH` and
`--template-xlsx PATH` write N businesses of the home city in either format.

Rows are valid except about one in a hundred, which carries one of the mistakes real
extracts have (a short NIB, a negative turnover, a kelurahan outside the city), so that
an import of the file exercises its error path too.
"""

import csv
import datetime
import random
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook

from naikkelas.intake.columns import SIDT_COLUMNS, TEMPLATE
from naikkelas.regions.models import Level, Region

KBLI = ("10792", "10794", "10710", "11040", "47112", "47911", "56102", "56103",
        "14111", "13134", "31001", "96012", "45407", "16222", "32902")  # fmt: skip
EDUCATION = ("SD", "SMP", "SMA", "SMK", "D3", "S1", "S2")
PRODUCTS = ("Keripik tempe", "Sambal", "Batik tulis", "Kopi bubuk", "Kue kering", "Jamu",
            "Tas rajut", "Sepatu kulit", "Bakso", "Keramik", "Madu", "Tahu")  # fmt: skip
FIRST = ("Siti", "Ahmad", "Dewi", "Budi", "Sri", "Agus", "Nur", "Eko", "Rina", "Joko", "Ani")
LAST = ("Wahyuni", "Santoso", "Lestari", "Hidayat", "Rahayu", "Purnomo", "Setiawati")
MISTAKES = (("nib", "12345"), ("omzet_tahunan", "-1500000"), ("kel_usaha", "KARANGPLOSO"))


def _rows(n: int, seed: int) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    villages = list(Region.objects.home().filter(level=Level.VILLAGE).values_list("code", "name"))
    districts = dict(Region.objects.home().filter(level=Level.DISTRICT).values_list("code", "name"))
    pulled = datetime.datetime(2025, 6, 1, 8, 0)
    for i in range(n):
        code, village = rng.choice(villages)
        district = districts[code[:8]]
        woman = rng.random() < 0.64
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(16000))
        day = born.day + (40 if woman else 0)
        nik = f"{code[:8].replace('.', '')}{day:02d}{born:%m%y}{i % 9999 + 1:04d}"
        sales = int(rng.lognormvariate(18.6, 1.1))
        product = rng.choice(PRODUCTS)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        values = {
            "id_data_badan_usaha": f"SIDT-{seed}-{i:08d}",
            "nik_pengusaha": nik,
            "nama_pengusaha": name,
            "nib": f"{9_100_000_000_000 + seed * 10_000_000 + i:013d}"
            if rng.random() < 0.6
            else "",
            "jenis_kelamin": "P" if woman else "L",
            "is_disabilitas": "1" if rng.random() < 0.02 else "0",
            "tanggal_lahir": born.isoformat(),
            "pendidikan_formal": rng.choice(EDUCATION),
            "kontak_hp": f"08{rng.randrange(11_0000_0000, 99_9999_9999)}",
            "prov_pengusaha": "JAWA TIMUR",
            "kab_pengusaha": "KOTA MALANG",
            "kec_pengusaha": district.upper(),
            "kel_pengusaha": village.upper(),
            "alamat_pengusaha": f"Jl. {village} {rng.randrange(1, 200)}",
            "rt_pengusaha": str(rng.randrange(1, 15)),
            "rw_pengusaha": str(rng.randrange(1, 12)),
            "nama_usaha": f"{product} {name.split()[0]} {i}",
            "kegiatan_utama": f"Produksi dan penjualan {product.lower()}",
            "produk_utama": product,
            "kategori_kbli": "",
            "kode_kbli": rng.choice(KBLI),
            "status_badan_usaha": "PERORANGAN",
            "skala_usaha": "MIKRO" if sales <= 2_000_000_000 else "KECIL",
            "modal_pendirian": str(rng.randrange(1, 200) * 500_000),
            "bulan_mulai_operasi": str(rng.randrange(1, 13)),
            "tahun_mulai_operasi": str(rng.randrange(1995, 2024)),
            "omzet_tahunan": str(sales),
            "asset": str(int(sales * rng.uniform(0.2, 1.5))),
            "prov_usaha": "JAWA TIMUR",
            "kab_usaha": "KOTA MALANG",
            "kec_usaha": district.upper(),
            "kel_usaha": village.upper(),
            "alamat_usaha": f"Jl. {village} {rng.randrange(1, 200)}",
            "rt_usaha": str(rng.randrange(1, 15)),
            "rw_usaha": str(rng.randrange(1, 12)),
            "foto_usaha": "",
            "alamat_latitude": f"{-7.98 + rng.uniform(-0.06, 0.06):.6f}",
            "alamat_longitude": f"{112.63 + rng.uniform(-0.06, 0.06):.6f}",
            "tk_dibayar_laki": str(rng.randrange(0, 3)),
            "tk_dibayar_perempuan": str(rng.randrange(0, 3)),
            "tk_dibayar_disabil_laki": "0",
            "tk_dibayar_disabil_perempuan": "0",
            "tk_not_dibayar_laki": str(rng.randrange(0, 2)),
            "tk_not_dibayar_perempuan": str(rng.randrange(0, 2)),
            "tk_not_dibayar_disabil_laki": "0",
            "tk_not_dibayar_disabil_perempua": "0",
            "pulled_at": f"{pulled:%Y-%m-%d %H:%M:%S}",
            "updated_at": f"{pulled - datetime.timedelta(days=rng.randrange(1, 700)):%Y-%m-%d}",
            "source_page": str(i // 100 + 1),
        }
        if rng.random() < 0.01:
            column, wrong = rng.choice(MISTAKES)
            values[column] = wrong
        yield values


def write_sidt_csv(path: Path, n: int, seed: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(SIDT_COLUMNS)
        for values in _rows(n, seed):
            writer.writerow([values[column] for column in SIDT_COLUMNS])


def write_template_xlsx(path: Path, n: int, seed: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append([column.header for column in TEMPLATE])
    for values in _rows(n, seed):
        sheet.append([values[column.key] for column in TEMPLATE])
    book.save(path)
