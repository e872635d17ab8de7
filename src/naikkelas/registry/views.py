"""Registry pages. Each view starts with the access helper; writes go to services."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.accounts.models import Role, User
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError
from naikkelas.core.submissions import AlreadySubmitted
from naikkelas.core.web import attempt, redirect_back, show_on_form
from naikkelas.jobs.models import JobKind
from naikkelas.jobs.services import start_job
from naikkelas.registry import duplicates, listing, panels, services, tasks
from naikkelas.registry.access import businesses_for, get_business_for
from naikkelas.registry.filters import BusinessFilter
from naikkelas.registry.forms import (
    DETAIL_FORMS,
    BusinessFilterForm,
    BusinessForm,
    DuplicateCheckForm,
    FinancialForm,
    ReasonForm,
)
from naikkelas.registry.history import history_with_merged
from naikkelas.registry.models import Business, Status

PAGE_SIZE = 25


@login_required
def business_list(request: AuthenticatedRequest) -> HttpResponse:
    form = BusinessFilterForm(request.GET or None, user=request.user)
    business_filter = form.business_filter()
    businesses = business_filter.apply(businesses_for(request.user))
    if (export_format := request.GET.get("format", "")) in listing.CONTENT_TYPES:
        return _export(request, businesses, business_filter, export_format)
    status_counts = dict(
        businesses.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    page = Paginator(
        businesses.select_related("kelurahan", "owner").order_by("name", "id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "status_counts": [
            (value, label, status_counts.get(value, 0)) for value, label in Status.choices
        ],
        "query": query.urlencode(),
    }
    template = "registry/_business_results.html" if request.htmx else "registry/business_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _export(
    request: AuthenticatedRequest,
    businesses: QuerySet[Business],
    business_filter: BusinessFilter,
    export_format: str,
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        # The download links sit outside the results that htmx swaps, so they send the
        # filters as they are now; the browser then fetches the file itself.
        return HttpResponseClientRedirect(request.get_full_path())
    if businesses.count() > settings.NAIKKELAS_EXPORT_INLINE_MAX:
        job = start_job(
            request.user,
            JobKind.EXPORT,
            tasks.export_businesses,
            user_id=request.user.pk,
            filters=business_filter.params(),
            export_format=export_format,
        )
        return redirect("job_detail", job.pk)
    response = HttpResponse(content_type=listing.CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{listing.FILE_NAME}.{export_format}"'
    listing.write(export_format, response, listing.rows(businesses))
    return response


def _detail_context(
    request: AuthenticatedRequest, business: Business, **extra: Any
) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "business": business,
        "financials": list(business.financials.all()),
        "legality": business.legality.all(),
        "products": business.products.all(),
        "channels": business.channels.all(),
        "history": history_with_merged(business)[:100],
        # Two reason fields on one page: distinct ids keep their labels apart.
        "return_form": ReasonForm(auto_id="return_%s"),
        "archive_form": ReasonForm(auto_id="archive_%s"),
        "financial_form": FinancialForm(user=user),
        "detail_forms": {kind: form(auto_id=f"{kind}_%s") for kind, form in DETAIL_FORMS.items()},
        "can_edit": user.can_register and business.status != Status.ARCHIVED,
        "can_submit": user.can_register and business.status in (Status.DRAFT, Status.RETURNED),
        "can_curate": user.can_curate,
        # A person registered twice (their first record lay outside the volunteer's area).
        "known_owner": services.known_owner(business) if user.can_curate else None,
    }
    panels.add_to(context, user)
    context.update(extra)
    return context


@login_required
def business_detail(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    return render(request, "registry/business_detail.html", _detail_context(request, business))


def _unconfirmed_duplicates(
    user: User, form: BusinessForm, business: Business | None = None
) -> list[duplicates.Candidate]:
    """Likely duplicates the volunteer has not yet declared different; none lets the save on."""
    data = form.service_data()
    if form.cleaned_data["not_a_duplicate"] or (
        business is not None and not duplicates.identity_changed(business, data)
    ):
        return []
    return duplicates.likely_duplicates(user, data, exclude_id=business.pk if business else None)


@login_required
def business_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require(user.can_register)
    form = BusinessForm(request.POST or None, user=user)
    candidates: list[duplicates.Candidate] = []
    if request.method == "POST" and form.is_valid():
        candidates = _unconfirmed_duplicates(user, form)
        if not candidates:
            try:
                business = services.create_business(
                    user, form.service_data(), submission=form.cleaned_data.get("submission")
                )
            except AlreadySubmitted as e:
                if not e.object_id:
                    # The key of an API write of this user's, not of a form: nothing to show.
                    raise PermissionDenied from None
                messages.info(request, str(e.message))
                return redirect("business_detail", e.object_id)
            except DomainError as e:
                show_on_form(form, e)
            else:
                messages.success(request, _("Business saved as a draft."))
                if not user.can_curate and services.known_owner(business):
                    messages.info(
                        request,
                        _(
                            "This NIK is already registered to an owner outside your working "
                            "area; a curator will link the two records."
                        ),
                    )
                return redirect("business_detail", business.pk)
    elif request.method == "POST":
        form.check_rules(user, None)
    context = {"form": form, "business": None, "candidates": candidates}
    return render(request, "registry/business_form.html", context)


@login_required
def business_edit(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    user = request.user
    require(user.can_register)
    form = BusinessForm(request.POST or None, user=user, business=business)
    candidates: list[duplicates.Candidate] = []
    if request.method == "POST" and form.is_valid():
        candidates = _unconfirmed_duplicates(user, form, business)
        if not candidates:
            try:
                services.update_business(
                    user,
                    business,
                    form.service_data(),
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except DomainError as e:
                show_on_form(form, e)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("business_detail", business.pk)
    elif request.method == "POST":
        form.check_rules(user, business)
    context = {"form": form, "business": business, "candidates": candidates}
    return render(request, "registry/business_form.html", context)


@login_required
def check_duplicates(request: AuthenticatedRequest) -> HttpResponse:
    """The entry form's warning, refreshed while the volunteer types (htmx)."""
    user = request.user
    require(user.can_register)
    form = DuplicateCheckForm(request.GET, user=user)
    candidates: list[duplicates.Candidate] = []
    if form.is_valid():
        data = form.cleaned_data
        candidates = duplicates.likely_duplicates(user, data, exclude_id=data["business"])
    return render(request, "registry/_duplicates.html", {"form": form, "candidates": candidates})


_DONE = {
    "submit": _("Submitted for curation."),
    "verify": _("Business verified."),
    "return": _("Returned to the volunteer."),
    "archive": _("Business archived."),
}


@require_POST
@login_required
def business_transition(request: AuthenticatedRequest, business_id: int, verb: str) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    if verb not in services.STEPS:
        raise Http404
    step = services.STEPS[verb]
    attempt(
        request,
        str(_DONE[verb]),
        lambda: step(request.user, business, request.POST.get("reason", "")),
    )
    # The curation queue posts here too and wants its page back.
    return redirect_back(request, "business_detail", business.pk)


@require_POST
@login_required
def reveal_personal_data(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    revealed = services.reveal_personal_data(request.user, business)
    return render(request, "registry/_revealed.html", {"business": business, "revealed": revealed})


@require_POST
@login_required
def add_financial(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    form = FinancialForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            data = dict(form.cleaned_data)
            correct = data.pop("correct")
            services.save_financial_record(request.user, business, data, correct=correct)
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Financial figures saved."))
            return redirect("business_detail", business.pk)
    return render(
        request,
        "registry/business_detail.html",
        _detail_context(request, business, financial_form=form),
        status=400,
    )


@require_POST
@login_required
def add_detail(request: AuthenticatedRequest, business_id: int, kind: str) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    if kind not in DETAIL_FORMS:
        raise Http404
    form = DETAIL_FORMS[kind](request.POST, auto_id=f"{kind}_%s")
    if form.is_valid():
        try:
            services.add_detail(request.user, business, kind, form.cleaned_data)
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("business_detail", business.pk)
    forms = {k: f(auto_id=f"{k}_%s") for k, f in DETAIL_FORMS.items()} | {kind: form}
    return render(
        request,
        "registry/business_detail.html",
        _detail_context(request, business, detail_forms=forms),
        status=400,
    )


@require_POST
@login_required
def remove_detail(
    request: AuthenticatedRequest, business_id: int, kind: str, item_id: int
) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    if kind not in DETAIL_FORMS:
        raise Http404
    try:
        services.remove_detail(request.user, business, kind, item_id)
    except DomainError as e:
        messages.error(request, str(e.message))
    return redirect("business_detail", business.pk)


@require_POST
@login_required
def link_owner(request: AuthenticatedRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    attempt(
        request,
        _("Linked to the owner already registered with this NIK."),
        lambda: services.link_owner(request.user, business),
    )
    return redirect("business_detail", business.pk)


@login_required
def curation_queue(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require(user.can_curate)
    submitted = (
        businesses_for(user)
        .filter(status=Status.SUBMITTED)
        .select_related("kelurahan", "owner", "created_by")
        .order_by("submitted_at", "id")
    )
    page = Paginator(submitted, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/curation_queue.html", {"page": page})


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.BANK:
        # A bank partner works only on the referrals addressed to it.
        return redirect("referral_list")
    if user.role == Role.OWNER:
        return redirect("portal_home")
    return redirect("curation_queue" if user.can_curate else "business_list")
