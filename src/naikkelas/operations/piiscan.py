"""The scan for plaintext personal data: NIK and phone numbers where only ciphertext and
masks belong (UU 27/2022 makes a leak a notifiable breach).

It reads every text column of every table and the files it is given (logs, exports:
.csv, .xlsx, .txt, .log). A 16-digit run is a NIK only if `clean_nik` accepts it (a real
kecamatan, a birth date that exists), and a phone-like run only if `clean_phone` does
and it is not a product registration's number, so other numbers (NIB, amounts,
timestamps, BPOM and P-IRT numbers) do not cry wolf. A value that is entirely ciphertext
(a token as core.pii writes it) or a blind index (a 64-hex HMAC) is skipped; anything
else in those columns, a plaintext NIK for one, is reported. Findings carry the masked
value only: the scan's own output must not leak what it finds. A file named .xlsx that
is not a workbook is read as text, and named in the report.
"""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from python_calamine import CalamineError, CalamineWorkbook

from naikkelas.core.pii import TOKEN, mask_nik, mask_phone
from naikkelas.regions.models import Level, Region
from naikkelas.registry.identifiers import clean_nik, clean_phone

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
FILE_SUFFIXES = {".csv", ".xlsx", ".txt", ".log"}

# Digits glued to letters belong to another code (a trademark IDM082748634, a halal
# certificate ID35…): not a NIK or a phone number.
_NIK = re.compile(r"(?<![A-Za-z0-9])\d{16}(?![A-Za-z0-9])")
# 08…, 628…, +628…, the digits run together or in groups split by spaces, dots or dashes.
_PHONE = re.compile(
    r"(?<![A-Za-z0-9+])(?:\+62|62|0)[\s.-]?8\d{1,3}(?:[\s.-]?\d{2,4}){1,4}(?![A-Za-z0-9])"
)
_CIPHERTEXT = re.compile(rf"{TOKEN.pattern}|[0-9a-f]{{64}}")
# Product registrations: BPOM's MD (made here) and ML (imported) numbers, 12 digits after
# the letters, and a P-IRT (or SPP-IRT) number, 15 digits, the last two (the expiry
# year) often after a dash. Such a number may begin 08 or 628 like a phone, so a phone
# match inside one is not a finding. A NIK (16 digits) has the length of neither and is
# never excused by a prefix.
_REGISTRATION = re.compile(
    r"\bM[DL]\s*(?P<bpom>\d{12})(?![A-Za-z0-9])"
    r"|\b(?:SPP-|P-?)IRT(?:\s*No\.?)?\s*(?P<pirt>\d{13}-?\d{2})(?![A-Za-z0-9])"
)


@dataclass(frozen=True)
class Finding:
    kind: str  # "nik" or "phone"
    where: str  # "table.column #pk", "path:line" or "path!sheet!row"
    value: str  # masked


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    columns: int = 0
    values: int = 0
    files: int = 0
    # Files that are not what their name says (a refused upload named .xlsx), read as
    # text instead.
    unreadable: list[str] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(
            {
                "findings": [asdict(f) for f in self.findings],
                "scanned": {"columns": self.columns, "values": self.values, "files": self.files},
                "unreadable": self.unreadable,
            },
            ensure_ascii=False,
        )


class Scanner:
    def __init__(self) -> None:
        self.districts = set(
            Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True)
        )
        self.report = Report()

    def find(self, text: str, where: str) -> None:
        self.report.values += 1
        if _CIPHERTEXT.fullmatch(text):
            return
        for match in _NIK.finditer(text):
            try:
                nik = clean_nik(match.group(), districts=self.districts)
            except ValidationError:
                continue
            self.report.findings.append(Finding("nik", where, mask_nik(nik)))
        registrations = [m.span(m.lastgroup or 0) for m in _REGISTRATION.finditer(text)]
        for match in _PHONE.finditer(text):
            start, end = match.span()
            if any(low <= start and end <= high for low, high in registrations):
                continue
            try:
                phone = clean_phone(match.group())
            except ValidationError:
                continue
            self.report.findings.append(Finding("phone", where, mask_phone(phone)))

    def scan_database(self) -> None:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            columns = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
            if not columns:
                continue
            self.report.columns += len(columns)
            table = model._meta.db_table
            names = [f.attname for f in columns]
            rows = model._base_manager.order_by().values_list("pk", *names)
            for pk, *values in rows.iterator(chunk_size=2000):
                for column, value in zip(columns, values, strict=True):
                    if value in (None, "", {}, []):
                        continue
                    text = value if isinstance(value, str) else json.dumps(value)
                    self.find(text, f"{table}.{column.column} #{pk}")

    def scan_paths(self, paths: Iterable[Path]) -> None:
        for path in _files(paths):
            self.report.files += 1
            if path.suffix.lower() == ".xlsx":
                try:
                    cells = _xlsx_cells(path)
                except CalamineError:
                    # Whatever it is (a CSV renamed, a damaged workbook), its text may
                    # still hold a NIK.
                    self.report.unreadable.append(str(path))
                else:
                    for where, text in cells:
                        self.find(text, where)
                    continue
            with path.open(encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, start=1):
                    self.find(line, f"{path}:{number}")


def scan(paths: Iterable[Path] = (), *, database: bool = True) -> Report:
    scanner = Scanner()
    if database:
        scanner.scan_database()
    scanner.scan_paths(paths)
    return scanner.report


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in FILE_SUFFIXES:
                    yield child
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(path)


def _xlsx_cells(path: Path) -> list[tuple[str, str]]:
    """Every row of every sheet, read before any is scanned, so that a workbook that
    cannot be read is found before any of it is reported."""
    book = CalamineWorkbook.from_path(str(path))
    found = []
    for name in book.sheet_names:
        for number, row in enumerate(book.get_sheet_by_name(name).iter_rows(), start=1):
            cells = [_text(v) for v in row if v not in (None, "")]
            if cells:
                # One value per row, cells joined as a CSV line would be: a phone number's
                # groups may be split by a space or a tab, so a tab between cells would
                # glue a masked phone's last digits to the next cell (a KBLI) into a
                # "phone". A number split over two cells is not a NIK or a phone anyway.
                found.append((f"{path}!{name}!{number}", ",".join(cells)))
    return found


def _text(value: Any) -> str:
    # Excel keeps a NIK typed as a number as a float.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
