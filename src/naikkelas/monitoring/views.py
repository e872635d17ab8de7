from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError
from naikkelas.core.web import show_on_form
from naikkelas.monitoring import dashboard, drawing, impact, services, tallies
from naikkelas.monitoring.access import access_dashboard
from naikkelas.monitoring.forms import DashboardFilterForm, ReportForm, TargetForm
from naikkelas.monitoring.models import Target
from naikkelas.programs.models import Cohort


@login_required
def dashboard_page(request: AuthenticatedRequest) -> HttpResponse:
    access_dashboard(request.user)
    figures_of = tallies.snapshot()
    places = dashboard.places(figures_of.state)
    form = DashboardFilterForm(request.GET or None, places=places)
    where = dashboard.scope(dashboard.city_kelurahan(places), form.value("wilayah"), places)
    start, end = form.value("dari", None), form.value("sampai", None)
    figures = dashboard.build(
        where,
        metric=form.value("peta", "registered"),
        start=f"{start:%Y-%m}" if start else "",
        end=f"{end:%Y-%m}" if end else "",
    )
    context = {
        "form": form,
        "problems": form.problems(),
        "d": figures,
        "as_of": figures_of.as_of,
        "columns": [(c, dashboard.column_label(c)) for c in dashboard.BUSINESS_COLUMNS],
        "headline": [
            (c, dashboard.column_label(c), figures.total[c]) for c in dashboard.BUSINESS_COLUMNS
        ],
        "map_svg": drawing.svg(figures.map, "map"),
        "chart_svgs": [drawing.svg(chart) for chart in figures.charts],
        "report_form": ReportForm(),
        "cohorts": Cohort.objects.filter(frozen_at__isnull=False)[:20],
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
def target_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user.is_admin)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_target(request.user, form.cleaned_data)
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Target saved."))
            return redirect("target_list")
    targets = Target.objects.select_related("region")
    return render(request, "monitoring/targets.html", {"form": form, "targets": targets})


@require_POST
@login_required
def target_delete(request: AuthenticatedRequest, target_id: int) -> HttpResponse:
    services.delete_target(request.user, get_object_or_404(Target, pk=target_id))
    messages.success(request, _("Target deleted."))
    return redirect("target_list")


@require_POST
@login_required
def start_report(request: AuthenticatedRequest) -> HttpResponse:
    access_dashboard(request.user)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("dashboard")
    job = services.start_report(
        request.user,
        form.cleaned_data["kind"],
        form.cleaned_data["month"],
        form.cleaned_data["file_format"],
    )
    messages.success(request, _("The report is being prepared; this page shows how it goes."))
    return redirect("job_detail", job.pk)


@login_required
def cohort_impact(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    access_dashboard(request.user)
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    comparison = impact.compare(request.user, cohort)
    groups = [(_("Cohort members"), comparison.members), (_("Comparison group"), comparison.others)]
    return render(
        request, "monitoring/impact.html", {"cohort": cohort, "c": comparison, "groups": groups}
    )
