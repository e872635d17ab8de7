from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.core.access import require
from naikkelas.core.web import attempt, flash_refusal, redirect_back
from naikkelas.graduation import findings, ready_list, services
from naikkelas.graduation.forms import AssessmentForm
from naikkelas.graduation.models import EvidenceKind, Graduation, GraduationStatus
from naikkelas.registry.access import businesses_for, get_business_for
from naikkelas.registry.forms import AreaFilterForm
from naikkelas.registry.models import Business


@require_POST
@login_required
def record_assessment(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    form = AssessmentForm(request.POST, auto_id="assessment_%s")
    if form.is_valid():
        attempt(
            request,
            _("Assessment saved; readiness recomputed."),
            lambda: services.record_assessment(request.user, business, form.cleaned_data),
        )
    else:
        flash_refusal(request, form)
    return redirect("business_detail", business.pk)


def _graduation_for(request: AuthenticatedRequest, graduation_id: int) -> Graduation:
    # Scope comes from the business: a graduation outside it does not exist.
    graduation = Graduation.objects.filter(pk=graduation_id).first()
    if graduation is None:
        raise Http404
    get_business_for(request.user, graduation.business_id)
    return graduation


@require_POST
@login_required
def decide_graduation(request: AuthenticatedRequest, graduation_id: int, verb: str) -> HttpResponse:
    graduation = _graduation_for(request, graduation_id)
    if verb == "confirm":
        kind, note = request.POST.get("evidence_kind", ""), request.POST.get("evidence_note", "")
        attempt(
            request,
            _("Graduation confirmed."),
            lambda: services.confirm_graduation(request.user, graduation, kind, note),
        )
    elif verb == "reject":
        reason = request.POST.get("reason", "")
        attempt(
            request,
            _("Graduation rejected."),
            lambda: services.reject_graduation(request.user, graduation, reason),
        )
    else:
        raise Http404
    return redirect_back(request, "business_detail", graduation.business_id)


@require_POST
@login_required
def start_recompute(request: AuthenticatedRequest) -> HttpResponse:
    job = services.start_recompute(request.user)
    messages.success(request, _("Recompute queued; this page shows how it goes."))
    return redirect("job_detail", job.pk)


@login_required
def graduation_queue(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require(user.can_curate)
    proposed = (
        Graduation.objects.filter(
            status=GraduationStatus.PROPOSED, business__in=businesses_for(user)
        )
        .select_related("business__kelurahan")
        .order_by("proposed_at", "id")
    )
    page = Paginator(proposed, 25).get_page(request.GET.get("page"))
    return render(
        request, "graduation/queue.html", {"page": page, "evidence_choices": EvidenceKind.choices}
    )


class EligibilityFilter(AreaFilterForm):
    min_score = forms.IntegerField(
        required=False, min_value=0, max_value=100, label=_l("minimum score")
    )

    def apply(self, businesses: QuerySet[Business]) -> QuerySet[Business]:
        businesses = super().apply(businesses).filter(standing__ready=True)
        if self.is_valid() and self.cleaned_data["min_score"] is not None:
            businesses = businesses.filter(
                standing__readiness_score__gte=self.cleaned_data["min_score"]
            )
        return businesses


@login_required
def eligibility_list(request: AuthenticatedRequest) -> HttpResponse:
    form = EligibilityFilter(request.GET or None, user=request.user)
    businesses = form.apply(businesses_for(request.user)).order_by(
        "-standing__readiness_score", "name", "id"
    )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="siap-naik-kelas.xlsx"'
        ready_list.write(response, businesses)
        return response
    page = Paginator(businesses.select_related("kelurahan", "owner", "standing"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "graduation/eligibility.html",
        {
            "form": form,
            "page": page,
            "by_kelurahan": ready_list.counts_by_kelurahan(businesses),
            "query": query.urlencode(),
        },
    )


class FindingFilter(AreaFilterForm):
    finding = forms.ChoiceField(
        choices=findings.Finding.choices, required=False, label=_l("finding")
    )
    field_order = ["finding", "kecamatan", "kelurahan", "sector"]


@login_required
def finding_list(request: AuthenticatedRequest) -> HttpResponse:
    """Businesses whose class needs another look, within the user's scope."""
    form = FindingFilter(request.GET or None, user=request.user)
    scoped = form.apply(businesses_for(request.user))
    chosen = form.cleaned_data.get("finding") if form.is_valid() else ""
    finding = chosen or findings.Finding.CLASS_MISMATCH
    businesses = findings.with_finding(scoped, finding).order_by("kelurahan__code", "name", "id")
    page = Paginator(businesses.select_related("kelurahan", "standing"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    totals = findings.counts(scoped)
    return render(
        request,
        "graduation/findings.html",
        {
            "form": form,
            "page": page,
            "finding": finding,
            "totals": [(code, label, totals[code]) for code, label in findings.Finding.choices],
            "query": query.urlencode(),
        },
    )
