"""A reproducible synthetic city: businesses, owners and their details for demos and benchmarks.

Everything is drawn from one `random.Random(seed)` and one seeded Faker, in a fixed order,
so the same seed gives the same city (only timestamps move with the day it is built).
The only place names used are the home region's kelurahan from the Region table.

This is a bulk loader, not a user action: it writes with bulk_create instead of the
per-row service functions (those would take many minutes for 40,000 records), but keeps
their invariants: personal data only through Owner.set_nik / set_phone, valid identifiers,
`sector` from the KBLI code, and one audit entry per generated business.

The city is calibrated to the seeds (DESIGN §1), exactly, for any size in proportion
(`targets`): of 40,000 businesses, 21,270 verified; 227 verified micro businesses meet every
required readiness criterion and no other business does; 100 confirmed graduations (micro
in 2023, small in 2024, decided by the curator between January and August 2025), 46 of
whose businesses export. A business that happens to come out complete without being one
of the 227 gets one realistic gap (no NIB, no sales channel, no recent turnover figure, no
halal certificate, an expired P-IRT); the readiness engine itself then checks the result.
"""

import datetime
import math
import random
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from faker import Faker

from naikkelas.accounts.demo import ensure_demo_accounts, volunteer_username
from naikkelas.accounts.models import User
from naikkelas.core import audit
from naikkelas.core.errors import DomainError
from naikkelas.core.models import AuditEntry
from naikkelas.graduation.engine import propose_graduations, ready_ids
from naikkelas.graduation.models import (
    EvidenceKind,
    Graduation,
    GraduationStatus,
    SizePolicy,
)
from naikkelas.regions.models import Region
from naikkelas.registry.kbli import sector_of
from naikkelas.registry.models import (
    Basis,
    Business,
    ChannelKind,
    Education,
    FinancialRecord,
    Gender,
    LegalForm,
    LegalityDocument,
    LegalityKind,
    Owner,
    Product,
    SalesChannel,
    Sentra,
    SizeClass,
    Status,
)

DEFAULT_BUSINESSES = 40_000
DEFAULT_SEED = 2024
# The programme's own figure: 21,270 of the city's 40,000 UMKM are curated (DESIGN §1).
VERIFIED_SHARE = (21_270, 40_000)
# Of those, 19,000 were curated before the latest push; the rest recently.
EARLIER_VERIFIED_SHARE = 19_000 / 21_270
# The seeds' outcome figures for the city's 40,000 UMKM: 227 curated micro businesses
# "administratively ready" to move up, 100 that moved up by August 2025, 46 of them
# exporting. Scaled in proportion for another city size (`targets`).
CITY_SIZE = 40_000
READY_SHARE = 227
GRADUATED_SHARE = 100
EXPORTERS_SHARE = 46
# Not counted by the seeds, for realism: proposals awaiting a decision, and rejections.
PROPOSED_SHARE = 12
REJECTED_SHARE = 6
# The graduations the seeds report: micro on 2023's verified turnover, small on 2024's,
# confirmed once the 2024 books were closed and checked, by August 2025.
FROM_YEAR, TO_YEAR = 2023, 2024
DECIDED_FROM, DECIDED_TO = datetime.date(2025, 1, 6), datetime.date(2025, 8, 29)
# Graduates were curated before the cohort was picked in September 2024.
GRADUATE_VERIFIED = (datetime.date(2024, 2, 1), datetime.date(2024, 8, 31))
CHUNK = 2000

ACTION = "demo.generated"


@dataclass(frozen=True)
class Trade:
    """One kind of business: its KBLI codes, how it is named, what it sells and where."""

    key: str
    weight: float
    kbli: tuple[tuple[str, int], ...]
    activity: str
    main_product: str
    prefixes: tuple[str, ...]
    products: tuple[tuple[str, int, int], ...]
    female_share: float
    product_share: float
    channels: str  # key of CHANNEL_PROFILES
    food: bool = False  # food safety permits (PIRT, BPOM) apply
    halal: bool = False
    goods: bool = False  # makes a product that could be packaged, branded and exported


TRADES: tuple[Trade, ...] = (
    Trade(
        "tempe_chips", 7.0, (("10795", 3), ("10792", 2), ("10794", 1)),
        "Produksi keripik tempe", "Keripik tempe",
        ("Keripik Tempe", "Kripik Tempe", "Keripik Tempe", "Tempe"),
        (("Keripik Tempe Original 250 g", 12_000, 20_000),
         ("Keripik Tempe Balado 250 g", 14_000, 22_000),
         ("Keripik Tempe Pedas Manis 500 g", 25_000, 40_000),
         ("Keripik Tempe Rumput Laut 200 g", 13_000, 20_000),
         ("Keripik Tempe Sagu 1 kg", 45_000, 70_000)),
        0.7, 0.85, "goods", food=True, halal=True, goods=True,
    ),
    Trade(
        "tempe_tofu", 3.0, (("10792", 3), ("10793", 2)),
        "Produksi tempe dan tahu", "Tempe dan tahu",
        ("Tempe", "Tahu", "Tahu Tempe", "Pabrik Tahu"),
        (("Tempe Bungkus Daun (10 pcs)", 5_000, 10_000),
         ("Tempe Papan 1 kg", 12_000, 18_000),
         ("Tahu Putih (10 pcs)", 6_000, 10_000),
         ("Tahu Kuning (10 pcs)", 7_000, 12_000)),
        0.45, 0.6, "food", food=True, halal=True, goods=True,
    ),
    Trade(
        "snacks", 7.0, (("10795", 4), ("10799", 1), ("10794", 1)),
        "Produksi keripik dan camilan", "Keripik",
        ("Keripik", "Camilan", "Kerupuk", "Snack", "Aneka Keripik"),
        (("Keripik Apel 100 g", 15_000, 25_000),
         ("Keripik Singkong Pedas 250 g", 10_000, 18_000),
         ("Keripik Nangka 100 g", 15_000, 25_000),
         ("Kerupuk Udang 500 g", 25_000, 45_000),
         ("Basreng Pedas 200 g", 12_000, 20_000),
         ("Makaroni Pedas 250 g", 10_000, 17_000),
         ("Keripik Pisang Cokelat 200 g", 13_000, 22_000)),
        0.7, 0.85, "goods", food=True, halal=True, goods=True,
    ),
    Trade(
        "bakery", 5.0, (("10710", 1),),
        "Produksi roti dan kue", "Roti dan kue",
        ("Roti", "Kue", "Bakery", "Aneka Kue", "Kue Basah", "Dapur Kue"),
        (("Roti Manis Isi Cokelat", 3_000, 6_000),
         ("Brownies Kukus", 35_000, 60_000),
         ("Bolu Pandan", 40_000, 70_000),
         ("Kue Lapis Legit", 80_000, 180_000),
         ("Nastar Toples 500 g", 60_000, 120_000),
         ("Kue Basah Campur (isi 10)", 20_000, 35_000)),
        0.8, 0.8, "goods", food=True, halal=True, goods=True,
    ),
    Trade(
        "processed_food", 4.0, (("10750", 3), ("10799", 1)),
        "Produksi makanan olahan", "Makanan olahan",
        ("Dapur", "Frozen Food", "Sambal", "Olahan", "Dimsum"),
        (("Sambal Bawang 150 g", 18_000, 30_000),
         ("Rendang Kemasan 250 g", 45_000, 75_000),
         ("Dimsum Ayam (isi 10)", 25_000, 40_000),
         ("Nugget Ayam 500 g", 30_000, 45_000),
         ("Bakso Beku 500 g", 30_000, 50_000),
         ("Bumbu Pecel 250 g", 12_000, 20_000)),
        0.75, 0.85, "goods", food=True, halal=True, goods=True,
    ),
    Trade(
        "beverages", 2.5, (("10761", 2), ("11040", 2)),
        "Produksi minuman dan kopi bubuk", "Minuman",
        ("Kopi", "Sari Buah", "Minuman", "Wedang"),
        (("Kopi Bubuk Robusta 200 g", 25_000, 45_000),
         ("Kopi Bubuk Arabika 200 g", 45_000, 80_000),
         ("Sari Apel (1 dus isi 24)", 35_000, 55_000),
         ("Wedang Jahe Instan 250 g", 20_000, 35_000),
         ("Jamu Kunyit Asam 1 L", 20_000, 35_000)),
        0.55, 0.85, "goods", food=True, halal=True, goods=True,
    ),
    Trade(
        "grocery", 17.0, (("47112", 8), ("47111", 1)),
        "Perdagangan eceran sembako", "Sembako",
        ("Toko", "Warung", "Toko Kelontong", "Toko Sembako", "Mracangan"),
        (("Paket Sembako", 100_000, 250_000),
         ("Beras Premium 5 kg", 65_000, 80_000),
         ("Telur Ayam 1 kg", 26_000, 32_000),
         ("Minyak Goreng 2 L", 32_000, 40_000)),
        0.6, 0.2, "service",
    ),
    Trade(
        "online_shop", 6.0, (("47911", 3), ("47241", 2)),
        "Perdagangan eceran makanan dan minuman melalui internet", "Camilan dan hampers",
        ("Olshop", "Toko Online", "Store", "Hampers", "Toko Kue"),
        (("Hampers Lebaran", 150_000, 400_000),
         ("Paket Camilan Nusantara", 50_000, 100_000),
         ("Kue Kering Toples", 50_000, 90_000),
         ("Parsel Buah", 150_000, 350_000)),
        0.75, 0.7, "goods",
    ),
    Trade(
        "clothing_shop", 4.0, (("47711", 1),),
        "Perdagangan eceran pakaian", "Pakaian",
        ("Butik", "Toko Baju", "Distro", "Galeri Busana"),
        (("Gamis Katun", 120_000, 250_000),
         ("Hijab Segi Empat", 25_000, 60_000),
         ("Kaos Distro", 60_000, 120_000),
         ("Kemeja Batik", 120_000, 250_000)),
        0.7, 0.6, "goods",
    ),
    Trade(
        "eatery", 10.0, (("56102", 3), ("56101", 1)),
        "Warung makan", "Makanan siap saji",
        ("Warung Makan", "Depot", "Rumah Makan", "Warung", "Lesehan"),
        (("Nasi Pecel", 10_000, 15_000),
         ("Rawon", 15_000, 25_000),
         ("Soto Ayam", 12_000, 20_000),
         ("Nasi Campur", 13_000, 22_000),
         ("Ayam Geprek", 12_000, 20_000),
         ("Pecel Lele", 13_000, 20_000)),
        0.6, 0.6, "food", halal=True,
    ),
    Trade(
        "street_food", 4.0, (("56104", 2), ("56103", 1)),
        "Penjualan makanan keliling dan kaki lima", "Makanan ringan",
        ("Bakso", "Mie Ayam", "Cilok", "Pentol", "Nasi Goreng", "Martabak"),
        (("Bakso Urat", 12_000, 20_000),
         ("Mie Ayam Bakso", 12_000, 18_000),
         ("Cilok Bumbu Kacang", 5_000, 10_000),
         ("Pentol Bakar", 5_000, 10_000),
         ("Martabak Manis", 20_000, 40_000)),
        0.35, 0.4, "food", halal=True,
    ),
    Trade(
        "cafe", 3.0, (("56303", 1),),
        "Kedai kopi dan minuman", "Minuman",
        ("Kedai Kopi", "Kafe", "Warkop", "Kopi"),
        (("Es Kopi Susu", 12_000, 22_000),
         ("Teh Tarik", 8_000, 15_000),
         ("Roti Bakar", 12_000, 20_000),
         ("Pisang Goreng Keju", 10_000, 18_000)),
        0.35, 0.7, "food", halal=True,
    ),
    Trade(
        "catering", 2.0, (("56210", 1),),
        "Jasa boga (katering)", "Nasi kotak",
        ("Katering", "Catering", "Dapur"),
        (("Nasi Kotak", 20_000, 35_000),
         ("Tumpeng Mini", 150_000, 300_000),
         ("Snack Box", 10_000, 20_000)),
        0.8, 0.8, "food", halal=True,
    ),
    Trade(
        "rattan", 1.2, (("31002", 2), ("16291", 1)),
        "Kerajinan dan mebel rotan", "Kerajinan rotan",
        ("Kerajinan Rotan", "Rotan", "Mebel Rotan", "Anyaman Rotan"),
        (("Kursi Rotan", 350_000, 900_000),
         ("Keranjang Rotan", 40_000, 120_000),
         ("Tas Rotan", 80_000, 250_000),
         ("Kap Lampu Rotan", 75_000, 200_000),
         ("Set Meja Kursi Rotan", 1_500_000, 3_500_000)),
        0.3, 0.9, "goods", goods=True,
    ),
    Trade(
        "racket", 0.5, (("32300", 1),),
        "Pembuatan raket bulu tangkis", "Raket bulu tangkis",
        ("Raket", "Sport", "Raket Bulu Tangkis"),
        (("Raket Bulu Tangkis", 150_000, 450_000),
         ("Senar Raket (pasang)", 30_000, 60_000),
         ("Grip Raket", 10_000, 20_000),
         ("Kok Bulu Tangkis (slop)", 60_000, 120_000)),
        0.2, 0.9, "goods", goods=True,
    ),
    Trade(
        "ceramics", 0.8, (("23939", 1),),
        "Kerajinan keramik dan gerabah", "Keramik hias",
        ("Keramik", "Gerabah", "Galeri Keramik"),
        (("Vas Keramik", 50_000, 250_000),
         ("Set Cangkir Keramik", 75_000, 200_000),
         ("Piring Hias", 40_000, 150_000),
         ("Celengan Gerabah", 15_000, 40_000)),
        0.4, 0.9, "goods", goods=True,
    ),
    Trade(
        "crafts", 2.0, (("13134", 2), ("32909", 2)),
        "Kerajinan batik dan suvenir", "Batik dan suvenir",
        ("Batik", "Kerajinan", "Suvenir", "Galeri", "Sanggar"),
        (("Batik Tulis", 250_000, 800_000),
         ("Kain Batik Cap", 120_000, 250_000),
         ("Gantungan Kunci", 3_000, 8_000),
         ("Topeng Kayu", 75_000, 350_000),
         ("Tas Anyaman", 50_000, 150_000)),
        0.6, 0.9, "goods", goods=True,
    ),
    Trade(
        "apparel", 5.0, (("14111", 3), ("14120", 2)),
        "Konveksi dan penjahitan pakaian", "Pakaian jadi",
        ("Konveksi", "Penjahit", "Jahit", "Modiste", "Sablon"),
        (("Seragam Sekolah", 75_000, 150_000),
         ("Kaos Sablon", 45_000, 85_000),
         ("Kemeja Batik", 120_000, 250_000),
         ("Mukena", 120_000, 300_000),
         ("Jasa Jahit Kebaya", 150_000, 400_000)),
        0.65, 0.75, "goods", goods=True,
    ),
    Trade(
        "services", 9.0,
        (("96012", 3), ("96021", 2), ("96022", 2), ("45407", 3), ("95120", 2), ("82190", 1)),
        "Jasa perorangan", "Jasa",
        ("Laundry", "Salon", "Pangkas Rambut", "Bengkel", "Servis HP", "Fotokopi"),
        (("Cuci Setrika per kg", 6_000, 10_000),
         ("Potong Rambut", 15_000, 35_000),
         ("Servis Motor Ringan", 50_000, 120_000),
         ("Ganti LCD HP", 250_000, 800_000)),
        0.45, 0.3, "service",
    ),
)  # fmt: skip
TRADE_BY_KEY = {t.key: t for t in TRADES}


@dataclass(frozen=True)
class SentraPlan:
    """A real-looking cluster, placed in the named kelurahan when the home region has it."""

    trade: str
    label: str  # "Sentra Keripik Tempe"
    place: str  # what the cluster is known as, when the kelurahan is found
    kelurahan: str
    street: str
    share: float
    description: str


SENTRA: tuple[SentraPlan, ...] = (
    SentraPlan(
        "tempe_chips", "Sentra Keripik Tempe", "Sanan", "Purwantoro", "Jl. Sanan", 0.004,
        "Kampung produsen tempe dan keripik tempe rumahan.",
    ),
    SentraPlan(
        "rattan", "Sentra Kerajinan Rotan", "Tasikmadu", "Tasikmadu", "Jl. Bulu Tangkis",
        0.0012, "Perajin mebel dan anyaman rotan di sepanjang jalan utama kampung.",
    ),
    SentraPlan(
        "racket", "Kampung Raket", "", "Bandungrejosari", "Jl. Kemantren II", 0.0008,
        "Perajin raket bulu tangkis rumahan, senar dan perlengkapannya.",
    ),
    SentraPlan(
        "ceramics", "Sentra Keramik", "Dinoyo", "Dinoyo", "Jl. MT Haryono", 0.0008,
        "Perajin dan galeri keramik hias.",
    ),
)  # fmt: skip

# Names that make up shop names all over Indonesia.
BRANDS = (
    "Berkah", "Berkah Jaya", "Sumber Rejeki", "Sumber Makmur", "Sido Mulyo", "Sido Makmur",
    "Sari Rasa", "Sari Roso", "Citra", "Karya Mandiri", "Mitra Usaha", "Dua Putri",
    "Tiga Putra", "Cahaya", "Cahaya Abadi", "Sinar Jaya", "Mekar Sari", "Mekar Jaya",
    "Barokah", "Amanah", "Lestari", "Sejahtera", "Makmur Jaya", "Rizki", "Rezeki Lancar",
    "Maju Jaya", "Maju Bersama", "Sentosa", "Abadi", "Mulya", "Langgeng", "Tunas Harapan",
    "Bintang", "Harapan Baru", "Sederhana", "Mandiri", "Al-Ikhlas", "Kurnia", "Anugerah",
    "Pelangi", "Mbois", "Nikmat", "Sehat", "Podo Moro", "Jaya Abadi", "Murah Meriah",
)  # fmt: skip
STREETS = (
    "Jl. Mawar", "Jl. Melati", "Jl. Kenanga", "Jl. Anggrek", "Jl. Flamboyan", "Jl. Cempaka",
    "Jl. Teratai", "Jl. Dahlia", "Jl. Diponegoro", "Jl. Jenderal Sudirman", "Jl. Ahmad Yani",
    "Jl. Gatot Subroto", "Jl. Kartini", "Jl. Imam Bonjol", "Jl. Pattimura", "Jl. Hasanuddin",
    "Jl. Teuku Umar", "Jl. Cut Nyak Dien", "Jl. Ki Hajar Dewantara", "Jl. Pahlawan",
    "Jl. Veteran", "Jl. Kawi", "Jl. Merdeka", "Jl. Sukarno Hatta", "Jl. Danau Toba",
    "Jl. Sunan Kalijaga", "Jl. Raden Intan", "Jl. Letjen S. Parman", "Jl. Mayjen Panjaitan",
    "Jl. Sumbersari", "Jl. Kalpataru", "Jl. Candi", "Jl. Kelapa Sawit", "Jl. Terusan",
    "Jl. Mangga", "Jl. Jambu", "Jl. Durian", "Jl. Sawo", "Jl. Sidomulyo", "Jl. Tirto",
)  # fmt: skip
RETURN_REASONS = (
    "NIK pemilik tidak sesuai dengan KTP.",
    "Alamat usaha belum lengkap (RT/RW kosong).",
    "Omzet tahunan belum diisi.",
    "NIB tidak ditemukan di OSS, mohon dicek ulang.",
    "KBLI tidak sesuai dengan kegiatan usaha.",
    "Foto usaha belum dilampirkan.",
    "Nama usaha berbeda dengan dokumen perizinan.",
)
ARCHIVE_REASONS = (
    "Usaha sudah tidak beroperasi.",
    "Pemilik pindah ke luar kota.",
    "Data ganda dengan usaha lain yang sudah terkurasi.",
    "Usaha tutup sejak pandemi.",
)
VERIFIED_EVIDENCE = (
    "Buku kas dan nota penjualan diperiksa saat kunjungan.",
    "Rekening koran 12 bulan.",
    "Laporan keuangan sederhana (SIAPIK).",
    "Rekap penjualan marketplace.",
)
# How each confirmed graduation was proven: evidence kind and the curator's note.
GRADUATION_EVIDENCE = (
    (EvidenceKind.TAX_REPORT, "SPT Tahunan PPh {year} dan bukti setor PPh Final UMKM 0,5%."),
    (EvidenceKind.TAX_REPORT, "SPT Tahunan {year}, omzet sesuai laporan keuangan."),
    (EvidenceKind.BANK_STATEMENT, "Rekening koran Januari-Desember {year} (Bank Jatim)."),
    (EvidenceKind.BANK_STATEMENT, "Rekening koran {year} (BPR Tugu Arta) dan mutasi QRIS."),
    (EvidenceKind.INVOICE_LEDGER, "Rekap faktur penjualan {year}, diperiksa saat kunjungan."),
    (EvidenceKind.INVOICE_LEDGER, "Buku faktur {year} termasuk invoice dan dokumen ekspor."),
)
REJECTION_REASONS = (
    "Rekening koran tidak menunjukkan omzet sebesar yang dilaporkan.",
    "Kenaikan omzet dari satu pesanan proyek; ditinjau lagi dengan laporan tahun berikutnya.",
    "Nota penjualan belum lengkap untuk semester kedua.",
)
# Who graduates (and who of them exports) leans to the seeds' picture: packaged chips,
# processed food and crafts, for New Zealand and the Middle East first.
GRADUATE_WEIGHT = {
    "tempe_chips": 3.0, "snacks": 3.0, "processed_food": 3.0, "beverages": 1.5,
    "bakery": 1.2, "tempe_tofu": 0.5, "crafts": 6.0, "rattan": 6.0, "ceramics": 5.0,
    "racket": 3.0, "apparel": 1.2,
}  # fmt: skip
EXPORTER_WEIGHT = {
    "tempe_chips": 4.0, "snacks": 4.0, "processed_food": 3.0, "beverages": 1.5,
    "bakery": 0.5, "tempe_tofu": 0.2, "crafts": 3.0, "rattan": 3.0, "ceramics": 2.0,
    "racket": 0.7, "apparel": 0.7,
}  # fmt: skip
FIRST_MARKETS = ("Selandia Baru", "Arab Saudi", "Uni Emirat Arab", "Malaysia")
MORE_MARKETS = {
    "food": ("Qatar", "Singapura", "Brunei Darussalam", "Hong Kong", "Kuwait"),
    "goods": ("Australia", "Jepang", "Belanda", "Singapura", "Qatar"),
}

# (platform, kind, weight) by the kind of trade.
_C = ChannelKind
CHANNEL_PROFILES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "goods": (
        ("WhatsApp", _C.MESSAGING, 10), ("Instagram", _C.SOCIAL, 7), ("Facebook", _C.SOCIAL, 4),
        ("TikTok", _C.SOCIAL, 3), ("Shopee", _C.MARKETPLACE, 6), ("Tokopedia", _C.MARKETPLACE, 4),
        ("TikTok Shop", _C.MARKETPLACE, 2), ("Website", _C.WEBSITE, 1),
        ("Katalog Produk Lokal", _C.CATALOGUE, 2),
    ),
    "food": (
        ("WhatsApp", _C.MESSAGING, 10), ("GoFood", _C.DELIVERY, 7), ("GrabFood", _C.DELIVERY, 5),
        ("ShopeeFood", _C.DELIVERY, 4), ("Instagram", _C.SOCIAL, 5), ("Facebook", _C.SOCIAL, 2),
    ),
    "service": (
        ("WhatsApp", _C.MESSAGING, 10), ("Instagram", _C.SOCIAL, 3), ("Facebook", _C.SOCIAL, 3),
        ("Shopee", _C.MARKETPLACE, 1),
    ),
}  # fmt: skip
EDUCATION_WEIGHTS = (
    (Education.NONE, 2), (Education.SD, 14), (Education.SMP, 19), (Education.SMA, 45),
    (Education.DIPLOMA, 7), (Education.S1, 12), (Education.S2, 1),
)  # fmt: skip
# Mobile prefixes after +62 (Telkomsel, Indosat, XL, Tri, Smartfren).
PHONE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "852", "853", "814", "815", "856", "857",
    "858", "817", "818", "819", "859", "877", "878", "895", "896", "897", "898", "881", "882",
)  # fmt: skip


@dataclass
class DemoSummary:
    businesses: int = 0
    owners: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    financial_records: int = 0
    legality_documents: int = 0
    products: int = 0
    channels: int = 0
    audit_entries: int = 0
    # Calibration to the seeds: ready as the readiness engine finds it after the build,
    # graduations by status, and exporting businesses.
    ready: int = 0
    graduated: int = 0
    proposed: int = 0
    rejected: int = 0
    exporters: int = 0
    sentra: list[tuple[str, str, int]] = field(default_factory=list)  # name, kelurahan, members
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    seed: int = DEFAULT_SEED
    seconds: float = 0.0

    @property
    def verified(self) -> int:
        return self.by_status.get(Status.VERIFIED, 0)


def verified_target(businesses: int) -> int:
    return round(businesses * VERIFIED_SHARE[0] / VERIFIED_SHARE[1])


class Targets(NamedTuple):
    """What a city of a given size must show: (ready, graduated, exporters)."""

    ready: int
    graduated: int
    exporters: int


def targets(businesses: int) -> Targets:
    """The seeds' 227 ready, 100 graduated and 46 exporting, in proportion to 40,000."""

    def share(count: int) -> int:
        return round(businesses * count / CITY_SIZE)

    graduated = share(GRADUATED_SHARE)
    return Targets(share(READY_SHARE), graduated, min(share(EXPORTERS_SHARE), graduated))


def _normal_name(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


@contextmanager
def _explicit_timestamps(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create store our created_at/updated_at instead of "now".

    auto_now(_add) overrides any value at insert; a demo registry whose records were all
    created this second would make every time chart flat. Restored on exit.
    """
    saved: list[tuple[models.DateField, bool, bool]] = []
    for model, name in model_fields:
        f = model._meta.get_field(name)
        assert isinstance(f, models.DateField)
        saved.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass
class _Spec:
    village: Region
    trade: Trade
    status: str
    sentra: Sentra | None = None
    street: str = ""
    # One of the ready micro businesses: complete on every required criterion.
    champion: bool = False
    # A graduation: "confirmed", "rejected" or "proposed" (awaiting a decision).
    graduation: str = ""
    exporter: bool = False
    decided_at: datetime.datetime | None = None
    checked_at: datetime.datetime | None = None  # when the curator verified the new year

    @property
    def showcase(self) -> bool:
        """Ready or graduating: legality, channels and products are complete."""
        return self.champion or bool(self.graduation)


@dataclass
class _Person:
    owner: Owner
    first_name: str
    female: bool


class _CityBuilder:
    def __init__(self, businesses: int, seed: int) -> None:
        self.n = businesses
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.last_year = self.today.year - 1
        self.region_digits = settings.NAIKKELAS_REGION.replace(".", "")
        self.villages = list(Region.objects.home().kelurahan().order_by("code"))
        if not self.villages:
            raise DomainError(
                f"No kelurahan found under the home region {settings.NAIKKELAS_REGION}; "
                "load the regions first (naikkelas migrate).",
                code="no_regions",
            )
        users = User.objects.filter(
            username__in=["kurator", *(volunteer_username(v.code) for v in self.villages)]
        )
        by_name = {u.username: u for u in users}
        self.curator = by_name.get("kurator")
        self.volunteers = {v.code: by_name.get(volunteer_username(v.code)) for v in self.villages}
        self.used_nik: set[str] = set()
        self.used_nib: set[str] = set()
        self.used_phone: set[str] = set()
        self.owner_pool: list[_Person] = []
        self.champions: set[int] = set()
        self.graduations: dict[int, _Spec] = {}
        self.summary = DemoSummary(seed=seed)
        self.streets = {
            v.code: [f"Jl. Raya {v.name}", f"Jl. {v.name}", *self.rng.sample(STREETS, 8)]
            for v in self.villages
        }

    # ---- planning: where each business is, what it does, and its status

    def _sentra(self) -> list[tuple[SentraPlan, Sentra, Region, bool]]:
        by_name = {_normal_name(v.name): v for v in self.villages}
        placed = []
        for plan in SENTRA:
            village = by_name.get(_normal_name(plan.kelurahan))
            found = village is not None
            if village is None:
                village = self.rng.choice(self.villages)
            name = f"{plan.label} {plan.place if found and plan.place else village.name}"
            sentra, _created = Sentra.objects.update_or_create(
                name=name, defaults={"kelurahan": village, "description": plan.description}
            )
            placed.append((plan, sentra, village, found))
        return placed

    def _plan(self) -> list[_Spec]:
        rng = self.rng
        specs: list[_Spec] = []
        for plan, sentra, village, found in self._sentra():
            members = round(self.n * plan.share)
            if self.n >= 100:
                members = max(members, 3)
            members = min(members, self.n - len(specs))
            street = plan.street if found else ""
            specs += [
                _Spec(village, TRADE_BY_KEY[plan.trade], "", sentra, street) for _ in range(members)
            ]
            self.summary.sentra.append((sentra.name, village.name, members))
        # Uneven on purpose: some kelurahan are market or cluster areas, others residential.
        weights = [rng.lognormvariate(0, 0.55) for _ in self.villages]
        rest = self.n - len(specs)
        villages = rng.choices(self.villages, weights=weights, k=rest)
        trades = rng.choices(TRADES, weights=[t.weight for t in TRADES], k=rest)
        specs += [_Spec(v, t, "") for v, t in zip(villages, trades, strict=True)]
        rng.shuffle(specs)

        verified = verified_target(self.n)
        others = self.n - verified
        archived = round(others * 0.015)
        returned = round(others * 0.12)
        submitted = round(others * 0.38)
        statuses = (
            [Status.VERIFIED] * verified
            + [Status.ARCHIVED] * archived
            + [Status.RETURNED] * returned
            + [Status.SUBMITTED] * submitted
            + [Status.DRAFT] * (others - archived - returned - submitted)
        )
        rng.shuffle(statuses)
        for spec, status in zip(specs, statuses, strict=True):
            spec.status = status
        self._cast(specs)
        return specs

    def _cast(self, specs: list[_Spec]) -> None:
        """Pick who is ready, who graduates and who exports, among verified goods makers."""
        rng = self.rng
        goal = targets(self.n)
        pool = [s for s in specs if s.status == Status.VERIFIED and s.trade.goods]
        rng.shuffle(pool)
        for spec in pool[: goal.ready]:
            spec.champion = True
        pool = pool[goal.ready :]

        def weighted(people: list[_Spec], weight: dict[str, float], k: int) -> list[_Spec]:
            # Weighted sampling without replacement (Efraimidis-Spirakis), reproducible.
            keyed = [
                (rng.random() ** (1 / weight.get(person.trade.key, 0.2)), i)
                for i, person in enumerate(people)
            ]
            keyed.sort(reverse=True)
            return [people[i] for _, i in keyed[:k]]

        def share(count: int) -> int:
            return round(self.n * count / CITY_SIZE)

        chosen = weighted(pool, GRADUATE_WEIGHT, goal.graduated + share(REJECTED_SHARE))
        graduates, rejected = chosen[: goal.graduated], chosen[goal.graduated :]
        for spec in graduates:
            spec.graduation = GraduationStatus.CONFIRMED
        for spec in rejected:
            spec.graduation = GraduationStatus.REJECTED
        for spec in weighted(graduates, EXPORTER_WEIGHT, goal.exporters):
            spec.exporter = True
        decided = graduates + rejected
        rng.shuffle(decided)
        # Decisions spread evenly over the months, on office hours.
        span = (DECIDED_TO - DECIDED_FROM).days
        for i, spec in enumerate(decided):
            day = DECIDED_FROM + datetime.timedelta(
                days=min(span, round((i + rng.random()) * span / max(len(decided), 1)))
            )
            spec.decided_at = min(self.now, _office_hours(day, rng))
        rest = [s for s in pool if not s.graduation]
        for spec in rest[: share(PROPOSED_SHARE)]:
            spec.graduation = GraduationStatus.PROPOSED

    # ---- people

    def _nik(self, village: Region, birth: datetime.date, female: bool) -> str:
        district = (village.parent_id or village.code[:8]).replace(".", "")
        day = birth.day + 40 if female else birth.day
        while True:
            nik = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
            nik += f"{self.rng.randint(1, 9999):04d}"
            if nik not in self.used_nik:
                self.used_nik.add(nik)
                return nik

    def _phone(self) -> str:
        while True:
            digits = self.rng.choice((7, 8, 8))
            phone = (
                f"+62{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(10**digits):0{digits}d}"
            )
            if phone not in self.used_phone:
                self.used_phone.add(phone)
                return phone

    def _person(self, spec: _Spec) -> _Person:
        rng, fake = self.rng, self.fake
        female = rng.random() < spec.trade.female_share
        if female:
            first = fake.first_name_female()
            last = fake.last_name_female()
        else:
            first = fake.first_name_male()
            last = fake.last_name_male()
        shape = rng.random()
        name = first if shape < 0.15 else f"{first} {last}"
        age = int(rng.triangular(19, 72, 43))
        if age >= 50 and rng.random() < 0.12:
            # Hajj titles are part of how older owners are known and addressed.
            name = ("Hj. " if female else "H. ") + name
        birth = datetime.date(self.today.year - age, 1, 1) + datetime.timedelta(
            days=rng.randrange(365)
        )
        # Most UMKM are home businesses: the owner lives where the business is.
        home = spec.village if rng.random() < 0.82 else rng.choice(self.villages)
        owner = Owner(
            name=name,
            gender=Gender.FEMALE if female else Gender.MALE,
            has_disability=rng.random() < 0.015,
            birth_date=birth,
            education=rng.choices(
                [e for e, _ in EDUCATION_WEIGHTS], weights=[w for _, w in EDUCATION_WEIGHTS]
            )[0],
            kelurahan=home,
            rt=rng.randint(1, 12),
            rw=rng.randint(1, 9),
        )
        owner.street = self._street(home)
        owner.set_nik(self._nik(home, birth, female))
        if rng.random() < 0.92:
            owner.set_phone(self._phone())
        return _Person(owner, first, female)

    def _street(self, village: Region) -> str:
        street = self.rng.choice(self.streets[village.code])
        if self.rng.random() < 0.3:
            street += f" Gg. {self.rng.randint(1, 12)}"
        return f"{street} No. {self.rng.randint(1, 180)}"

    # ---- businesses

    def _name(self, spec: _Spec, person: _Person) -> str:
        rng = self.rng
        prefix = rng.choice(spec.trade.prefixes)
        shape = rng.random()
        if shape < 0.4:
            honorific = rng.choice(
                ("Bu", "Bu", "Mbak", "Ning") if person.female else ("Pak", "Pak", "Cak", "Mas")
            )
            return f"{prefix} {honorific} {person.first_name}"
        if shape < 0.93:
            return f"{prefix} {rng.choice(BRANDS)}"
        return f"{prefix} {rng.choice(BRANDS)} {rng.randint(1, 3)}"

    def _nib(self) -> str:
        while True:
            # OSS numbers seen in the field start 91 or 12; only the length is checked.
            prefix = self.rng.choice(("91", "91", "12"))
            nib = f"{prefix}{self.rng.randrange(10**11):011d}"
            if nib not in self.used_nib:
                self.used_nib.add(nib)
                return nib

    def _sales(self, spec: _Spec) -> int:
        rng = self.rng
        if spec.champion:
            value = rng.uniform(0.9e9, 1.95e9)
        elif spec.exporter:
            value = rng.uniform(3.0e9, 9.0e9)
        elif spec.graduation == GraduationStatus.REJECTED:
            value = rng.uniform(2.1e9, 2.6e9)
        elif spec.graduation:
            value = rng.uniform(2.3e9, 5.5e9)
        elif rng.random() < 0.001:
            value = rng.uniform(15.5e9, 48e9)
        else:
            # Log-normal around Rp180 million a year: mostly micro, a tail of small ones.
            value = min(rng.lognormvariate(math.log(180e6), 1.05), 14.5e9)
            value = max(value, 6e6)
        return _round(value, 100_000)

    def _times(self, spec: _Spec) -> dict[str, datetime.datetime | None]:
        rng, now, status = self.rng, self.now, spec.status

        def ago(low: float, high: float) -> datetime.datetime:
            return now - datetime.timedelta(days=rng.uniform(low, high))

        def before(moment: datetime.datetime, low: float, high: float) -> datetime.datetime:
            return moment - datetime.timedelta(days=rng.uniform(low, high))

        submitted: datetime.datetime | None = None
        verified: datetime.datetime | None = None
        if status == Status.VERIFIED:
            earlier = rng.random() < EARLIER_VERIFIED_SHARE
            verified = ago(240, 900) if earlier else ago(0.2, 239)
            if spec.decided_at is not None:
                # Curated before the cohort was picked; last changed when it graduated.
                low, high = GRADUATE_VERIFIED
                verified = min(
                    now,
                    _office_hours(low + datetime.timedelta(rng.randrange((high - low).days)), rng),
                )
            submitted = before(verified, 0.5, 45)
            created = before(submitted, 0, 30)
            updated = max(verified, spec.decided_at or verified)
        elif status == Status.SUBMITTED:
            submitted = ago(0.1, 120)
            created = before(submitted, 0, 30)
            updated = submitted
        elif status == Status.RETURNED:
            submitted = ago(5, 200)
            created = before(submitted, 0, 30)
            updated = min(now, submitted + datetime.timedelta(days=rng.uniform(1, 20)))
        elif status == Status.ARCHIVED:
            created = ago(120, 900)
            updated = min(now, created + datetime.timedelta(days=rng.uniform(30, 400)))
        else:
            created = ago(0.1, 400)
            updated = min(now, created + datetime.timedelta(days=rng.uniform(0, 20)))
        return {
            "created_at": created,
            "updated_at": updated,
            "submitted_at": submitted,
            "verified_at": verified,
        }

    def _business(self, spec: _Spec, person: _Person, sales: int) -> Business:
        rng, trade = self.rng, spec.trade
        kbli = rng.choices([k for k, _ in trade.kbli], weights=[w for _, w in trade.kbli])[0]
        verified = spec.status == Status.VERIFIED
        has_nib = spec.showcase or rng.random() < (0.85 if verified else 0.55)
        legal_form: str
        if sales > 2_000_000_000:
            legal_form = rng.choices(
                [LegalForm.INDIVIDUAL, LegalForm.CV, LegalForm.PT, LegalForm.PT_PERORANGAN],
                weights=[45, 25, 15, 15],
            )[0]
        else:
            legal_form = rng.choices(
                [
                    LegalForm.INDIVIDUAL, LegalForm.PT_PERORANGAN, LegalForm.CV,
                    LegalForm.COOPERATIVE, LegalForm.OTHER, "",
                ],
                weights=[90, 4, 2, 1, 1, 2],
            )[0]  # fmt: skip
        latitude = longitude = None
        village = spec.village
        lat, lng = village.centroid_lat, village.centroid_lng
        # A few records were never geotagged in the field.
        if lat is not None and lng is not None and rng.random() < 0.93:
            latitude = Decimal(f"{lat + rng.gauss(0, 0.003):.6f}")
            longitude = Decimal(f"{lng + rng.gauss(0, 0.003):.6f}")
        times = self._times(spec)
        registered = times["created_at"]
        assert registered is not None
        # A business is registered after it started, not before.
        start_year = min(registered.year, int(self.today.year - rng.expovariate(1 / 7)))
        start_year = max(start_year, 1980)
        # Workers grow with turnover; most micro businesses are the owner and family.
        paid = 0 if rng.random() < 0.45 else int(rng.expovariate(1 / (1 + sales / 300e6)))
        paid = min(paid, 120)
        paid_female = sum(rng.random() < trade.female_share for _ in range(min(paid, 20)))
        paid_female = round(paid_female * paid / min(paid, 20)) if paid else 0
        unpaid = rng.choice((0, 1, 1, 2, 2, 3))
        unpaid_female = sum(rng.random() < 0.55 for _ in range(unpaid))
        paid_male = paid - paid_female
        disabled_male = disabled_female = 0
        if paid and rng.random() < 0.03:
            if paid_male:
                paid_male, disabled_male = paid_male - 1, 1
            else:
                paid_female, disabled_female = paid_female - 1, 1

        status_reason = ""
        if spec.status == Status.RETURNED:
            status_reason = rng.choice(RETURN_REASONS)
        elif spec.status == Status.ARCHIVED:
            status_reason = rng.choice(ARCHIVE_REASONS)
        version = {
            Status.DRAFT: 1,
            Status.SUBMITTED: 2,
            Status.RETURNED: 3,
            Status.VERIFIED: 3,
            Status.ARCHIVED: 2,
        }[Status(spec.status)]
        return Business(
            name=self._name(spec, person),
            owner=person.owner,
            nib=self._nib() if has_nib else "",
            kbli=kbli,
            sector=sector_of(kbli) or "",
            main_activity=trade.activity,
            main_product=trade.main_product,
            legal_form=legal_form,
            reported_size_class=self._reported_class(sales),
            start_month=rng.randint(1, 12) if rng.random() < 0.9 else None,
            start_year=start_year,
            founding_capital=(
                max(500_000, _round(rng.lognormvariate(math.log(8e6), 1.0), 500_000))
                if rng.random() < 0.75
                else None
            ),
            kelurahan=village,
            rw=rng.randint(1, 12),
            rt=rng.randint(1, 15),
            street=(
                f"{spec.street} No. {rng.randint(1, 120)}" if spec.street else self._street(village)
            ),
            latitude=latitude,
            longitude=longitude,
            sentra=spec.sentra,
            exports=spec.exporter,
            export_destinations=self._destinations(spec) if spec.exporter else "",
            paid_male=paid_male,
            paid_female=paid_female,
            paid_disabled_male=disabled_male,
            paid_disabled_female=disabled_female,
            unpaid_male=unpaid - unpaid_female,
            unpaid_female=unpaid_female,
            status=spec.status,
            status_reason=status_reason,
            version=version,
            created_by=self.volunteers.get(village.code),
            verified_by=self.curator if spec.status == Status.VERIFIED else None,
            **times,
        )

    def _destinations(self, spec: _Spec) -> str:
        rng = self.rng
        more = MORE_MARKETS["food" if spec.trade.food else "goods"]
        markets = [rng.choice(FIRST_MARKETS)]
        for market in rng.sample(more, rng.choice((0, 1, 1, 2))):
            markets.append(market)
        if rng.random() < 0.3:
            markets.append(rng.choice(FIRST_MARKETS))
        return ", ".join(dict.fromkeys(markets))

    def _reported_class(self, sales: int) -> str:
        # What the owner reports is usually right, sometimes blank, sometimes off:
        # mismatches are data-quality findings the product has to show.
        r = self.rng.random()
        if sales > 15_000_000_000:
            return SizeClass.MEDIUM if r < 0.6 else SizeClass.SMALL
        if sales > 2_000_000_000:
            return SizeClass.SMALL if r < 0.7 else (SizeClass.MICRO if r < 0.9 else "")
        return SizeClass.MICRO if r < 0.85 else ("" if r < 0.98 else SizeClass.SMALL)

    # ---- details

    def _financials(self, spec: _Spec, business: Business, sales: int) -> list[FinancialRecord]:
        rng = self.rng
        if spec.graduation:
            return self._graduation_financials(spec, business, sales)
        records: list[FinancialRecord] = []
        if not spec.champion and rng.random() < 0.07:
            return records
        capital = _round(sales * rng.uniform(0.08, 0.5), 100_000)
        assets = _round(capital * rng.uniform(1.1, 2.5), 100_000)
        reported_sales: int | None = sales
        if not spec.champion and rng.random() < 0.03:
            reported_sales = None  # only capital known: the class rests on capital
        stamp = business.updated_at
        records.append(
            FinancialRecord(
                business=business,
                year=self.last_year,
                basis=Basis.REPORTED,
                annual_sales=reported_sales,
                capital=capital,
                assets=assets,
                recorded_by=business.created_by,
                recorded_at=stamp,
            )
        )
        if rng.random() < 0.3:
            records.append(
                FinancialRecord(
                    business=business,
                    year=self.last_year - 1,
                    basis=Basis.REPORTED,
                    annual_sales=_round(sales / rng.uniform(0.85, 1.5), 100_000),
                    capital=_round(capital * rng.uniform(0.7, 1.0), 100_000),
                    assets=_round(assets * rng.uniform(0.7, 1.0), 100_000),
                    recorded_by=business.created_by,
                    recorded_at=stamp,
                )
            )
        if spec.status == Status.VERIFIED and (spec.champion or rng.random() < 0.3):
            records.append(
                FinancialRecord(
                    business=business,
                    year=self.last_year,
                    basis=Basis.VERIFIED,
                    annual_sales=min(
                        _round(sales * rng.uniform(0.88, 1.05), 100_000), 2_000_000_000
                    )
                    if spec.champion
                    else _round(sales * rng.uniform(0.8, 1.1), 100_000),
                    capital=capital,
                    assets=assets,
                    evidence=rng.choice(VERIFIED_EVIDENCE),
                    recorded_by=self.curator,
                    recorded_at=business.verified_at or stamp,
                )
            )
        return records

    def _graduation_financials(
        self, spec: _Spec, business: Business, sales: int
    ) -> list[FinancialRecord]:
        """Two verified years, micro then small, which the engine proposes as a graduation.

        Decided ones went from micro in 2023 to small in 2024 and have reported a later
        year since; one awaiting a decision moved up in the last two years.
        """
        rng = self.rng
        decided = spec.decided_at is not None
        from_year, to_year = (FROM_YEAR, TO_YEAR) if decided else (
            self.last_year - 1, self.last_year,
        )  # fmt: skip
        to_sales = max(2_050_000_000, _round(sales * rng.uniform(0.8, 0.97), 100_000))
        from_sales = _round(rng.uniform(1.3e9, 1.95e9), 100_000)
        closed = timezone.make_aware(datetime.datetime(from_year + 1, 1, 15, 9))
        verified_at = min(self.now, max(business.verified_at or business.updated_at, closed))
        to_checked = (
            spec.decided_at - datetime.timedelta(days=rng.uniform(2, 25))
            if spec.decided_at is not None
            else self.now - datetime.timedelta(days=rng.uniform(1, 30))
        )
        spec.checked_at = to_checked
        lately = max(to_checked, self.now - datetime.timedelta(days=rng.uniform(10, 200)))
        figures = {
            (from_year, Basis.REPORTED): (
                min(2_000_000_000, _round(from_sales * rng.uniform(0.95, 1.08), 100_000)),
                business.created_at,
            ),
            (from_year, Basis.VERIFIED): (from_sales, verified_at),
            (to_year, Basis.REPORTED): (
                _round(to_sales * rng.uniform(1.0, 1.06), 100_000),
                to_checked,
            ),
            (to_year, Basis.VERIFIED): (to_sales, to_checked),
            # What the owner reported since (the same year when it is the latest).
            (max(self.last_year, to_year), Basis.REPORTED): (sales, lately),
        }
        records = []
        for (year, basis), (figure, stamp) in figures.items():
            capital = _round(figure * rng.uniform(0.1, 0.3), 100_000)
            verified = basis == Basis.VERIFIED
            records.append(
                FinancialRecord(
                    business=business,
                    year=year,
                    basis=basis,
                    annual_sales=figure,
                    capital=capital,
                    assets=_round(capital * rng.uniform(1.2, 2.2), 100_000),
                    evidence=rng.choice(VERIFIED_EVIDENCE) if verified else "",
                    recorded_by=self.curator if verified else business.created_by,
                    recorded_at=stamp,
                )
            )
        return records

    def _legality(self, spec: _Spec, business: Business, sales: int) -> list[LegalityDocument]:
        rng, trade = self.rng, spec.trade
        verified = spec.status == Status.VERIFIED
        docs: list[LegalityDocument] = []
        issued_floor = datetime.date(max(business.start_year or 2018, 2018), 1, 1)

        def issued() -> datetime.date:
            span = max((self.today - issued_floor).days, 1)
            return issued_floor + datetime.timedelta(days=rng.randrange(span))

        def recent() -> datetime.date:
            # A ready business's P-IRT has years left, so it stays ready for a while.
            return self.today - datetime.timedelta(days=rng.randrange(30, 3 * 365))

        if business.nib:
            docs.append(
                LegalityDocument(
                    business=business,
                    kind=LegalityKind.NIB,
                    number=business.nib,
                    issued_on=issued(),
                )
            )
        if trade.food and (spec.showcase or rng.random() < (0.5 if verified else 0.3)):
            on = recent() if spec.champion else issued()
            # P-IRT: type, food group, regency code, serial, expiry year.
            number = (
                f"P-IRT {rng.randint(1, 5)}{rng.randint(1, 15):02d}{self.region_digits[:4]}"
                f"{rng.randrange(10**6):06d}-{(on.year + 5) % 100:02d}"
            )
            docs.append(
                LegalityDocument(
                    business=business,
                    kind=LegalityKind.PIRT,
                    number=number,
                    issued_on=on,
                    expires_on=on.replace(year=on.year + 5, day=min(on.day, 28)),
                )
            )
        # Food for export needs a BPOM MD registration.
        if trade.food and (spec.exporter or (sales > 1_000_000_000 and rng.random() < 0.15)):
            docs.append(
                LegalityDocument(
                    business=business,
                    kind=LegalityKind.BPOM,
                    number=f"BPOM RI MD {rng.randrange(10**12):012d}",
                    issued_on=issued(),
                )
            )
        if trade.halal and (spec.showcase or rng.random() < (0.3 if verified else 0.12)):
            docs.append(
                LegalityDocument(
                    business=business,
                    kind=LegalityKind.HALAL,
                    number=f"ID{self.region_digits[:2]}{rng.randrange(10**15):015d}",
                    issued_on=issued(),
                )
            )
        if (spec.showcase and rng.random() < (0.95 if spec.exporter else 0.8)) or (
            rng.random() < 0.04
        ):
            on = issued()
            docs.append(
                LegalityDocument(
                    business=business,
                    kind=LegalityKind.HKI,
                    number=f"IDM{rng.randrange(10**9):09d}",
                    issued_on=on,
                    expires_on=on.replace(year=on.year + 10, day=min(on.day, 28)),
                )
            )
        # Crafts and other goods: an SNI for those that sell far (or abroad).
        if trade.goods and not trade.food and (spec.showcase or rng.random() < 0.01):
            docs.append(
                LegalityDocument(
                    business=business,
                    kind=LegalityKind.SNI,
                    number=f"SNI-{rng.randrange(10**6):06d}",
                    issued_on=issued(),
                )
            )
        return docs

    def _products(self, spec: _Spec, business: Business) -> list[Product]:
        rng, trade = self.rng, spec.trade
        if not spec.showcase and rng.random() >= trade.product_share:
            return []
        count = min(len(trade.products), rng.choice((1, 1, 2, 2, 3)) + (1 if spec.showcase else 0))
        products = []
        for name, low, high in rng.sample(trade.products, count):
            step = 1000 if high > 50_000 else 500
            products.append(
                Product(
                    business=business,
                    name=name,
                    description=f"Produk {business.name}.",
                    price=_round(rng.uniform(low, high), step),
                )
            )
        return products

    def _channels(self, spec: _Spec, business: Business) -> list[SalesChannel]:
        rng = self.rng
        chance = 0.45 + (0.2 if spec.status == Status.VERIFIED else 0)
        if not spec.showcase and rng.random() >= chance:
            return []
        profile = CHANNEL_PROFILES[spec.trade.channels]
        wanted = rng.choice((1, 1, 2, 2, 3, 4)) + (2 if spec.showcase else 0)
        picked: list[tuple[str, str, int]] = []
        for _ in range(wanted * 3):
            choice = rng.choices(profile, weights=[w for _, _, w in profile])[0]
            if choice not in picked:
                picked.append(choice)
            if len(picked) >= wanted:
                break
        if spec.showcase and not any(k == ChannelKind.MARKETPLACE for _, k, _ in picked):
            picked.append(("Shopee", ChannelKind.MARKETPLACE, 0))
        if spec.exporter and not any(k == ChannelKind.WEBSITE for _, k, _ in picked):
            picked.append(("Website", ChannelKind.WEBSITE, 0))
        slug = re.sub(r"[^a-z0-9]", "", business.name.lower())[:24]
        return [
            SalesChannel(business=business, kind=kind, name=name, address=_address(name, slug))
            for name, kind, _ in picked
        ]

    # ---- writing

    def _clear(self) -> None:
        try:
            # The ORM's delete follows every CASCADE and SET_NULL, including those other
            # modules add later; a PROTECT from them stops the rebuild instead of orphaning.
            Business.objects.all().delete()
            Owner.objects.all().delete()
        except ProtectedError as e:
            raise DomainError(
                f"Existing businesses are still referenced ({e.args[0]}); "
                "remove those records before rebuilding the demo city.",
                code="protected",
            ) from e

    def _write_chunk(self, specs: Sequence[_Spec]) -> None:
        rng = self.rng
        people: list[_Person] = []
        new_owners: list[Owner] = []
        for spec in specs:
            # A few people run more than one business (found again by their NIK).
            if self.owner_pool and rng.random() < 0.03:
                people.append(rng.choice(self.owner_pool))
            else:
                person = self._person(spec)
                people.append(person)
                new_owners.append(person.owner)
        Owner.objects.bulk_create(new_owners, batch_size=CHUNK)
        for person in people:
            if len(self.owner_pool) < 2000:
                self.owner_pool.append(person)
            elif rng.random() < 0.1:
                self.owner_pool[rng.randrange(2000)] = person

        sales = [self._sales(spec) for spec in specs]
        businesses = [
            self._business(spec, person, s)
            for spec, person, s in zip(specs, people, sales, strict=True)
        ]
        # Details are drawn before the businesses are written, so that one which would
        # come out complete by chance can still be given its gap (a NIB is on the business).
        financials: list[FinancialRecord] = []
        legality: list[LegalityDocument] = []
        products: list[Product] = []
        channels: list[SalesChannel] = []
        for spec, business, s in zip(specs, businesses, sales, strict=True):
            figures = self._financials(spec, business, s)
            docs = self._legality(spec, business, s)
            products += self._products(spec, business)
            sells = self._channels(spec, business)
            if not spec.showcase:
                for _attempt in range(3):
                    if not self._complete(business, docs, figures, sells):
                        break
                    self._gap(spec, business, docs, figures, sells)
            financials += figures
            legality += docs
            channels += sells
        Business.objects.bulk_create(businesses, batch_size=CHUNK)
        for spec, business in zip(specs, businesses, strict=True):
            if spec.champion:
                self.champions.add(business.pk)
            if spec.graduation:
                self.graduations[business.pk] = spec
        FinancialRecord.objects.bulk_create(financials, batch_size=CHUNK)
        LegalityDocument.objects.bulk_create(legality, batch_size=CHUNK)
        Product.objects.bulk_create(products, batch_size=CHUNK)
        SalesChannel.objects.bulk_create(channels, batch_size=CHUNK)
        audit.record_many(
            None,
            ACTION,
            Business,
            [b.pk for b in businesses],
            note=f"naikkelas demo, seed {self.seed}",
        )

        summary = self.summary
        summary.businesses += len(businesses)
        summary.owners += len(new_owners)
        summary.financial_records += len(financials)
        summary.legality_documents += len(legality)
        summary.products += len(products)
        summary.channels += len(channels)
        summary.audit_entries += len(businesses)
        summary.exporters += sum(b.exports for b in businesses)
        for status, count in Counter(str(b.status) for b in businesses).items():
            summary.by_status[status] = summary.by_status.get(status, 0) + count

    # ---- readiness: exactly the chosen few are complete

    def _complete(
        self,
        business: Business,
        docs: list[LegalityDocument],
        figures: list[FinancialRecord],
        channels: list[SalesChannel],
    ) -> bool:
        """Whether the shipped policy's required criteria are all met, size aside.

        Mirrors graduation.engine for the default policy; the engine has the last word
        (`_calibrate_readiness`), this only keeps the mending there to nothing.
        """
        recent = self.today.year - 2
        if not business.nib or not channels:
            return False
        if not any(f.annual_sales is not None and f.year >= recent for f in figures):
            return False
        valid = {d.kind for d in docs if d.expires_on is None or d.expires_on >= self.today}
        permit = bool(valid & {LegalityKind.PIRT, LegalityKind.BPOM})
        if business.kbli[:2] in ("10", "56"):
            return permit and LegalityKind.HALAL in valid
        if business.kbli[:2] == "11":
            return permit
        if business.sector == "C":
            return permit or bool(valid & {LegalityKind.SNI, LegalityKind.HALAL})
        return True

    def _gap(
        self,
        spec: _Spec,
        business: Business,
        docs: list[LegalityDocument],
        figures: list[FinancialRecord],
        channels: list[SalesChannel],
    ) -> None:
        """Leave one of the gaps the seeds' programme works on, weighted by how common."""
        rng = self.rng
        kinds = {d.kind for d in docs}
        verified = spec.status == Status.VERIFIED
        options = {"channels": 3, "books": 3 if verified else 2, "nib": 1 if verified else 4}
        if business.kbli[:2] in ("10", "56") and LegalityKind.HALAL in kinds:
            options["halal"] = 3 if verified else 2
        if LegalityKind.PIRT in kinds and LegalityKind.BPOM not in kinds:
            options["permit"] = 2 if verified else 1
        gap = rng.choices(list(options), weights=list(options.values()))[0]
        if gap == "channels":  # sells only face to face
            channels.clear()
        elif gap == "nib":  # not yet registered on OSS
            business.nib = ""
            docs[:] = [d for d in docs if d.kind != LegalityKind.NIB]
        elif gap == "halal":  # no halal certificate yet
            docs[:] = [d for d in docs if d.kind != LegalityKind.HALAL]
        elif gap == "permit":  # the P-IRT has lapsed
            for doc in docs:
                if doc.kind == LegalityKind.PIRT:
                    on = self.today - datetime.timedelta(days=5 * 365 + rng.randrange(20, 700))
                    doc.issued_on = on
                    doc.expires_on = on.replace(year=on.year + 5, day=min(on.day, 28))
                    doc.number = f"{doc.number[:-2]}{doc.expires_on.year % 100:02d}"
        else:  # the last turnover on file is older than two years
            shift = max(f.year for f in figures) - (self.today.year - 3 - (rng.random() < 0.4))
            for figure in figures:
                figure.year -= shift

    def _calibrate_readiness(self) -> None:
        """Ask the readiness engine which businesses are ready and mend any that are but
        should not be (the generator leaves none under the shipped policy)."""
        found = ready_ids()
        for mend in (self._drop_channels, self._drop_nib):
            surplus = sorted(found - self.champions)
            if not surplus:
                break
            mend(surplus)
            found -= set(surplus)
            found |= ready_ids(surplus)
        self.summary.ready = len(found)

    def _drop_channels(self, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            deleted, _ = SalesChannel.objects.filter(
                business_id__in=ids[start : start + 500]
            ).delete()
            self.summary.channels -= deleted

    def _drop_nib(self, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            Business.objects.filter(pk__in=chunk).update(nib="")
            deleted, _ = LegalityDocument.objects.filter(
                business_id__in=chunk, kind=LegalityKind.NIB
            ).delete()
            self.summary.legality_documents -= deleted

    # ---- graduations

    def _decide_graduations(self) -> None:
        """Let the engine propose the graduations, then record the curator's decisions on
        the days they were made, with the audit entry the service function would write."""
        if not self.graduations:
            return
        rng = self.rng
        ids = sorted(self.graduations)
        propose_graduations(ids, SizePolicy.in_force())
        curator = self.curator
        decided: list[Graduation] = []
        entries: list[AuditEntry] = []
        for graduation in Graduation.objects.filter(business_id__in=ids).order_by("business_id"):
            spec = self.graduations[graduation.business_id]
            if spec.decided_at is None or spec.checked_at is None:
                continue
            graduation.proposed_at = spec.checked_at + datetime.timedelta(
                minutes=rng.uniform(1, 60)
            )
            graduation.decided_by, graduation.decided_at = curator, spec.decided_at
            changes: dict[str, list[str | None]] = {
                "class": [graduation.from_class, graduation.to_class]
            }
            if spec.graduation == GraduationStatus.CONFIRMED:
                kind, note = rng.choice(GRADUATION_EVIDENCE)
                graduation.status = GraduationStatus.CONFIRMED
                graduation.evidence_kind = kind
                graduation.evidence_note = note.format(year=graduation.to_year)
                action, note = (
                    "business.graduation_confirmed",
                    (f"{graduation.from_year} → {graduation.to_year}"),
                )
                changes["evidence"] = [None, kind]
            else:
                graduation.status = GraduationStatus.REJECTED
                graduation.reason = note = rng.choice(REJECTION_REASONS)
                action = "business.graduation_rejected"
            decided.append(graduation)
            entries.append(
                AuditEntry(
                    actor=curator,
                    actor_name=curator.get_username() if curator else "system",
                    action=action,
                    object_type=Business._meta.label_lower,
                    object_id=str(graduation.business_id),
                    changes=changes,
                    note=note,
                    created_at=spec.decided_at,
                )
            )
        Graduation.objects.bulk_update(
            decided,
            ["status", "evidence_kind", "evidence_note", "reason", "proposed_at", "decided_at",
             "decided_by"],
        )  # fmt: skip
        with _explicit_timestamps((AuditEntry, "created_at")):
            AuditEntry.objects.bulk_create(entries)
        self.summary.audit_entries += len(entries)
        counts = Counter(
            Graduation.objects.filter(business_id__in=ids).values_list("status", flat=True)
        )
        self.summary.graduated = counts[GraduationStatus.CONFIRMED]
        self.summary.rejected = counts[GraduationStatus.REJECTED]
        self.summary.proposed = counts[GraduationStatus.PROPOSED]

    def build(self) -> DemoSummary:
        started = time.perf_counter()
        self._clear()
        specs = self._plan()
        with _explicit_timestamps(
            (Business, "created_at"), (Business, "updated_at"), (FinancialRecord, "recorded_at")
        ):
            for start in range(0, len(specs), CHUNK):
                self._write_chunk(specs[start : start + CHUNK])
        self._decide_graduations()
        self._calibrate_readiness()
        self.summary.by_status = {
            status.value: self.summary.by_status.get(status.value, 0) for status in Status
        }
        self.summary.seconds = time.perf_counter() - started
        return self.summary


def _office_hours(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment on a working day (a weekend moves back to Friday), 08:00-16:00."""
    day -= datetime.timedelta(days=max(0, day.weekday() - 4))
    moment = datetime.datetime.combine(day, datetime.time(8)) + datetime.timedelta(
        minutes=rng.randrange(8 * 60)
    )
    return timezone.make_aware(moment)


def _round(value: float, step: int) -> int:
    return round(value / step) * step


def _address(platform: str, slug: str) -> str:
    if platform in ("Instagram", "TikTok"):
        return f"@{slug}"
    if platform == "Facebook":
        return f"facebook.com/{slug}"
    if platform == "Shopee":
        return f"shopee.co.id/{slug}"
    if platform == "Tokopedia":
        return f"tokopedia.com/{slug}"
    if platform == "TikTok Shop":
        return f"@{slug}.shop"
    if platform == "Website":
        return f"https://{slug}.my.id"
    # WhatsApp would be the owner's phone number, which is personal data: leave it out.
    return ""


def build_demo_city(businesses: int = DEFAULT_BUSINESSES, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Replace the registry with a synthetic city of `businesses` businesses.

    Deletes every business and owner first. The demo accounts are created or reset too,
    since the records name them (volunteers as creators, the curator as verifier).
    One transaction: an interrupted build leaves the previous state, never half a city,
    so `demo --if-empty` does not mistake a broken build for a finished one.
    """
    if businesses < 0:
        raise ValueError("businesses must not be negative")
    with transaction.atomic():
        accounts = ensure_demo_accounts()
        summary = _CityBuilder(businesses, seed).build()
    summary.accounts = accounts
    return summary
