"""The monthly and quarterly reports for leadership and Bappeda: a PDF with the map and
the charts, and an Excel workbook of the same tables, built by a background job.

Both files are written from `tables(report)`, so the paper and the workbook cannot
disagree; the pictures are the dashboard's own drawings (drawing.png).
"""

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook

from naikkelas.core.spreadsheets import Writable, xlsx_cell
from naikkelas.core.templatetags.naikkelas import rupiah
from naikkelas.monitoring import dashboard, drawing, tallies

# Reports are for the city's leadership and Bappeda: always in Indonesian.
REPORT_LANGUAGE = "id"

Table = tuple[str, list[str], list[list[Any]]]  # title, header, rows


@dataclass
class Report:
    kind: str  # monthly, quarterly
    start: datetime.date  # first day of the first month
    end: datetime.date  # first day of the last month
    figures: dashboard.Dashboard
    in_period: dict[str, int]

    @property
    def title(self) -> str:
        if self.kind == "quarterly":
            quarter = (self.start.month - 1) // 3 + 1
            return _("Quarterly report, quarter %(q)s %(year)s") % {
                "q": quarter,
                "year": self.start.year,
            }
        return _("Monthly report, %(month)s") % {"month": date_format(self.start, "F Y")}

    @property
    def file_stem(self) -> str:
        return f"laporan-umkm-{self.start:%Y-%m}" + (
            "-triwulan" if self.kind == "quarterly" else ""
        )


def period(kind: str, month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The months a report covers: the month itself, or the quarter holding it."""
    if kind == "quarterly":
        first = month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)
        return first, first.replace(month=first.month + 2)
    return month.replace(day=1), month.replace(day=1)


def build(kind: str, month: datetime.date) -> Report:
    """The report's figures, from the roll-ups, counted again first if a write came since
    the worker last did: a report is built by a job, off any request, and its figures
    are exact when it is built."""
    start, end = period(kind, month)
    # The trend shows the year up to the period's end, so a month is seen in context.
    year_before = end.replace(year=end.year - 1, month=end.month)
    places = dashboard.places(tallies.refresh(only_if_stale=True))
    where = dashboard.scope(dashboard.city_kelurahan(places), "", places)
    figures = dashboard.build(where, start=f"{year_before:%Y-%m}", end=f"{end:%Y-%m}")
    rows = [r for r in figures.trend if f"{start:%Y-%m}" <= r.key <= f"{end:%Y-%m}"]
    in_period = {
        column: sum(r.figures[column] for r in rows)
        for column in ("registered", "verified", "graduated", "programme_completions",
                       "credit_disbursed")
    }  # fmt: skip
    return Report(kind, start, end, figures, in_period)


def tables(report: Report) -> list[Table]:
    f = report.figures
    columns = dashboard.BUSINESS_COLUMNS
    header = [dashboard.column_label(c) for c in columns]
    out: list[Table] = [
        (
            _("Summary"),
            [_("Figure"), _("Now"), _("In the period")],
            [[dashboard.column_label(c), f.total[c], report.in_period.get(c, "")] for c in columns]
            + [
                [
                    _("Programme completions"),
                    f.total["programme_completions"],
                    report.in_period["programme_completions"],
                ],
                [
                    _("Credit disbursed (Rp)"),
                    f.total["credit_disbursed"],
                    report.in_period["credit_disbursed"],
                ],
            ],
        ),
        (
            _("Targets"),
            [
                _("Indicator"),
                _("Period"),
                _("Region"),
                _("Target"),
                _("Achieved"),
                _("Projected"),
                _("Status"),
            ],
            [
                [
                    p.target.get_indicator_display(),
                    f"{p.target.starts_on:%Y-%m} – {p.target.ends_on:%Y-%m}",
                    p.target.region.name if p.target.region else _("Whole city"),
                    p.target.value,
                    p.achieved,
                    "" if p.projected is None else p.projected,
                    p.verdict,
                ]
                for p in f.progress
            ],
        ),
    ]
    for b in f.breakdowns:
        rows = [[r.label, *(r.figures[c] for c in columns), round(r.share, 1)] for r in b.rows]
        rows.append(
            [_("Total"), *(b.total[c] for c in columns), 100.0 if b.total["registered"] else 0]
        )
        extra = [_("Share (%)")]
        if b is f.breakdowns[0]:
            for row, r in zip(rows, b.rows, strict=False):
                per = r.per_thousand
                row.append("" if per is None else round(per, 2))
            extra.append(_("Per 1,000 inhabitants"))
        out.append((b.title, [_("Group"), *header, *extra], rows))
    out.append(
        (
            _("Per month"),
            [
                _("Month"),
                _("Registered"),
                _("Curated"),
                _("Graduated"),
                _("Programme completions"),
                _("Credit disbursed (Rp)"),
            ],
            [
                [
                    r.key,
                    r.figures["registered"],
                    r.figures["verified"],
                    r.figures["graduated"],
                    r.figures["programme_completions"],
                    r.figures["credit_disbursed"],
                ]
                for r in f.trend
            ],
        ),
    )
    return out


def write_workbook(report: Report, target: Writable) -> None:
    book = Workbook(write_only=True)
    for title, header, rows in tables(report):
        # Sheet names: at most 31 characters, none of []:*?/\
        sheet = book.create_sheet("".join(c for c in title if c not in "[]:*?/\\")[:31])
        sheet.append([xlsx_cell(report.title)])
        sheet.append([xlsx_cell(v) for v in header])
        for row in rows:
            sheet.append([xlsx_cell(v) for v in row])
    book.save(target)


def _latin(value: Any) -> str:
    """The PDF's built-in font covers Latin-1; typographic dashes and quotes become plain."""
    text = str(value)
    for fancy, plain in (("–", "-"), ("—", "-"), ("“", '"'), ("”", '"'), ("’", "'")):
        text = text.replace(fancy, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def _show(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return dashboard.grouped(value)
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def write_pdf(report: Report, target: Writable) -> None:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_latin(report.title))
    pdf.set_author("Naik Kelas")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 15)
    pdf.multi_cell(0, 8, _latin(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 9)
    made = date_format(timezone.localtime(), "j F Y H:i")
    (
        pdf.multi_cell(
            0,
            5,
            _latin(_("Made %(when)s by Naik Kelas from the registry's figures.") % {"when": made}),
            new_x="LMARGIN",
            new_y="NEXT",
        ),
    )
    pdf.ln(2)
    f = report.figures
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.image(io.BytesIO(drawing.png(f.map)), w=width)
    for title, header, rows in tables(report):
        pdf.ln(3)
        pdf.set_font("helvetica", "B", 11)
        pdf.multi_cell(0, 6, _latin(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 7)
        with pdf.table(
            text_align="LEFT", col_widths=[3] + [2] * (len(header) - 1), first_row_as_headings=True
        ) as table:
            for values in [header, *rows]:
                line = table.row()
                for value in values:
                    line.cell(_latin(_show(value)))
    for chart in f.charts:
        if pdf.get_y() > pdf.h - 90:
            pdf.add_page()
        pdf.ln(3)
        pdf.image(io.BytesIO(drawing.png(chart)), w=width)
    pdf.set_font("helvetica", "I", 8)
    pdf.ln(2)
    (
        pdf.multi_cell(
            0,
            4,
            _latin(
                _("Credit disbursed in the period: %(amount)s.")
                % {"amount": rupiah(report.in_period["credit_disbursed"])}
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        ),
    )
    target.write(bytes(pdf.output()))


def write(report: Report, file_format: str, target: Writable) -> None:
    if file_format == "pdf":
        write_pdf(report, target)
    else:
        write_workbook(report, target)
