"""The curator's import journey on the web: upload, dry run, look, import.

Both steps run in the real job worker, so these tests commit (`reference_data`).
"""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from naikkelas.intake.tests.sidt import row, write
from naikkelas.jobs.models import Job, JobStatus
from naikkelas.registry.models import Business

pytestmark = pytest.mark.usefixtures("reference_data")


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _upload(client, path):
    with path.open("rb") as f:
        upload = SimpleUploadedFile(path.name, f.read(), content_type="text/csv")
    return client.post(reverse("import_page"), {"file": upload, "format": ""})


def test_a_curator_checks_a_file_then_imports_it(client, curator, tmp_path):
    path = write(tmp_path / "sidt.csv", [row(), row(id_data_badan_usaha="S-2", nib="99")])
    client.login(username=curator.username, password=PASSWORD)

    response = _upload(client, path)
    dry = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[dry.pk])
    _work()

    dry.refresh_from_db()
    assert dry.status == JobStatus.DONE
    assert (dry.result["created"], dry.result["rejected"], dry.result["dry_run"]) == (1, 1, True)
    assert not Business.objects.exists()
    page = client.get(reverse("job_detail", args=[dry.pk]))
    assert "NIB harus tepat 13 digit." in page.text
    assert 'id="import-now"' in page.text
    report = client.get(reverse("job_file", args=[dry.pk]))
    sheet = load_workbook(BytesIO(b"".join(report.streaming_content))).active
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["S-2"]

    confirm = client.post(reverse("import_confirm", args=[dry.pk]))
    real = Job.objects.exclude(pk=dry.pk).get()
    assert confirm["Location"] == reverse("job_detail", args=[real.pk])
    _work()

    real.refresh_from_db()
    assert (real.status, real.result["created"], real.result["dry_run"]) == (
        JobStatus.DONE,
        1,
        False,
    )
    assert Business.objects.get().source_id == "SIDT-0001"
    assert 'id="import-now"' not in client.get(reverse("job_detail", args=[real.pk])).text


def test_an_unreadable_file_fails_the_job_with_the_reason(client, curator, tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("nama;alamat\nWarung;Jl. A\n")
    client.login(username=curator.username, password=PASSWORD)

    _upload(client, path)
    _work()

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "id_data_badan_usaha" in job.error
    assert client.post(reverse("import_confirm", args=[job.pk])).status_code == 302
    assert Job.objects.count() == 1


def test_the_template_downloads_for_curators_only(client, curator, volunteer):
    client.login(username=volunteer.username, password=PASSWORD)
    assert client.get(reverse("import_template")).status_code == 403
    assert client.get(reverse("import_page")).status_code == 403
    client.login(username=curator.username, password=PASSWORD)
    response = client.get(reverse("import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_result_page_links_to_the_imports_possible_duplicates(client, curator, tmp_path):
    path = write(tmp_path / "sidt.csv", [
        row(), row(id_data_badan_usaha="SIDT-0002", nama_usaha="UD. KERIPIK TEMPE BU SITI"),
        row(id_data_badan_usaha="SIDT-0003", nama_usaha="Bengkel Las Sumber Jaya", nib="",
            nama_pengusaha="Budi Santoso", nik_pengusaha="3573011201900001",
            kontak_hp="0813-1111-2222", alamat_usaha="Jl. Tugu 3"),
    ])  # fmt: skip
    client.login(username=curator.username, password=PASSWORD)
    _upload(client, path)
    _work()
    dry = Job.objects.get()
    assert 'id="import-duplicates"' not in client.get(reverse("job_detail", args=[dry.pk])).text

    client.post(reverse("import_confirm", args=[dry.pk]))
    _work()

    real = Job.objects.exclude(pk=dry.pk).get()
    assert (real.result["created"], real.result["possible_duplicates"]) == (3, 1)
    page = client.get(reverse("job_detail", args=[real.pk])).text
    link = f"{reverse('duplicate_queue')}?found_by=import%3A{real.pk}"
    assert "1 pasangan kemungkinan duplikat" in page
    assert f'href="{link}"' in page
    queue = client.get(link)
    first, second = Business.objects.filter(source_id__in=["SIDT-0001", "SIDT-0002"])
    assert [(p.a_id, p.b_id) for p, _labels in queue.context["rows"]] == [
        tuple(sorted((first.pk, second.pk)))
    ]
    assert "NIB sama" in queue.text
