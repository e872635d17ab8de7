"""Tabular exports, .xlsx and .csv, written in one place so that every export is safe to open.

Exported text comes from the registry, which volunteers, imports and owners write. A
spreadsheet treats a cell that begins with a formula character as a formula and runs it
(`=HYPERLINK(...)` leaks data, `=cmd|...` runs programs), so every text cell is
neutralised as OWASP's CSV-injection guidance says: a leading apostrophe makes it text.
"""

import codecs
import csv
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Tab and carriage return count too: some spreadsheets skip them and read the formula after.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Writable(Protocol):
    """What zipfile and the csv writer need of a target: an open binary file or an
    HttpResponse."""

    def write(self, data: bytes, /) -> object: ...

    def flush(self) -> object: ...


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run becomes text it shows; numbers stay numbers, so a
    negative amount is still a number a spreadsheet can add up."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_xlsx(
    target: Writable, sheet_name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    # write_only streams rows to the file instead of holding the whole sheet in memory.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    for row in chain([header], rows):
        sheet.append([xlsx_cell(value) for value in row])
    book.save(target)


def xlsx_cell(value: Any) -> Any:
    """A value as an .xlsx cell may safely hold it."""
    if isinstance(value, str):
        # An .xlsx cannot hold most control characters and openpyxl refuses them; one stray
        # byte in an imported name must not fail the whole export. Removed before
        # neutralising, so that "\x01=..." cannot turn into a formula.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


def write_csv(target: Writable, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    # Excel reads a CSV without a byte-order mark in the machine's legacy code page, which
    # garbles every letter outside ASCII ("Kafé" becomes "KafÃ©").
    target.write(codecs.BOM_UTF8)
    writer = csv.writer(_Utf8(target))
    for row in chain([header], rows):
        writer.writerow([neutralise(value) for value in row])


class _Utf8:
    """The csv module writes text; the targets take bytes."""

    def __init__(self, target: Writable) -> None:
        self.target = target

    def write(self, text: str) -> None:
        self.target.write(text.encode())
