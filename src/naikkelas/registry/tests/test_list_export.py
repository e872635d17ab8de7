"""The business list as .xlsx and .csv: the user's scope, the current filters, masked
personal data, neutralised formulas, and a job for exports too long for one request."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import NIK_WOMAN, PASSWORD, SUKUN_KELURAHAN
from naikkelas.jobs.models import Job, JobKind, JobStatus
from naikkelas.registry.listing import HEADER

FORMATS = ["xlsx", "csv"]
RUNNABLE = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)"]
NAME, NIK, PHONE, KELURAHAN_CODE, STATUS = (
    HEADER.index(c) for c in ("nama_usaha", "nik", "kontak_hp", "kode_kelurahan", "status")
)


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _read(export_format, content):
    """The rows of an export as a spreadsheet user sees them, header first."""
    if export_format == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        cells = sheet.iter_rows(values_only=True)
        return [["" if v is None else str(v) for v in row] for row in cells]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _export(client, export_format, **filters):
    response = client.get(reverse("business_list"), {**filters, "format": export_format})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="usaha.{export_format}"'
    return response


def _plain_bytes(export_format, content):
    """An .xlsx is a zip: what a reader of the file could find is in its members."""
    if export_format == "csv":
        return content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


@pytest.fixture
def city(make_business):
    return {
        "balearjosari": make_business(
            name="Keripik Balearjosari", nik=NIK_WOMAN, phone="081234567890"
        ),
        "bakery": make_business(name="Roti Balearjosari", kbli="10710"),
        "sukun": make_business(name="Keripik Sukun", kelurahan=SUKUN_KELURAHAN),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", FORMATS)
def test_it_exports_only_the_volunteers_kelurahan(client, volunteer, city, export_format):
    rows = _read(export_format, _export(_login(client, volunteer), export_format).content)

    assert rows[0] == HEADER
    assert [r[NAME] for r in rows[1:]] == ["Keripik Balearjosari", "Roti Balearjosari"]
    assert {r[KELURAHAN_CODE] for r in rows[1:]} == {"35.73.01.1001"}


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", FORMATS)
def test_it_applies_the_current_filters(client, curator, city, export_format):
    _login(client, curator)

    everything = _read(export_format, _export(client, export_format).content)
    keripik = _read(export_format, _export(client, export_format, q="keripik").content)
    sukun = _read(export_format, _export(client, export_format, kecamatan="35.73.04").content)

    assert len(everything) == 4
    assert [r[NAME] for r in keripik[1:]] == ["Keripik Balearjosari", "Keripik Sukun"]
    assert [r[NAME] for r in sukun[1:]] == ["Keripik Sukun"]
    assert {r[STATUS] for r in everything[1:]} == {"draft"}


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", FORMATS)
def test_it_masks_personal_data(client, curator, city, export_format):
    content = _export(_login(client, curator), export_format).content

    row = next(r for r in _read(export_format, content) if r[NAME] == "Keripik Balearjosari")
    assert (row[NIK], row[PHONE]) == ("************0002", "08******7890")
    plain = _plain_bytes(export_format, content)
    assert NIK_WOMAN.encode() not in plain
    assert b"81234567890" not in plain


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", FORMATS)
def test_it_neutralises_names_a_spreadsheet_would_run(
    client, volunteer, make_business, export_format
):
    for name in RUNNABLE:
        make_business(name=name)

    content = _export(_login(client, volunteer), export_format).content

    assert sorted(r[NAME] for r in _read(export_format, content)[1:]) == sorted(
        "'" + name for name in RUNNABLE
    )
    if export_format == "xlsx":
        cells = [row[NAME] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]
        assert {cell.data_type for cell in cells} == {"s"}  # no formula among them


@pytest.mark.django_db
def test_it_gives_a_bank_partner_an_empty_export(client, bank, city):
    assert _read("csv", _export(_login(client, bank), "csv").content) == [HEADER]


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(client, city):
    response = client.get(reverse("business_list"), {"format": "csv"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_it_offers_both_downloads_with_the_current_filters(client, volunteer, city):
    html = _login(client, volunteer).get(reverse("business_list"), {"q": "roti"}).text

    assert 'href="?q=roti&amp;format=xlsx"' in html
    assert 'href="?q=roti&amp;format=csv"' in html


@pytest.mark.django_db
def test_it_hands_an_htmx_click_to_the_browser_to_download(client, volunteer, city):
    response = _login(client, volunteer).get(
        reverse("business_list"), {"format": "xlsx", "q": "roti"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("business_list") + "?format=xlsx&q=roti"
    assert not response.content


@pytest.mark.django_db
def test_it_makes_as_many_queries_for_30_rows_as_for_3(client, curator, make_business):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            _export(client, "xlsx")
        return len(ctx.captured_queries)

    _login(client, curator)
    for _ in range(3):
        make_business()
    few = queries()
    for _ in range(27):
        make_business()
    assert queries() == few


@pytest.mark.parametrize("export_format", FORMATS)
def test_it_turns_a_large_export_into_a_job_with_the_same_rows(
    reference_data, client, volunteer, city, make_business, settings, tmp_path, export_format
):
    settings.VAR_DIR = tmp_path
    settings.NAIKKELAS_EXPORT_INLINE_MAX = 2
    for n in range(3):
        make_business(name=f"Keripik Tempe Sanan {n}")
    _login(client, volunteer)

    response = client.get(reverse("business_list"), {"q": "keripik", "format": export_format})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert (job.kind, job.status, job.requested_by) == (JobKind.EXPORT, JobStatus.QUEUED, volunteer)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.result, job.done) == ({"rows": 4}, 4)
    download = client.get(reverse("job_file", args=[job.pk]))
    assert download.status_code == 200
    assert f'filename="usaha.{export_format}"' in download["Content-Disposition"]
    from_job = _read(export_format, download.getvalue())
    download.close()
    settings.NAIKKELAS_EXPORT_INLINE_MAX = 100
    inline = _read(export_format, _export(client, export_format, q="keripik").content)
    assert from_job == inline
    assert [r[NAME] for r in from_job[1:]] == [
        "Keripik Balearjosari",
        *(f"Keripik Tempe Sanan {n}" for n in range(3)),
    ]
