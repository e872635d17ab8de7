"""The "siap naik kelas" list: its counts and its spreadsheet export."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, QuerySet

from naikkelas.core.spreadsheets import Writable, write_xlsx
from naikkelas.registry.models import Business


def counts_by_kelurahan(businesses: QuerySet[Business]) -> list[tuple[str, str, int]]:
    return list(
        businesses.order_by()
        .values_list("kelurahan__code", "kelurahan__name")
        .annotate(n=Count("pk"))
        .order_by("kelurahan__code")
    )


HEADER = [
    "id", "nama_usaha", "nama_pemilik", "nik", "nib", "kbli", "sektor", "kelurahan",
    "kode_kelurahan", "kelas", "dasar_kelas", "tahun", "omzet_tahunan", "skor_kesiapan",
]  # fmt: skip


def rows(businesses: QuerySet[Business]) -> Iterator[list[Any]]:
    # Personal data stays masked in exports too (UU PDP).
    for b in businesses.select_related("owner", "kelurahan", "standing").iterator(chunk_size=2000):
        s = b.standing
        yield [
            b.pk, b.name, b.owner.name, b.owner.nik_masked, b.nib, b.kbli, b.sector,
            b.kelurahan.name, b.kelurahan_id, s.size_class, s.size_basis, s.size_year,
            s.size_figure, s.readiness_score,
        ]  # fmt: skip


def write(target: Writable, businesses: QuerySet[Business]) -> None:
    write_xlsx(target, "siap_naik_kelas", HEADER, rows(businesses))
