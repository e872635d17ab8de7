"""Rows checked by worker processes give the import this process would have given."""

import gc
import types

import pytest
from django.db import connection

from naikkelas.core import bulk
from naikkelas.intake import staging
from naikkelas.intake.checking import BATCH, Checker, processes_for
from naikkelas.intake.files import open_table
from naikkelas.intake.importer import import_file
from naikkelas.intake.places import Places
from naikkelas.intake.rows import RowReader
from naikkelas.intake.synthetic import write_sidt_csv
from naikkelas.intake.tests.sidt import row, write
from naikkelas.registry.models import Business, Owner

pytestmark = pytest.mark.django_db


def _in_processes(settings, processes):
    settings.NAIKKELAS_IMPORT_PARALLEL_BYTES = 0
    settings.NAIKKELAS_IMPORT_PROCESSES = processes


def _snapshot():
    return sorted(
        Business.objects.values_list(
            "source_id", "name", "nib", "kelurahan_id", "latitude", "source_updated_at",
            "owner__name", "owner__nik_index", "owner__birth_date", "status",
        )
    )  # fmt: skip


def test_a_small_file_is_checked_here_and_a_large_one_by_a_pool(settings):
    settings.NAIKKELAS_IMPORT_PARALLEL_BYTES = 1000
    settings.NAIKKELAS_IMPORT_PROCESSES = 2

    assert (processes_for(999), processes_for(1000)) == (1, 2)


def test_checking_leaves_no_cycle_that_holds_the_rows(tmp_path):
    # The cycle collector is paused while a file is checked: a bad value must not leave
    # a cycle behind that keeps the checking frames, and the batch with them, alive.
    bad = [("nik_pengusaha", "9999015203850002"), ("kontak_hp", "12"), ("nib", "12345"),
           ("kode_kbli", "00000"), ("rt_usaha", "9999"), ("tanggal_lahir", "kemarin"),
           ("omzet_tahunan", "-1"), ("alamat_latitude", "95"), ("jenis_kelamin", "X")]  # fmt: skip
    rows = [
        row(**{"id_data_badan_usaha": f"S-{i}", "nib": "", c: v}) for i, (c, v) in enumerate(bad)
    ]
    path = write(tmp_path / "bad.csv", [*rows, row()])
    table = open_table(path)
    checker = Checker(table, RowReader(Places(), {"35.73.01"}), staging.Writer())
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        checked = [c for batch in checker.checked(1) for c in batch]
        gc.collect()
        frames = [o for o in gc.garbage if isinstance(o, types.FrameType)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()

    assert [bool(c.errors) for c in checked] == [True] * len(bad) + [False]
    assert frames == []


def test_worker_processes_report_and_write_what_one_process_does(tmp_path, settings):
    # More than two batches, with the generator's bad rows among them, and the same
    # business twice (the second row is rejected, whichever process checked it).
    path = tmp_path / "sidt.csv"
    write_sidt_csv(path, 2 * BATCH + 300, seed=7)
    with path.open("a", encoding="utf-8") as out:
        out.write(path.read_text(encoding="utf-8").splitlines()[5] + "\n")
    _in_processes(settings, 1)
    here = import_file(None, path, dry_run=True)
    _in_processes(settings, 2)
    pooled = import_file(None, path, dry_run=True)

    assert pooled.as_json() == here.as_json()
    assert here.rejected > 1
    assert here.errors[-1]["code"] == "duplicate_in_file"
    assert Business.objects.count() == 0

    _in_processes(settings, 1)
    written_here = import_file(None, path)
    state_here = _snapshot()
    Business.objects.all().delete()
    Owner.objects.all().delete()
    _in_processes(settings, 2)
    written_pooled = import_file(None, path)

    assert written_pooled.as_json() == written_here.as_json()
    assert written_pooled.created == here.created == len(state_here)
    assert _snapshot() == state_here


@pytest.mark.parametrize("processes", [1, 2])
def test_text_with_tabs_backslashes_and_line_breaks_arrives_as_written(
    tmp_path, settings, processes
):
    _in_processes(settings, processes)
    name = "Kopi\t\\Pak\\N Budi"
    street = 'Jl. Mawar 3\r\nRT 2 "belakang"\\'
    report = import_file(
        None, write(tmp_path / "t.csv", [row(nama_usaha=name, alamat_usaha=street)])
    )

    assert report.created == 1
    business = Business.objects.get()
    assert (business.name, business.street) == (name, street)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_copy_line_gives_postgresql_the_values_themselves():
    import datetime
    from decimal import Decimal

    moment = datetime.datetime(
        2025, 5, 20, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
    )
    rows = [
        # Values to escape, and values that need none (copy_line's two ways).
        ["a\tb\\c\nd\re", "\\N", None, True, False, 7, Decimal("-7.930000"),
         datetime.date(1985, 3, 12), moment],
        ["Kopi Pak Budi", "", None, False, True, 0, Decimal("112.650000"),
         datetime.date(2000, 2, 29), moment],
        ["", None, "Jl. Mawar", None, None, None, None, None, None],
    ]  # fmt: skip
    columns = ["t", "e", "n", "y", "f", "i", "d", "day", "moment"]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE copied (k serial, t text, e text, n text, y boolean, f boolean, "
            "i integer, d numeric(9, 6), day date, moment timestamptz)"
        )
        with bulk.copy_stream("copied", columns) as send:
            send([bulk.copy_line(values) for values in rows])
        cursor.execute("SELECT t, e, n, y, f, i, d, day, moment FROM copied ORDER BY k")
        assert [list(found) for found in cursor.fetchall()] == rows
        cursor.execute("DROP TABLE copied")
