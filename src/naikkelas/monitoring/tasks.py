"""Background work of monitoring, run by the job worker (`naikkelas db_worker`)."""

from django.contrib.auth import get_user_model
from django.utils import translation
from django_tasks import task

from naikkelas.jobs.services import running
from naikkelas.monitoring import reports
from naikkelas.monitoring.access import access_dashboard
from naikkelas.monitoring.forms import parse_month


@task()
def build_report(job_id: str, user_id: int, report_kind: str, month: str, file_format: str) -> None:
    with running(job_id) as progress, translation.override(reports.REPORT_LANGUAGE):
        user = get_user_model().objects.get(pk=user_id)
        # The scope is the user's when the job runs, not when it was asked for.
        access_dashboard(user)
        report = reports.build(report_kind, parse_month(month))
        path = progress.output(f".{file_format}", f"{report.file_stem}.{file_format}")
        with path.open("wb") as target:
            reports.write(report, file_format, target)
