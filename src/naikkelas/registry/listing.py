"""The business list as a spreadsheet: the columns, the rows, and the two file formats."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from naikkelas.core.spreadsheets import Writable, write_csv, write_xlsx
from naikkelas.registry.models import Business

# Names follow the SIDT columns where SIDT has one, so people who know that file know these.
HEADER = [
    "id", "id_data_badan_usaha", "nama_usaha", "nama_pemilik", "nik", "kontak_hp", "nib",
    "kbli", "sektor", "kelurahan", "kode_kelurahan", "alamat_usaha", "status", "skala_usaha",
    "kelas", "skor_kesiapan", "siap",
]  # fmt: skip

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
FILE_NAME = "usaha"


def rows(businesses: QuerySet[Business]) -> Iterator[list[Any]]:
    """One row per business, in the list's order, from an already scoped queryset."""
    chosen = businesses.select_related("owner", "kelurahan", "standing").order_by("name", "id")
    for b in chosen.iterator(chunk_size=2000):
        # A business not computed yet has no standing: its class is unknown, not guessed.
        s = getattr(b, "standing", None)
        size_class, score, ready = (s.size_class, s.readiness_score, s.ready) if s else (None,) * 3
        # Personal data stays masked in exports too (UU PDP).
        yield [
            b.pk, b.source_id, b.name, b.owner.name, b.owner.nik_masked, b.owner.phone_masked,
            b.nib, b.kbli, b.sector, b.kelurahan.name, b.kelurahan_id, b.street, b.status,
            b.reported_size_class, size_class, score, ready,
        ]  # fmt: skip


def write(export_format: str, target: Writable, records: Iterable[list[Any]]) -> None:
    if export_format == "xlsx":
        write_xlsx(target, FILE_NAME, HEADER, records)
    else:
        write_csv(target, HEADER, records)
