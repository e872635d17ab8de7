"""Reports through the real queue (the job worker commits: reference_data)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import PASSWORD
from naikkelas.jobs.models import Job, JobKind, JobStatus
from naikkelas.monitoring import reports

pytestmark = pytest.mark.usefixtures("reference_data")


def _report(client, user, **data):
    client.login(username=user.username, password=PASSWORD)
    response = client.post(reverse("start_report"), data)
    job = Job.objects.get(kind=JobKind.REPORT)
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(reverse("job_file", args=[job.pk]))
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def test_it_renders_the_pdf_with_pages_the_map_and_the_charts(client, leader, city):
    job, content = _report(client, leader, kind="monthly", month="2025-02", file_format="pdf")
    assert job.file_name == "laporan-umkm-2025-02.pdf"
    pdf = PdfReader(io.BytesIO(content))
    assert len(pdf.pages) >= 1
    images = [image for page in pdf.pages for image in page.images]
    # The map and the four charts, as pictures.
    assert len(images) == 5
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Laporan bulanan, Februari 2025" in text
    assert "Per kecamatan" in text and "Per sektor" in text


def test_it_writes_the_same_tables_to_the_workbook_and_each_adds_up(client, leader, city):
    job, content = _report(client, leader, kind="quarterly", month="2025-02", file_format="xlsx")
    assert job.file_name == "laporan-umkm-2025-01-triwulan.xlsx"
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[:2] == ["Ringkasan", "Sasaran"]
    for name in ("Per kecamatan", "Per kelas usaha", "Per sektor", "Per jenis kelamin pemilik"):
        rows = list(book[name].iter_rows(values_only=True))[2:]
        body, total = rows[:-1], rows[-1]
        assert total[0] == "Jumlah"
        for column in range(1, 6):
            assert sum(r[column] for r in body) == total[column], (name, column)
        assert total[1] == 4
    summary = {r[0]: r[1:] for r in book["Ringkasan"].iter_rows(values_only=True)}
    # In the quarter January-March 2025: the completion (March), the credit (February).
    assert summary["Penyelesaian program"] == (1, 1)
    assert summary["Kredit tersalurkan (Rp)"] == (45_000_000, 45_000_000)


def test_it_covers_the_quarter_that_holds_the_month():
    assert reports.period("quarterly", datetime.date(2025, 8, 1)) == (
        datetime.date(2025, 7, 1), datetime.date(2025, 9, 1),
    )  # fmt: skip
    assert reports.period("monthly", datetime.date(2025, 8, 1)) == (
        datetime.date(2025, 8, 1), datetime.date(2025, 8, 1),
    )  # fmt: skip


def test_the_report_breakdowns_add_up(city, leader):
    report = reports.build("monthly", datetime.date(2025, 2, 1))
    assert all(b.adds_up() for b in report.figures.breakdowns)


@pytest.mark.parametrize("persona", ["volunteer", "bank", "owner_user"])
def test_only_leadership_makes_reports(client, request, persona, city):
    user = request.getfixturevalue(persona)
    client.login(username=user.username, password=PASSWORD)
    response = client.post(
        reverse("start_report"), {"kind": "monthly", "month": "2025-02", "file_format": "pdf"}
    )
    assert response.status_code == 403
    assert not Job.objects.filter(kind=JobKind.REPORT).exists()
