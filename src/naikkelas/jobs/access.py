"""The one way to read a job: its requester and administrators see it; nobody else."""

from typing import Any

from django.http import Http404

from naikkelas.accounts.models import User
from naikkelas.jobs.models import Job


def get_job_for(user: User, job_id: Any) -> Job:
    job = Job.objects.filter(pk=job_id).select_related("requested_by").first()
    if job is None or not (user.is_admin or job.requested_by_id == user.pk):
        raise Http404
    return job
