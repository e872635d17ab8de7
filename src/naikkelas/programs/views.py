"""Programme pages: thin views over programs.access and the programs services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError
from naikkelas.core.web import attempt, flash_refusal, redirect_back, show_on_form
from naikkelas.programs import access, cohorts, milestones, recommendations, referrals, services
from naikkelas.programs.forms import (
    AnswerForm,
    BusinessPickForm,
    CohortRuleForm,
    MilestoneForm,
    ProgrammeForm,
    ReasonForm,
    ReferralForm,
    SessionForm,
)
from naikkelas.programs.models import SEATED, Attendance, EnrolmentStatus, ReferralStatus, Session
from naikkelas.registry.access import get_business_for

# ---- programmes


@login_required
def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    programmes = (
        access.programmes_for(request.user)
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=SEATED)))
        .order_by("-starts_on", "name")
    )
    return render(
        request,
        "programs/programme_list.html",
        {"programmes": programmes, "can_manage": request.user.can_manage_programmes},
    )


@login_required
def programme_form(request: AuthenticatedRequest, programme_id: int | None = None) -> HttpResponse:
    programme = access.get_programme_for(request.user, programme_id) if programme_id else None
    # Who may open the page; the service refuses the write itself.
    require(request.user.can_manage_programmes)
    initial = {f: getattr(programme, f) for f in services.PROGRAMME_FIELDS} if programme else None
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if programme:
                programme = services.update_programme(request.user, programme, form.cleaned_data)
            else:
                programme = services.create_programme(request.user, form.cleaned_data)
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("programme_detail", programme.pk)
    return render(request, "programs/programme_form.html", {"form": form, "programme": programme})


@login_required
def programme_detail(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_programme_for(request.user, programme_id)
    enrolments = (
        access.enrolments_for(request.user)
        .filter(programme=programme)
        .select_related("business__kelurahan", "cohort")
        .annotate(attended=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("status", "business__name")
    )
    sessions = programme.sessions.annotate(
        present=Count("attendance", filter=Q(attendance__present=True))
    )
    return render(
        request,
        "programs/programme_detail.html",
        {
            "programme": programme,
            "enrolments": enrolments,
            "sessions": sessions,
            "seats": services.seats_taken(programme),
            "can_manage": request.user.can_manage_programmes,
            "pick_form": BusinessPickForm(),
            "session_form": SessionForm(),
        },
    )


@require_POST
@login_required
def nominate(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_programme_for(request.user, programme_id)
    form = BusinessPickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the business's ID."))
        return redirect_back(request, "programme_detail", programme.pk)
    business = get_business_for(request.user, form.cleaned_data["business"])
    attempt(
        request,
        _("%(name)s nominated.") % {"name": business.name},
        lambda: services.nominate(request.user, programme, business),
    )
    return redirect_back(request, "programme_detail", programme.pk)


@require_POST
@login_required
def enrolment_step(request: AuthenticatedRequest, enrolment_id: int, verb: str) -> HttpResponse:
    enrolment = access.get_enrolment_for(request.user, enrolment_id)
    steps = {
        "enrol": lambda: services.enrol(request.user, enrolment),
        "complete": lambda: services.complete(
            request.user, enrolment, request.POST.get("outcome", "")
        ),
        "drop": lambda: services.drop(request.user, enrolment, request.POST.get("reason", "")),
    }
    if verb not in steps:
        raise Http404
    attempt(request, _("Enrolment updated."), steps[verb])
    return redirect_back(request, "programme_detail", enrolment.programme_id)


@require_POST
@login_required
def session_add(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_programme_for(request.user, programme_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            _("Session added."),
            lambda: services.add_session(
                request.user, programme, form.cleaned_data["held_on"], form.cleaned_data["title"]
            ),
        )
    else:
        messages.error(request, _("Give the date and the topic."))
    return redirect("programme_detail", programme.pk)


@login_required
def attendance(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        raise Http404
    programme = access.get_programme_for(request.user, session.programme_id)
    # Who may open the page; the service refuses the write itself.
    require(request.user.can_manage_programmes)
    enrolments = (
        access.enrolments_for(request.user)
        .filter(
            programme=programme, status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED]
        )
        .select_related("business")
        .order_by("business__name")
    )
    if request.method == "POST":
        came = [int(pk) for pk in request.POST.getlist("present") if pk.isdigit()]
        if (
            attempt(
                request,
                _("Attendance saved."),
                lambda: services.record_attendance(request.user, session, came),
            )
            is not None
        ):
            return redirect("programme_detail", programme.pk)
    present = set(
        Attendance.objects.filter(session=session, present=True).values_list(
            "enrolment_id", flat=True
        )
    )
    return render(
        request,
        "programs/attendance.html",
        {"session": session, "programme": programme, "enrolments": enrolments, "present": present},
    )


# ---- cohorts


@login_required
def cohort_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user.sees_whole_city)
    found = (
        access.cohorts_for(request.user)
        .annotate(size=Count("members", filter=Q(members__removed_at__isnull=True)))
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "programs/cohort_list.html",
        {"cohorts": found, "can_manage": request.user.can_manage_programmes},
    )


@login_required
def cohort_new(request: AuthenticatedRequest) -> HttpResponse:
    # Who may open the page; the service refuses the write itself.
    require(request.user.can_manage_programmes)
    form = CohortRuleForm(request.POST or request.GET or None)
    preview = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            rule = cohorts.Rule.from_data(data)
            if request.method == "POST":
                cohort = cohorts.create_cohort(
                    request.user, data["name"], rule, data["description"]
                )
                messages.success(request, _("Cohort saved as a draft; check it, then freeze it."))
                return redirect("cohort_detail", cohort.pk)
            preview = cohorts.candidates(request.user, rule)
        except DomainError as e:
            show_on_form(form, e)
    return render(request, "programs/cohort_new.html", {"form": form, "preview": preview})


@login_required
def cohort_detail(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    cohort = access.get_cohort_for(request.user, cohort_id)
    can_manage = request.user.can_manage_programmes
    members = cohort.members.select_related("business")
    plan = recommendations.plan_for_cohort(cohort) if can_manage and cohort.is_frozen else []
    enrolments = cohort.enrolments.select_related("programme", "business").order_by(
        "business__name", "programme__name"
    )
    return render(
        request,
        "programs/cohort_detail.html",
        {
            "cohort": cohort,
            "members": members,
            "active": cohorts.active_members(cohort).count(),
            "plan": plan,
            "enrolments": enrolments,
            "can_manage": can_manage,
            "pick_form": BusinessPickForm(),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@login_required
def cohort_action(request: AuthenticatedRequest, cohort_id: int, verb: str) -> HttpResponse:
    cohort = access.get_cohort_for(request.user, cohort_id)
    reason = request.POST.get("reason", "")
    if verb == "freeze":
        attempt(request, _("Cohort frozen."), lambda: cohorts.freeze_cohort(request.user, cohort))
    elif verb == "add":
        form = BusinessPickForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the business's ID."))
        else:
            business = get_business_for(request.user, form.cleaned_data["business"])
            attempt(
                request,
                _("%(name)s added.") % {"name": business.name},
                lambda: cohorts.add_member(request.user, cohort, business, reason),
            )
    elif verb == "remove":
        member = cohort.members.filter(pk=request.POST.get("member") or 0).first()
        if member is None:
            raise Http404
        attempt(
            request,
            _("%(name)s removed.") % {"name": member.business_name},
            lambda: cohorts.remove_member(request.user, cohort, member, reason),
        )
    elif verb == "plan":
        pairs = [
            (int(b), int(p))
            for b, p in (item.split(":") for item in request.POST.getlist("assign"))
            if b.isdigit() and p.isdigit()
        ]
        attempt(
            request,
            _("%(n)d nominations made.") % {"n": len(pairs)},
            lambda: recommendations.accept_plan(request.user, cohort, pairs),
        )
    else:
        raise Http404
    return redirect("cohort_detail", cohort.pk)


# ---- referrals


@login_required
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    found = (
        access.referrals_for(request.user)
        .select_related("bank", "business__kelurahan")
        .order_by("status", "-referred_on", "-id")
    )
    status = request.GET.get("status", "")
    if status:
        found = found.filter(status=status)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/referral_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ReferralStatus.choices,
            "query": f"status={status}",
        },
    )


@login_required
def referral_detail(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
    referral = access.get_referral_for(request.user, referral_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referrals.answer_referral(
                request.user, referral, data["decision"], amount=data["amount"], note=data["note"]
            )
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Answer saved."))
            return redirect("referral_detail", referral.pk)
    return render(
        request,
        "programs/referral_detail.html",
        {"view": referrals.for_bank(referral), "form": form, "referral": referral},
    )


@require_POST
@login_required
def referral_reveal(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
    referral = access.get_referral_for(request.user, referral_id)
    try:
        nik = referrals.reveal_nik(request.user, referral)
    except DomainError as e:
        flash_refusal(request, e)
        return redirect("referral_detail", referral.pk)
    return render(request, "programs/_nik.html", {"nik": nik})


@require_POST
@login_required
def referral_create(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    form = ReferralForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, form)
    else:
        data = form.cleaned_data
        attempt(
            request,
            _("Referral sent to %(bank)s.") % {"bank": data["bank"]},
            lambda: referrals.refer(
                request.user,
                business,
                data["bank"],
                data["product"],
                data["amount_requested"],
                purpose=data["purpose"],
                owner_consent=data["owner_consent"],
            ),
        )
    return redirect("business_detail", business.pk)


# ---- milestones


@require_POST
@login_required
def milestone_record(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, form)
    else:
        data = form.cleaned_data
        attempt(
            request,
            _("Outcome recorded."),
            lambda: milestones.record_milestone(
                request.user, business, data["kind"], data["occurred_on"], form.details()
            ),
        )
    return redirect("business_detail", business.pk)


@require_POST
@login_required
def milestone_verify(request: AuthenticatedRequest, milestone_id: int) -> HttpResponse:
    milestone = access.milestones_for(request.user).filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    attempt(
        request,
        _("Outcome verified."),
        lambda: milestones.verify_milestone(request.user, milestone),
    )
    return redirect("business_detail", milestone.business_id)
