"""A CSV file's rows are what the csv module reads, whichever way they are read: a line
without quotes is split where it is checked, a quoted record is read by the csv module."""

import csv
import io

import pytest

from naikkelas.intake.columns import SIDT_COLUMNS
from naikkelas.intake.files import open_table

WIDTH = len(SIDT_COLUMNS)


def _line(*cells: str, separator: str = ",") -> str:
    return separator.join([*cells, *[""] * (WIDTH - len(cells))])


def _body(separator: str, newline: str) -> str:
    def line(*cells: str) -> str:
        return _line(*cells, separator=separator)

    lines = [
        line("S-1", "3573015203850002", "Siti"),
        line("S-2", f'"Jl. Mawar{separator} 5"', "Budi"),  # a separator inside quotes
        line("S-3", '"Jl. Melati\nRT 3"', "Ani") + newline + line("S-3b"),  # a break inside
        line("S-4", 'Toko 5" kayu', "Dewi"),  # a stray quote in an unquoted field
        line("S-5", '"say ""hi"""', "Eko"),  # doubled quotes
        "",  # a blank line
        separator * (WIDTH - 1),  # only separators
        line(" \u00a0 ") + separator,  # only white space (a no-break space), one cell more
        line("S-6", "tab\there", " spaced "),
        line("S-7") + "\r",  # a lone carriage return ends a line too
        line("S-8"),
    ]
    return newline.join(lines) + newline


def _as_csv_reads(text: str, separator: str) -> list[tuple[int, list[str]]]:
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    next(rows)
    return [
        (number, cells)
        for number, cells in enumerate(rows, start=2)
        if any(cell.strip() for cell in cells)
    ]


@pytest.mark.parametrize("separator", [",", ";", "\t"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_rows_are_what_the_csv_module_reads(tmp_path, separator, newline):
    text = separator.join(SIDT_COLUMNS) + newline + _body(separator, newline)
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8", newline="")

    table = open_table(path)
    read = [(number, table.cells(cells)) for number, cells in table.rows]

    assert read == _as_csv_reads(text, separator)
    assert [cells[0] for _n, cells in read] == [
        "S-1", "S-2", "S-3", "S-3b", "S-4", "S-5", "S-6", "S-7", "S-8"
    ]  # fmt: skip
    # Lines without quotes reach the checks unsplit; quoted records as cells.
    kinds = [type(cells).__name__ for _n, cells in open_table(path).rows]
    assert kinds == ["str", "list", "list", "str", "list", "list", "str", "str", "str"]
