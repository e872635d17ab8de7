"""Jobs through the real queue: django-tasks' database backend and its db_worker.

These tests commit (the worker reads what the request queued), so they use
`reference_data` to put back what the previous flush removed.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import PASSWORD
from naikkelas.core.errors import DomainError
from naikkelas.graduation.models import Standing
from naikkelas.jobs.models import Job, JobStatus
from naikkelas.jobs.services import running

pytestmark = pytest.mark.usefixtures("reference_data")


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_it_runs_a_recompute_queued_from_the_page(client, curator, make_business):
    business = make_business()
    Standing.objects.all().delete()
    client.login(username=curator.username, password=PASSWORD)

    response = client.post(reverse("start_recompute"))

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.status == JobStatus.QUEUED
    assert job.requested_by == curator
    assert not Standing.objects.filter(business=business).exists()

    _work()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result["businesses"] == 1
    assert job.result["changed"] == 1
    assert Standing.objects.filter(business=business).exists()
    page = client.get(reverse("job_detail", args=[job.pk]))
    assert "Selesai" in page.text
    assert "hx-trigger" not in page.text  # a finished job stops polling


def test_a_waiting_job_polls_its_progress_with_htmx(client, curator):
    client.login(username=curator.username, password=PASSWORD)
    client.post(reverse("start_recompute"))
    job = Job.objects.get()

    partial = client.get(reverse("job_detail", args=[job.pk]), headers={"HX-Request": "true"})

    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert 'hx-trigger="every 1s"' in partial.text
    assert "Menunggu" in partial.text


def test_only_curators_start_a_recompute(client, volunteer, leader):
    for user in (volunteer, leader):
        client.login(username=user.username, password=PASSWORD)
        assert client.post(reverse("start_recompute")).status_code == 403
    assert not Job.objects.exists()


def test_a_job_is_seen_by_its_requester_and_administrators_only(client, curator, admin, leader):
    client.login(username=curator.username, password=PASSWORD)
    client.post(reverse("start_recompute"))
    url = reverse("job_detail", args=[Job.objects.get().pk])

    assert client.get(url).status_code == 200
    client.login(username=admin.username, password=PASSWORD)
    assert client.get(url).status_code == 200
    client.login(username=leader.username, password=PASSWORD)
    assert client.get(url).status_code == 404


def test_a_failed_job_says_why(client, curator):
    job = Job.objects.create(kind="recompute", requested_by=curator)

    with pytest.raises(DomainError), running(str(job.pk)) as progress:
        progress.advance(3, 10)
        raise DomainError("Berkas tidak dapat dibaca.")

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.FAILED, 3, 10)
    assert job.error == "Berkas tidak dapat dibaca."
    client.login(username=curator.username, password=PASSWORD)
    page = client.get(reverse("job_detail", args=[job.pk]))
    assert "Gagal" in page.text
    assert "Berkas tidak dapat dibaca." in page.text


def test_the_command_queues_a_recompute_for_the_worker(make_business):
    make_business()
    Standing.objects.all().delete()

    call_command("recompute", "--background", verbosity=0)
    _work()

    assert Job.objects.get().status == JobStatus.DONE
    assert Standing.objects.count() == 1
