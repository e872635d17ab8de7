"""The owner's pages, the curator's invitation and change-request queue.

Each view starts with an access helper; an owner reaches only the own business, and
anything else answers 404 like a record that does not exist.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.accounts.models import Role
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError
from naikkelas.core.web import attempt, show_on_form
from naikkelas.graduation import explain
from naikkelas.graduation.models import Standing
from naikkelas.portal import services
from naikkelas.portal.access import (
    change_requests_for,
    get_change_request_for,
    get_offer_for,
    pending_offers_for,
)
from naikkelas.portal.forms import CorrectionForm, DecisionForm, FiguresForm, InviteForm
from naikkelas.portal.models import ChangeKind, ChangeStatus
from naikkelas.programs.access import enrolments_for, get_programme_for
from naikkelas.programs.recommendations import for_business
from naikkelas.programs.services import nominate
from naikkelas.registry.access import businesses_for, get_business_for

KIND_FORMS: dict[str, Any] = {
    ChangeKind.CORRECTION: CorrectionForm,
    ChangeKind.FINANCIALS: FiguresForm,
}


@login_required
def owner_home(request: AuthenticatedRequest) -> HttpResponse:
    businesses = list(businesses_for(request.user).select_related("kelurahan")[:50])
    offers = list(
        pending_offers_for(request.user).select_related("business__kelurahan").order_by("pk")
    )
    if len(businesses) == 1 and not offers:
        return redirect("portal_business", businesses[0].pk)
    return render(request, "portal/home.html", {"businesses": businesses, "offers": offers})


@require_POST
@login_required
def answer_offer(request: AuthenticatedRequest, offer_id: int, verb: str) -> HttpResponse:
    offer = get_offer_for(request.user, offer_id)
    if verb not in ("accept", "decline"):
        raise Http404
    attempt(
        request,
        _("The business is now linked to your account.")
        if verb == "accept"
        else _("Offer declined; nothing was linked."),
        lambda: services.answer_offer(request.user, offer, accept=verb == "accept"),
    )
    return redirect("portal_home")


@login_required
def owner_business(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    standing = (
        Standing.objects.filter(business=business)
        .select_related("size_policy", "readiness_policy")
        .first()
    )
    return render(
        request,
        "portal/business.html",
        {
            "business": business,
            "standing": standing,
            "size_reason": explain.size_reason(standing) if standing else "",
            "criteria": explain.criterion_results(standing) if standing else [],
            "recommended": for_business(business),
            "enrolments": enrolments_for(request.user)
            .filter(business=business)
            .select_related("programme"),
            "change_requests": business.change_requests.all()[:20],
            "is_owner": getattr(request.user, "role", "") == Role.OWNER,
        },
    )


@login_required
@require_POST
def apply(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    programme = get_programme_for(request.user, request.POST.get("programme"))
    attempt(
        request,
        _("You applied to %(programme)s.") % {"programme": programme.name},
        lambda: nominate(request.user, programme, business),
    )
    return redirect("portal_business", business.pk)


@login_required
def propose(request: AuthenticatedRequest, business_id: int, kind: str) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    if kind not in KIND_FORMS:
        raise Http404
    initial = {f: getattr(business, f) for f in services.CORRECTABLE}
    form = KIND_FORMS[kind](
        request.POST or None, initial=initial if kind == ChangeKind.CORRECTION else None
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        message = data.pop("message", "")
        try:
            services.propose(request.user, business, kind, data, message)
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Sent to a curator. Nothing changes until it is approved."))
            return redirect("portal_business", business.pk)
    return render(
        request,
        "portal/propose.html",
        {"business": business, "form": form, "kind": ChangeKind(kind)},
    )


@login_required
def invite(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    # Not a form for those who may see the business but not invite its owner.
    require(services.curates(request.user, business), services.CURATORS_ONLY)
    form = InviteForm(request.POST or None)
    link, offered = "", False
    if request.method == "POST" and form.is_valid():
        try:
            _user, path = services.invite_owner(request.user, business, form.cleaned_data["email"])
        except DomainError as e:
            show_on_form(form, e)
        else:
            if path:
                link = request.build_absolute_uri(path)
            else:
                offered = True
    context = {"business": business, "form": form, "link": link, "offered": offered}
    return render(request, "portal/invite.html", context)


@login_required
def change_queue(request: AuthenticatedRequest) -> HttpResponse:
    requests = (
        change_requests_for(request.user)
        .filter(status=ChangeStatus.PENDING)
        .select_related("business", "requested_by")
        .order_by("requested_at")[:200]
    )
    return render(request, "portal/change_queue.html", {"requests": requests})


@login_required
def change_detail(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    change = get_change_request_for(request.user, request_id)
    current = {k: getattr(change.business, k, None) for k in change.proposed}
    rows = [(k, current.get(k), v) for k, v in change.proposed.items()]
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("decision") == "approve":
                services.approve(request.user, change, form.cleaned_data["note"])
            else:
                services.return_request(request.user, change, form.cleaned_data["note"])
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("portal_change_queue")
    return render(
        request, "portal/change_detail.html", {"change": change, "rows": rows, "form": form}
    )


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invited owner chooses a password (the link works once)."""

    template_name = "portal/invitation.html"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64: str) -> Any:
        # An invitation chooses a first password; an account that has one is never reset
        # through this page, whatever token the link carries.
        user = super().get_user(uidb64)
        return None if user is None or user.has_usable_password() else user

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Password set. Sign in with your e-mail or NIB."))
        return super().form_valid(form)
