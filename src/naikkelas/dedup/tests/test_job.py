"""The registry-wide search as a job, through the real worker (commits: reference_data)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import PASSWORD
from naikkelas.dedup.models import DuplicatePair
from naikkelas.jobs.models import Job, JobStatus

pytestmark = pytest.mark.usefixtures("reference_data")


def test_a_curator_searches_the_whole_registry_for_duplicates(client, curator, make_business):
    first = make_business(name="Sambal Bu Rini", nib="1234567890123", owner_name="Rini Astuti")
    second = make_business(name="UD. Sambal Bu Rinni", owner_name="Rini Astuti")
    make_business(name="Bengkel Las Sumber Jaya")
    client.login(username=curator.username, password=PASSWORD)

    response = client.post(reverse("duplicate_detection"))

    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result["queued"] == DuplicatePair.objects.count()
    pairs = {(p.a_id, p.b_id) for p in DuplicatePair.objects.all()}
    assert (first.pk, second.pk) in pairs
    assert len(pairs) == 1


def test_the_search_over_one_import_keeps_the_pairs_it_takes_part_in(
    client, curator, make_business
):
    imported = make_business(name="Sambal Bu Rini", owner_name="Rini Astuti")
    earlier = make_business(name="UD. Sambal Bu Rinni", owner_name="Rini Astuti")
    make_business(name="Bakso Pak Kumis", owner_name="Kumis Hartono")
    make_business(name="Bakso Pak Kumiss", owner_name="Kumis Hartono")
    done_import = Job.objects.create(
        kind="import", requested_by=curator, status=JobStatus.DONE,
        result={"rows": 1, "created": 1, "touched": [imported.pk]},
    )  # fmt: skip
    client.login(username=curator.username, password=PASSWORD)
    page = client.get(reverse("job_detail", args=[done_import.pk]))
    assert 'id="find-import-duplicates"' in page.text

    client.post(reverse("duplicate_detection"), {"import_job": done_import.pk})
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    search = Job.objects.get(kind="dedup")
    assert search.status == JobStatus.DONE, search.error
    assert {(p.a_id, p.b_id) for p in DuplicatePair.objects.all()} == {(imported.pk, earlier.pk)}
