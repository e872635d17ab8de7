"""The two import formats: the national SIDT KUMKM extract and the project's own template.

Both name the same 49 facts; the template gives them Indonesian headers a person can
read, so rows of either format are read into one dict keyed by the SIDT names and
checked by the same rules (`intake.rows`).
"""

from dataclasses import dataclass

# The SIDT extract's columns, in its order.
SIDT_COLUMNS = (
    "id_data_badan_usaha", "nik_pengusaha", "nama_pengusaha", "nib", "jenis_kelamin",
    "is_disabilitas", "tanggal_lahir", "pendidikan_formal", "kontak_hp", "prov_pengusaha",
    "kab_pengusaha", "kec_pengusaha", "kel_pengusaha", "alamat_pengusaha", "rt_pengusaha",
    "rw_pengusaha", "nama_usaha", "kegiatan_utama", "produk_utama", "kategori_kbli",
    "kode_kbli", "status_badan_usaha", "skala_usaha", "modal_pendirian",
    "bulan_mulai_operasi", "tahun_mulai_operasi", "omzet_tahunan", "asset", "prov_usaha",
    "kab_usaha", "kec_usaha", "kel_usaha", "alamat_usaha", "rt_usaha", "rw_usaha",
    "foto_usaha", "alamat_latitude", "alamat_longitude", "tk_dibayar_laki",
    "tk_dibayar_perempuan", "tk_dibayar_disabil_laki", "tk_dibayar_disabil_perempuan",
    "tk_not_dibayar_laki", "tk_not_dibayar_perempuan", "tk_not_dibayar_disabil_laki",
    "tk_not_dibayar_disabil_perempua", "pulled_at", "updated_at", "source_page",
)  # fmt: skip


@dataclass(frozen=True)
class TemplateColumn:
    key: str  # the SIDT name the value is read into
    header: str  # what the template's header row says
    hint: str  # one line on the instructions sheet
    choices: tuple[str, ...] = ()  # a drop-down list in the template
    required: bool = False


# The template leaves out only SIDT's provenance columns (pulled_at, source_page) and
# the sector letter, which follows from the KBLI code.
TEMPLATE = (
    TemplateColumn("id_data_badan_usaha", "ID sumber", "Kunci data dari sistem asal; kosongkan untuk data baru. Baris dengan ID yang sama memperbarui usaha yang sama."),
    TemplateColumn("nama_usaha", "Nama usaha", "Wajib diisi.", required=True),
    TemplateColumn("nama_pengusaha", "Nama pemilik", "Nama lengkap pemilik usaha."),
    TemplateColumn("nik_pengusaha", "NIK pemilik", "16 angka, tulis sebagai teks (awali dengan ' di Excel)."),
    TemplateColumn("jenis_kelamin", "Jenis kelamin", "L atau P.", ("L", "P")),
    TemplateColumn("is_disabilitas", "Penyandang disabilitas", "Ya atau Tidak.", ("Ya", "Tidak")),
    TemplateColumn("tanggal_lahir", "Tanggal lahir", "Format TTTT-BB-HH, misalnya 1985-03-12."),
    TemplateColumn("pendidikan_formal", "Pendidikan terakhir", "Pilih dari daftar.", ("Tidak sekolah", "SD", "SMP", "SMA/SMK", "Diploma", "S1", "S2", "S3")),
    TemplateColumn("kontak_hp", "Nomor HP", "08…, 628… atau +62…; spasi dan tanda hubung boleh."),
    TemplateColumn("prov_pengusaha", "Provinsi tempat tinggal", "Nama provinsi tempat tinggal pemilik."),
    TemplateColumn("kab_pengusaha", "Kabupaten/kota tempat tinggal", "Misalnya Kota Malang."),
    TemplateColumn("kec_pengusaha", "Kecamatan tempat tinggal", ""),
    TemplateColumn("kel_pengusaha", "Kelurahan/desa tempat tinggal", ""),
    TemplateColumn("alamat_pengusaha", "Alamat tempat tinggal", ""),
    TemplateColumn("rt_pengusaha", "RT tempat tinggal", "Angka 1–999."),
    TemplateColumn("rw_pengusaha", "RW tempat tinggal", "Angka 1–999."),
    TemplateColumn("nib", "NIB", "13 angka dari OSS, tulis sebagai teks."),
    TemplateColumn("kegiatan_utama", "Kegiatan utama", "Misalnya produksi keripik tempe."),
    TemplateColumn("produk_utama", "Produk utama", ""),
    TemplateColumn("kode_kbli", "Kode KBLI", "5 angka KBLI 2020, misalnya 10792."),
    TemplateColumn("status_badan_usaha", "Bentuk usaha", "Pilih dari daftar.", ("Perorangan", "PT Perorangan", "CV", "PT", "Firma", "Koperasi", "Yayasan", "Lainnya")),
    TemplateColumn("skala_usaha", "Skala usaha (menurut pemilik)", "Pilih dari daftar.", ("Mikro", "Kecil", "Menengah", "Besar")),
    TemplateColumn("modal_pendirian", "Modal usaha (Rp)", "Angka bulat rupiah tanpa titik, misalnya 15000000."),
    TemplateColumn("bulan_mulai_operasi", "Bulan mulai usaha", "Angka 1–12."),
    TemplateColumn("tahun_mulai_operasi", "Tahun mulai usaha", "Misalnya 2019."),
    TemplateColumn("omzet_tahunan", "Omzet setahun (Rp)", "Angka bulat rupiah tanpa titik."),
    TemplateColumn("asset", "Aset (Rp)", "Angka bulat rupiah tanpa titik."),
    TemplateColumn("prov_usaha", "Provinsi usaha", "Jawa Timur."),
    TemplateColumn("kab_usaha", "Kabupaten/kota usaha", "Kota Malang."),
    TemplateColumn("kec_usaha", "Kecamatan usaha", "Wajib diisi.", required=True),
    TemplateColumn("kel_usaha", "Kelurahan usaha", "Wajib diisi.", required=True),
    TemplateColumn("alamat_usaha", "Alamat usaha", ""),
    TemplateColumn("rt_usaha", "RT usaha", "Angka 1–999."),
    TemplateColumn("rw_usaha", "RW usaha", "Angka 1–999."),
    TemplateColumn("foto_usaha", "Tautan foto", "Alamat web foto usaha, jika ada."),
    TemplateColumn("alamat_latitude", "Lintang", "Misalnya -7.966620."),
    TemplateColumn("alamat_longitude", "Bujur", "Misalnya 112.632632."),
    TemplateColumn("tk_dibayar_laki", "Pekerja dibayar laki-laki", "Jumlah orang."),
    TemplateColumn("tk_dibayar_perempuan", "Pekerja dibayar perempuan", "Jumlah orang."),
    TemplateColumn("tk_dibayar_disabil_laki", "Pekerja dibayar disabilitas laki-laki", "Jumlah orang."),
    TemplateColumn("tk_dibayar_disabil_perempuan", "Pekerja dibayar disabilitas perempuan", "Jumlah orang."),
    TemplateColumn("tk_not_dibayar_laki", "Pekerja tidak dibayar laki-laki", "Jumlah orang."),
    TemplateColumn("tk_not_dibayar_perempuan", "Pekerja tidak dibayar perempuan", "Jumlah orang."),
    TemplateColumn("tk_not_dibayar_disabil_laki", "Pekerja tidak dibayar disabilitas laki-laki", "Jumlah orang."),
    TemplateColumn("tk_not_dibayar_disabil_perempua", "Pekerja tidak dibayar disabilitas perempuan", "Jumlah orang."),
    TemplateColumn("updated_at", "Tanggal data", "Tanggal data ini dicatat (TTTT-BB-HH). Baris yang lebih baru memperbarui data lama; yang lebih lama diabaikan."),
)  # fmt: skip

TEMPLATE_HEADERS = {column.header: column.key for column in TEMPLATE}
