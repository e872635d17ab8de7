"""The demo city's data tables: the trades and what each makes, sells and is named, the
sentra, shop names, streets, reasons, evidence and weights the plan draws from."""

from dataclasses import dataclass

from naikkelas.graduation.models import EvidenceKind
from naikkelas.registry.models import ChannelKind, Education


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
