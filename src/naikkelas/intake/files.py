"""Reading an uploaded file into rows: the format, the encoding, the separator, limits.

What cannot be read is refused with a message that says why, before anything is
written (`FileRefused`). CSV is read as UTF-8 (a BOM is fine), else UTF-16 with its
BOM, else Windows-1252; the separator is whichever of `,` `;` or tab the header row
uses; CRLF and LF line ends both work. Compressed CSV (.gz, or a .zip holding one CSV)
is read as it expands, and refused once it grows past the limit, whatever its header
claims.
"""

import codecs
import csv
import datetime
import gzip
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from naikkelas.core.errors import DomainError
from naikkelas.intake.columns import SIDT_COLUMNS, TEMPLATE, TEMPLATE_HEADERS

SIDT, TEMPLATE_FORMAT = "sidt", "template"
FORMATS = (SIDT, TEMPLATE_FORMAT)
TEMPLATE_SHEET = "Data"


class FileRefused(DomainError):
    code = "file_refused"


def max_bytes() -> int:
    return int(settings.NAIKKELAS_IMPORT_MAX_BYTES)


def max_expanded_bytes() -> int:
    return int(settings.NAIKKELAS_IMPORT_MAX_EXPANDED_BYTES)


def check_size(size: int) -> None:
    """Refuse a file over the import limit, before it is read (or, uploaded, kept)."""
    if size > max_bytes():
        raise FileRefused(
            _("The file is larger than %(limit)s MB, the limit for one import.")
            % {"limit": max_bytes() // (1024 * 1024)},
            code="file_too_large",
        )


# A row's cells, or a CSV line that holds no quote, split where the row is checked.
Cells = list[str] | str


@dataclass
class Table:
    format: str
    header: list[str]  # as the file writes it
    keys: list[str | None]  # the SIDT name read from each column
    rows: Iterator[tuple[int, Cells]]  # spreadsheet row number (header = 1), cells
    separator: str = ","

    def column_name(self, key: str) -> str:
        """The file's own name for a SIDT column, for error messages."""
        if self.format == SIDT:
            return key
        return next((c.header for c in TEMPLATE if c.key == key), key)

    def cells(self, cells: Cells) -> list[str]:
        if isinstance(cells, str):
            # What the csv module reads from a line without quotes: the fields between
            # the separators, the line break left out.
            return cells.rstrip("\r\n").split(self.separator)
        return cells

    def record(self, cells: Cells) -> dict[str, str]:
        return {key: value for key, value in zip(self.keys, self.cells(cells), strict=False) if key}


def open_table(path: Path, fmt: str | None = None) -> Table:
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(_("The file is empty."), code="file_empty")
    check_size(size)
    with path.open("rb") as probe:
        magic = probe.read(4)
    if path.suffix.lower() == ".xlsx" or (magic[:2] == b"PK" and fmt == TEMPLATE_FORMAT):
        return _xlsx(path, fmt)
    return _csv(_expanded(path, magic), fmt)


# ---- CSV


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Capped(io.RawIOBase):
    """A stream that refuses to yield more than the expanded-size limit."""

    def __init__(self, stream: "_Readable") -> None:
        self.stream, self.read_so_far = stream, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(len(buffer))
        self.read_so_far += len(data)
        if self.read_so_far > max_expanded_bytes():
            raise FileRefused(
                _("The compressed file expands to more than %(limit)s MB.")
                % {"limit": max_expanded_bytes() // (1024 * 1024)},
                code="file_expands_too_far",
            )
        buffer[: len(data)] = data
        return len(data)


def _expanded(path: Path, magic: bytes) -> io.BufferedReader:
    if magic[:2] == b"\x1f\x8b":
        return io.BufferedReader(_Capped(gzip.open(path, "rb")), 1024 * 1024)
    if magic[:2] == b"PK":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise FileRefused(_("The ZIP file is damaged."), code="file_unreadable") from None
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1 or not members[0].filename.lower().endswith(".csv"):
            raise FileRefused(
                _("A ZIP file must hold exactly one CSV file."), code="file_unreadable"
            )
        return io.BufferedReader(_Capped(archive.open(members[0])), 1024 * 1024)
    return path.open("rb")


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # The head may end inside a character: decode it as a prefix.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _csv(buffered: io.BufferedReader, fmt: str | None) -> Table:
    head = buffered.peek(64 * 1024)[: 64 * 1024]
    encoding = _encoding(head)
    if b"\x00" in head and encoding != "utf-16":
        raise FileRefused(
            _("This is not a CSV file: it holds binary data."), code="file_unreadable"
        )
    text = io.TextIOWrapper(buffered, encoding=encoding, newline="")
    first = text.readline()
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    separator = max(counts, key=lambda sep: counts[sep])
    if counts[separator] == 0:
        raise FileRefused(
            _("The first row is not a header of columns separated by commas or semicolons."),
            code="file_columns",
        )
    header = next(csv.reader([first], delimiter=separator))
    table_format, keys = _columns(header, fmt)
    lines = iter(text)
    longest = csv.field_size_limit()

    def rows() -> Iterator[tuple[int, Cells]]:
        number = 1
        try:
            for line in lines:
                number += 1
                if '"' in line or len(line) > longest:
                    # Quoted fields may hold separators and line breaks: the csv module
                    # reads the record, from as many lines as it spans (or refuses it).
                    cells = next(csv.reader(chain([line], lines), delimiter=separator), [])
                    if any(cell.strip() for cell in cells):
                        yield number, cells
                elif line.replace(separator, "").strip():
                    # Without quotes the line is the record: split where it is checked,
                    # which for a large file is in a worker process (intake.checking).
                    yield number, line
        except UnicodeDecodeError:
            raise FileRefused(
                _("Row %(row)s is not text in a known character encoding.") % {"row": number},
                code="file_encoding",
            ) from None
        except csv.Error as e:
            raise _unreadable_row(number, e) from None

    return Table(table_format, header, keys, rows(), separator)


def _unreadable_row(number: int, error: csv.Error) -> FileRefused:
    """The csv module's reason in the user's language: its own text is English, and
    only its wording tells one reason from another."""
    if "field larger than field limit" in str(error):
        return FileRefused(
            _(
                "Row %(row)s has a cell longer than %(limit)s characters; most often a "
                "quotation mark opened in it is never closed."
            )
            % {"row": number, "limit": number_format(csv.field_size_limit(), force_grouping=True)},
            code="file_cell_too_long",
        )
    return FileRefused(
        _("Row %(row)s cannot be read as CSV: check that its quotation marks are paired.")
        % {"row": number},
        code="file_unreadable",
    )


# ---- Excel


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _xlsx(path: Path, fmt: str | None) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(
            _("This is not an Excel (.xlsx) file, or it is damaged."), code="file_unreadable"
        ) from None
    if expanded > max_expanded_bytes():
        raise FileRefused(
            _("The Excel file expands to more than %(limit)s MB.")
            % {"limit": max_expanded_bytes() // (1024 * 1024)},
            code="file_expands_too_far",
        )
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
        sheet = book.get_sheet_by_name(TEMPLATE_SHEET if TEMPLATE_SHEET in names else names[0])
        cells = sheet.iter_rows()
        header = [_cell(v).strip() for v in next(cells, [])]
    except (CalamineError, ValueError, IndexError):
        # The reader's own reason (an XML parser's, in English) is for developers.
        raise FileRefused(
            _("This is not an Excel (.xlsx) file, or it is damaged."), code="file_unreadable"
        ) from None
    while header and not header[-1]:
        header.pop()
    table_format, keys = _columns(header, fmt)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(cells, start=2):
            line = [_cell(v) for v in values]
            if any(cell.strip() for cell in line):
                yield number, line

    return Table(table_format, header, keys, rows())


# ---- header


def _header_key(header: str) -> str:
    # Case, spacing and punctuation of a template header do not matter.
    return re.sub(r"[^0-9a-z]+", "", header.lower())


def _columns(header: list[str], fmt: str | None) -> tuple[str, list[str | None]]:
    """Which format the header is, and the SIDT name of each column; refuses a header
    with columns missing or extra, naming them."""
    if not any(h.strip() for h in header):
        raise FileRefused(_("The file has no header row."), code="file_columns")
    sidt = [h.strip().lstrip("\ufeff").lower() for h in header]
    template_keys = {_header_key(h): key for h, key in TEMPLATE_HEADERS.items()}
    template = [template_keys.get(_header_key(h)) for h in header]
    if fmt is None:
        sidt_hits = len(set(sidt) & set(SIDT_COLUMNS))
        fmt = TEMPLATE_FORMAT if sum(k is not None for k in template) > sidt_hits else SIDT
    if fmt == SIDT:
        expected, found = list(SIDT_COLUMNS), sidt
        keys: list[str | None] = [h if h in SIDT_COLUMNS else None for h in sidt]
    else:
        expected = [c.header for c in TEMPLATE]
        keys = template
        found = [c.header for c in TEMPLATE if c.key in set(template)]
        found += [h for h, k in zip(header, template, strict=True) if k is None]
    missing = [c for c in expected if c not in found]
    extra = [h for h, k in zip(header, keys, strict=True) if k is None and h.strip()]
    duplicated = sorted({k for k in keys if k and keys.count(k) > 1})
    if missing or extra or duplicated:
        parts = []
        if missing:
            parts.append(_("missing: %(columns)s") % {"columns": ", ".join(missing)})
        if extra:
            parts.append(_("not expected: %(columns)s") % {"columns": ", ".join(extra)})
        if duplicated:
            parts.append(_("repeated: %(columns)s") % {"columns": ", ".join(duplicated)})
        label = _("SIDT") if fmt == SIDT else _("the import template")
        raise FileRefused(
            _("The columns do not match %(format)s (%(problems)s).")
            % {"format": label, "problems": "; ".join(parts)},
            code="file_columns",
        )
    return fmt, keys
