"""Visits and complaints. Each view starts with an access helper; writes go to services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.accounts.models import User
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError
from naikkelas.core.web import attempt, show_on_form
from naikkelas.engagement import services
from naikkelas.engagement.access import (
    complaints_for,
    get_complaint_for,
    get_visit_for,
    visits_for,
)
from naikkelas.engagement.forms import (
    AssignForm,
    ComplaintFilterForm,
    ComplaintForm,
    EnrolmentForm,
    FollowUpForm,
    ReferralForm,
    VisitForm,
)
from naikkelas.programs.access import programmes_for
from naikkelas.programs.models import Programme

PAGE_SIZE = 25


@login_required
def visit_list(request: AuthenticatedRequest) -> HttpResponse:
    visits = visits_for(request.user).select_related("kelurahan").order_by("-held_on", "-id")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "engagement/visit_list.html", {"page": page, "query": ""})


@login_required
def visit_create(request: AuthenticatedRequest) -> HttpResponse:
    # Who may open the form; the service refuses the write itself.
    require(request.user.can_record_engagement)
    form = VisitForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_businesses()
        if form.is_valid():
            photo = form.cleaned_data.get("photo")
            try:
                visit = services.record_visit(
                    request.user,
                    form.cleaned_data,
                    businesses=chosen,
                    photos=[photo] if photo else [],
                )
            except DomainError as e:
                show_on_form(form, e)
            else:
                messages.success(request, _("Visit recorded."))
                return redirect("visit_detail", visit.pk)
    return render(request, "engagement/visit_form.html", {"form": form})


@login_required
def visit_detail(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    visit = get_visit_for(request.user, visit_id)
    return render(
        request,
        "engagement/visit_detail.html",
        {
            "visit": visit,
            "businesses": visit.businesses.select_related("kelurahan"),
            "photos": visit.photos.all(),
            "complaints": visit.complaints.select_related("office"),
            "form": ComplaintForm(user=request.user),
        },
    )


@login_required
def complaint_list(request: AuthenticatedRequest) -> HttpResponse:
    complaints = complaints_for(request.user)
    form = ComplaintFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            complaints = complaints.filter(status=data["status"])
        if data["category"]:
            complaints = complaints.filter(category=data["category"])
        if data["office"]:
            complaints = complaints.filter(office=data["office"])
        if data["overdue"]:
            complaints = complaints.overdue()
    complaints = complaints.select_related("kelurahan", "office", "business")
    page = Paginator(complaints.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagement/complaint_list.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "title": _("Complaints and needs"),
        },
    )


@login_required
def overdue_list(request: AuthenticatedRequest) -> HttpResponse:
    complaints = (
        complaints_for(request.user)
        .overdue()
        .select_related("kelurahan", "office", "business")
        .order_by("due_on", "id")
    )
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/complaint_list.html",
        {"page": page, "form": None, "query": "", "title": _("Overdue complaints")},
    )


@login_required
def complaint_create(request: AuthenticatedRequest) -> HttpResponse:
    # Who may open the form; the service refuses the write itself.
    require(request.user.can_record_engagement)
    visit = None
    if visit_id := request.GET.get("visit") or request.POST.get("visit"):
        visit = get_visit_for(request.user, visit_id)
    form = ComplaintForm(
        request.POST or None, user=request.user, initial={"business": request.GET.get("business")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.record_complaint(
                request.user, form.cleaned_data, business=form.cleaned_data["business"], visit=visit
            )
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Complaint recorded."))
            return redirect("complaint_detail", complaint.pk)
    return render(request, "engagement/complaint_form.html", {"form": form, "visit": visit})


def _programmes_open(user: User) -> QuerySet[Programme]:
    return programmes_for(user).filter(ends_on__gte=timezone.localdate()).order_by("name")


@login_required
def complaint_detail(request: AuthenticatedRequest, complaint_id: int) -> HttpResponse:
    complaint = get_complaint_for(request.user, complaint_id)
    context: dict[str, Any] = {
        "complaint": complaint,
        "follow_ups": complaint.follow_ups.select_related("author"),
        "may_follow_up": request.user.can_follow_up_complaints,
    }
    if context["may_follow_up"]:
        context.update(
            assign_form=AssignForm(),
            follow_form=FollowUpForm(),
            enrol_form=EnrolmentForm(programmes=_programmes_open(request.user)),
            referral_form=ReferralForm(),
        )
    return render(request, "engagement/complaint_detail.html", context)


@login_required
@require_POST
def complaint_action(request: AuthenticatedRequest, complaint_id: int, action: str) -> HttpResponse:
    complaint = get_complaint_for(request.user, complaint_id)
    forms_for = {
        "assign": lambda: AssignForm(request.POST),
        "follow-up": lambda: FollowUpForm(request.POST),
        "enrol": lambda: EnrolmentForm(request.POST, programmes=_programmes_open(request.user)),
        "refer": lambda: ReferralForm(request.POST),
    }
    if action not in forms_for:
        raise Http404
    form = forms_for[action]()
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("complaint_detail", complaint.pk)
    data = form.cleaned_data
    steps = {
        "assign": lambda: services.assign(
            request.user, complaint, data["office"], data["due_on"], data["note"]
        ),
        "follow-up": lambda: services.follow_up(
            request.user, complaint, data["status"], data["note"]
        ),
        "enrol": lambda: services.start_enrolment(request.user, complaint, data["programme"]),
        "refer": lambda: services.start_referral(
            request.user, complaint, data["bank"], data["product"], data["amount"],
            owner_consent=data["owner_consent"],
        ),
    }  # fmt: skip
    attempt(request, _("Saved."), steps[action])
    return redirect("complaint_detail", complaint.pk)
