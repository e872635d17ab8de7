import csv
import io

import pytest
from openpyxl import load_workbook

from naikkelas.core.spreadsheets import neutralise, write_csv, write_xlsx

HEADER = ["nama", "jumlah"]
RUNNABLE = ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _xlsx(rows):
    target = io.BytesIO()
    write_xlsx(target, "lembar", HEADER, rows)
    sheet = load_workbook(io.BytesIO(target.getvalue()))["lembar"]
    return [[cell for cell in row] for row in sheet.iter_rows()]


def _csv(rows):
    target = io.BytesIO()
    write_csv(target, HEADER, rows)
    return target.getvalue()


@pytest.mark.parametrize("text", RUNNABLE)
def test_it_neutralises_text_a_spreadsheet_would_run(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-5, 0, 3.5, None, True, "", "Keripik Tempe", "08******7890"])
def test_it_leaves_numbers_and_plain_text_alone(value):
    assert neutralise(value) is value


def test_it_writes_an_xlsx_whose_text_cannot_run_and_whose_numbers_add_up():
    rows = _xlsx([[text, -5] for text in RUNNABLE] + [["Keripik", 1_500_000], [None, 7]])

    assert [cell.value for cell in rows[0]] == HEADER
    for (name, amount), text in zip(rows[1:], RUNNABLE, strict=False):
        # XML reads a carriage return back as a line feed; the apostrophe is what matters.
        assert (name.value, name.data_type) == ("'" + text.replace("\r", "\n"), "s")
        assert (amount.value, amount.data_type) == (-5, "n")
    assert [cell.value for cell in rows[-2]] == ["Keripik", 1_500_000]
    assert [cell.value for cell in rows[-1]] == [None, 7]


def test_it_drops_control_characters_an_xlsx_cannot_hold_before_neutralising():
    rows = _xlsx([["\x01=1+1", 1], ["Toko\x00 Berkah", 2]])

    assert [row[0].value for row in rows[1:]] == ["'=1+1", "Toko Berkah"]


def test_it_writes_a_csv_excel_opens_as_utf8_with_runnable_text_neutralised():
    content = _csv([[text, -5] for text in RUNNABLE] + [["Kafé, Bu Sri", None]])

    assert content.startswith(b"\xef\xbb\xbf")
    assert content.split(b"\r\n")[0] == b"\xef\xbb\xbfnama,jumlah"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADER
    assert rows[1:-1] == [["'" + text, "-5"] for text in RUNNABLE]
    assert rows[-1] == ["Kafé, Bu Sri", ""]
