from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.jobs.access import get_job_for


@login_required
def job_detail(request: AuthenticatedRequest, job_id: str) -> HttpResponse:
    job = get_job_for(request.user, job_id)
    # htmx polls the progress part alone until the job has finished.
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


@login_required
def job_file(request: AuthenticatedRequest, job_id: str) -> FileResponse:
    job = get_job_for(request.user, job_id)
    if not (job.file and job.finished and job.file_path.is_file()):
        raise Http404
    return FileResponse(job.file_path.open("rb"), as_attachment=True, filename=job.file_name)
