from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.accounts.models import User
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError
from naikkelas.core.web import attempt
from naikkelas.intake import services
from naikkelas.intake.forms import UploadForm
from naikkelas.intake.template import write_template
from naikkelas.jobs.access import get_job_for
from naikkelas.jobs.models import Job, JobKind


def _curator(request: AuthenticatedRequest) -> User:
    # Checked before a job is looked up: a role that does not import gets 403, not the
    # 404 of a job it cannot see.
    require(request.user.can_curate)
    return request.user


@login_required
def import_page(request: AuthenticatedRequest) -> HttpResponse:
    user = _curator(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(
                user, form.cleaned_data["file"], form.cleaned_data["format"] or None
            )
        except DomainError as e:
            form.add_error("file", str(e.message))
        else:
            messages.success(request, _("File received; checking it now. Nothing is written yet."))
            return redirect("job_detail", job.pk)
    recent = Job.objects.filter(kind=JobKind.IMPORT, requested_by=user)[:10]
    return render(request, "intake/import.html", {"form": form, "recent": recent})


@login_required
def template_download(request: AuthenticatedRequest) -> HttpResponse:
    _curator(request)
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="templat-impor-umkm.xlsx"'
    write_template(response)
    return response


@require_POST
@login_required
def confirm_import(request: AuthenticatedRequest, job_id: str) -> HttpResponse:
    user = _curator(request)
    dry_run = get_job_for(user, job_id)
    job = attempt(request, _("Import started."), lambda: services.confirm_import(user, dry_run))
    return redirect("job_detail", (job or dry_run).pk)
