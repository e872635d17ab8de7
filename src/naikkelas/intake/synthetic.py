"""Synthetic import files for benchmarks and trials: `naikkelas demo --sidt-csv PATH` and
`--template-xlsx PATH` write N businesses of the home city in either format.

Rows are valid except about one in a hundred, which carries one of the mistakes real
extracts have (a short NIB, a negative turnover, a kelurahan outside the city), so that
an import of the file exercises its error path too.
"""

import csv
import datetime
import json
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
FIRST = ("Siti", "Ahmad", "Dewi", "Budi", "Sri", "Agus", "Nur", "Eko", "Rina", "Joko", "Ani",
         "Yuli", "Hendra", "Wati", "Bambang", "Lina", "Rudi", "Tri", "Endang", "Fajar", "Indah",
         "Slamet", "Ratna", "Dedi", "Yanti", "Wahyu", "Nanik", "Heru", "Umi", "Arif")  # fmt: skip
LAST = ("Wahyuni", "Santoso", "Lestari", "Hidayat", "Rahayu", "Purnomo", "Setiawati",
        "Susanto", "Handayani", "Kurniawan", "Prasetyo", "Maharani", "Saputra", "Fitriani",
        "Nugroho", "Anggraini", "Firmansyah", "Wulandari", "Gunawan", "Utami")  # fmt: skip
# Words Malang's businesses are named with, so names differ as real ones do.
BRANDS = ("Barokah", "Jaya", "Makmur", "Sumber Rejeki", "Berkah", "Sejahtera", "Mandiri",
          "Sentosa", "Lestari", "Arema", "Singosari", "Tugu", "Bromo", "Melati", "Mawar",
          "Cahaya", "Sari Rasa", "Mekar", "Abadi", "Sakinah", "Amanah", "Rizki", "Harapan",
          "Nusantara", "Permata", "Kencana", "Srikandi", "Dhoho", "Kawi", "Brawijaya")  # fmt: skip
MISTAKES = (("nib", "12345"), ("omzet_tahunan", "-1500000"), ("kel_usaha", "KARANGPLOSO"))


SYLLABLES = ("su", "ri", "wa", "ti", "an", "to", "ma", "di", "ra", "ni", "har", "yo", "sa",
             "pur", "no", "wi", "ja", "ya", "ko", "lis", "ta", "mi", "gu", "dar", "ha")  # fmt: skip


def _person(rng: random.Random) -> str:
    """A first name from the list and a family name of syllables: a city has hundreds of
    Sitis but few with the same family name."""
    family = "".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 4)))
    return f"{rng.choice(FIRST)} {family.capitalize()}"


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
        name = _person(rng) if rng.random() < 0.7 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
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
            "nama_usaha": f"{product} {rng.choice(BRANDS)} {name.split()[-1]}",
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


PREFIXES = ("UD. ", "Toko ", "CV ", "")


def _typo(rng: random.Random, text: str) -> str:
    """One letter dropped, doubled or swapped with its neighbour."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _duplicate(rng: random.Random, values: dict[str, str], key: str) -> dict[str, str]:
    """The same business registered again by someone else, as volunteers do: a new key,
    no NIB, the name retyped, the owner's names swapped, the phone written another way,
    the next RT; sometimes without the NIK."""
    copy = dict(values, id_data_badan_usaha=key, nib="")
    name = _typo(rng, values["nama_usaha"]) if rng.random() < 0.6 else values["nama_usaha"]
    name = rng.choice(PREFIXES) + name
    copy["nama_usaha"] = name.upper() if rng.random() < 0.3 else name
    if rng.random() < 0.4:
        copy["nama_pengusaha"] = " ".join(reversed(values["nama_pengusaha"].split()))
    phone = values["kontak_hp"]
    copy["kontak_hp"] = f"+62 {phone[1:4]}-{phone[4:8]}-{phone[8:]}"
    copy["rt_usaha"] = str(int(values["rt_usaha"]) % 14 + 1)
    if rng.random() < 0.3:
        copy["nik_pengusaha"] = ""
    if rng.random() < 0.2:
        copy["kontak_hp"] = ""
    return copy


def _second_business(rng: random.Random, values: dict[str, str], key: str) -> dict[str, str]:
    """The same owner's other business: NIK, phone and address shared, not a duplicate."""
    other = rng.choice([p for p in PRODUCTS if p != values["produk_utama"]])
    return dict(
        values, id_data_badan_usaha=key, nib="", produk_utama=other,
        nama_usaha=f"{other} {values['nama_pengusaha'].split()[-1]} {key[-4:]}",
    )  # fmt: skip


def planted(
    n: int, seed: int, duplicates: float, truth: list[tuple[str, str]]
) -> Iterator[dict[str, str]]:
    """n rows of which about `duplicates` are a second registration of an earlier row
    (its key pair appended to `truth`) and about as many an owner's second, different
    business, which must not be taken for a duplicate."""
    rng = random.Random(seed + 1)
    written = 0
    for values in _rows(n, seed):
        if written >= n:
            return
        yield values
        written += 1
        if written < n and rng.random() < duplicates:
            key = f"{values['id_data_badan_usaha']}-D"
            yield _duplicate(rng, values, key)
            truth.append((values["id_data_badan_usaha"], key))
            written += 1
        if written < n and rng.random() < duplicates:
            yield _second_business(rng, values, f"{values['id_data_badan_usaha']}-B")
            written += 1


def write_sidt_csv(path: Path, n: int, seed: int, duplicates: float = 0.0) -> None:
    """`duplicates`: see `planted`; the true pairs (source keys) go to PATH.truth.json
    for measuring precision and recall."""
    truth: list[tuple[str, str]] = []
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(SIDT_COLUMNS)
        for values in planted(n, seed, duplicates, truth):
            writer.writerow([values[column] for column in SIDT_COLUMNS])
    if duplicates:
        path.with_suffix(path.suffix + ".truth.json").write_text(json.dumps(truth))


def write_template_xlsx(path: Path, n: int, seed: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append([column.header for column in TEMPLATE])
    for values in _rows(n, seed):
        sheet.append([values[column.key] for column in TEMPLATE])
    book.save(path)
