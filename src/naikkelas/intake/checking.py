"""Checking a file's rows: in this process, or for a large file in worker processes.

Reading and checking a row (`intake.rows`), sealing its personal data and encoding it
for the staging table is nearly all of an import's Python time, and each row is checked
on its own. So a large file's rows are checked by a pool of forked processes
(NAIKKELAS_IMPORT_PROCESSES: one per core, at most four), while this process reads the
file, keeps the file's order and writes the staging table. The workers inherit the
reference data the checks need and the active language; they never use the database
connection.

What the importer gets back per row is a `Checked`: the row's errors, or what it claims
(its source key, NIB and owner with business name, for the duplicate-in-file rule) and
its staging row.
"""

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, NamedTuple, TypeVar

from django.conf import settings

from naikkelas.core import pii
from naikkelas.intake.files import Cells, Table
from naikkelas.intake.places import name_key
from naikkelas.intake.rows import Row, RowReader
from naikkelas.intake.staging import BUSINESS_SOURCE_FIELDS, OWNER_SOURCE_FIELDS, Writer

BATCH = 2000
# Batches handed to the pool ahead of the one being written: enough to keep every
# worker busy, few enough that a million-row file is never all in memory.
AHEAD = 4
T = TypeVar("T")
Errors = list[tuple[str, str, str]]


class Checked(NamedTuple):
    """A tuple, not a dataclass: a million of them cross from the workers, and a
    dataclass unpickles field by field."""

    number: int
    errors: Errors
    source_id: str = ""
    nib: str = ""
    name: str = ""  # the business name's key (`places.name_key`)
    person: tuple[str, str] | None = None  # the owner's NIK blind index, the name's key
    staged: Any = None  # the staging table's row, as Writer.encode gives it


def batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Checker:
    """Turns the file's rows into Checked rows, batch by batch, in file order."""

    def __init__(self, table: Table, reader: RowReader, writer: Writer) -> None:
        self.table, self.reader, self.writer = table, reader, writer

    def check(self, number: int, cells: Cells) -> Checked:
        row = self.reader.read(number, self.table.record(cells))
        if row.errors:
            return Checked(number, row.errors)
        key = name_key(row.business["name"])
        return Checked(
            number,
            [],
            source_id=row.source_id,
            nib=row.business["nib"],
            name=key,
            person=(row.nik_index, key) if row.nik else None,
            staged=self.writer.encode(_staged(row, key)),
        )

    def check_batch(self, batch: list[tuple[int, Cells]]) -> list[Checked]:
        return [self.check(number, cells) for number, cells in batch]

    def checked(self, processes: int) -> Iterator[list[Checked]]:
        rows = batches(self.table.rows)
        with collector_paused():
            if processes < 2:
                yield from map(self.check_batch, rows)
                return
            yield from _in_pool(self.check_batch, rows, processes)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused, here and in the workers forked meanwhile.
    Checking a row makes some twenty lists, dicts and tuples and leaves none in a cycle,
    yet the collector would walk the young objects every 700 of them, the batches in
    flight included: some 15% of the checking time. Cycles made meanwhile (an odd
    exception's) are collected once it runs again."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def processes_for(size: int) -> int:
    """How many processes check a file of `size` bytes: one for a small file, whose
    rows are checked sooner than a pool starts."""
    if size < settings.NAIKKELAS_IMPORT_PARALLEL_BYTES:
        return 1
    return max(1, settings.NAIKKELAS_IMPORT_PROCESSES)


# The work of the pool being started: forked workers inherit it, so neither the
# checker nor its reference data is pickled; only the batches and their results are.
_work: Callable[[Any], Any] | None = None


def _run(batch: Any) -> Any:
    assert _work is not None
    return _work(batch)


def _in_pool(
    work: Callable[[list[T]], Any], batches: Iterator[list[T]], processes: int
) -> Iterator[Any]:
    """work(batch) for every batch, by `processes` forked workers, in order. The file is
    read here, so a FileRefused raised while reading it reaches the caller as it is."""
    global _work
    _work = work
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pending: deque[Any] = deque()
            for batch in batches:
                pending.append(pool.apply_async(_run, (batch,)))
                if len(pending) > AHEAD:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _work = None


def _staged(row: Row, key: str) -> list[Any]:
    """The row's values in the order of staging.WRITTEN."""
    business, owner = row.business, row.owner
    return [
        row.number, row.source_id, key, row.nik_index or f"#{row.number}",
        row.nik_index, pii.encrypt(row.nik), pii.blind_index(row.phone), pii.encrypt(row.phone),
        row.year, row.sales, row.assets, row.capital, row.updated_at,
        *(business[name] for name in BUSINESS_SOURCE_FIELDS),
        *(owner[name] for name in OWNER_SOURCE_FIELDS),
    ]  # fmt: skip
