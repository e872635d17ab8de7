"""The curator's duplicate review. Each view starts with the access helper; writes go to
services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.accounts.http import AuthenticatedRequest
from naikkelas.accounts.models import User
from naikkelas.core.access import require
from naikkelas.core.errors import DomainError, InvalidTransition
from naikkelas.core.web import attempt
from naikkelas.dedup import compare, services
from naikkelas.dedup.models import DuplicatePair, Merge, PairStatus
from naikkelas.dedup.tasks import detect_duplicates
from naikkelas.jobs.access import get_job_for
from naikkelas.jobs.models import JobKind
from naikkelas.jobs.services import start_job
from naikkelas.registry.access import businesses_for
from naikkelas.registry.duplicates import REASONS

PAGE_SIZE = 25


def _pairs_for(user: User) -> QuerySet[DuplicatePair]:
    """Pairs whose two records the user both sees; any other pair does not exist for them."""
    scope = businesses_for(user).values("pk")
    return DuplicatePair.objects.filter(a__in=scope, b__in=scope)


def _merges_for(user: User) -> QuerySet[Merge]:
    scope = businesses_for(user).values("pk")
    return Merge.objects.filter(survivor__in=scope, merged__in=scope)


@login_required
def duplicate_queue(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user.can_curate)
    pairs = (
        _pairs_for(request.user)
        .filter(status=PairStatus.PROPOSED)
        .exclude(a__status__in=services.INACTIVE)
        .exclude(b__status__in=services.INACTIVE)
        .select_related("a__kelurahan", "b__kelurahan")
        .order_by("-probability", "id")
    )
    # One import's pairs (its result page links here), by what found them.
    found_by = request.GET.get("found_by", "").strip()
    if found_by:
        pairs = pairs.filter(found_by=found_by)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    # The reasons as the curator reads them ("NIB sama", "nama usaha mirip").
    rows = [(pair, [REASONS[r] for r in pair.reasons if r in REASONS]) for pair in page]
    recent = (
        _merges_for(request.user)
        .filter(undone_at=None)
        .select_related("survivor", "merged", "merged_by")[:10]
    )
    context = {"page": page, "rows": rows, "recent": recent, "found_by": found_by}
    return render(request, "dedup/queue.html", context)


@login_required
def pair_review(request: AuthenticatedRequest, pair_id: int) -> HttpResponse:
    pair = (
        _pairs_for(request.user).select_related("a__owner", "b__owner").filter(pk=pair_id).first()
    )
    if pair is None:
        raise Http404
    require(request.user.can_curate)
    a, b = pair.a, pair.b
    survivor = compare.default_survivor(a, b)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "distinct":
                services.mark_distinct(request.user, pair)
                messages.success(
                    request, _("Marked as not a duplicate; it will not be proposed again.")
                )
                return redirect("duplicate_queue")
            if request.POST.get("decision") != "merge":
                raise InvalidTransition(_("Choose “Merge” or “Not a duplicate”."))
            survivor = a if request.POST.get("survivor") == str(a.pk) else b
            merged = b if survivor == a else a
            keep = {}
            for row in compare.rows(a, b, survivor):
                if row.differs:
                    chosen = request.POST.get(f"keep_{row.field}", row.default)
                    keep[row.field] = (
                        "survivor" if chosen == ("a" if survivor == a else "b") else "merged"
                    )
            services.merge_businesses(request.user, pair, survivor, merged, keep)
        except DomainError as e:
            error = str(e.message)
        else:
            messages.success(
                request,
                _("“%(merged)s” was merged into this record.") % {"merged": merged.name},
            )
            return redirect("business_detail", survivor.pk)
    context = {
        "pair": pair,
        "a": a,
        "b": b,
        "survivor": survivor,
        "rows": compare.rows(a, b, survivor),
        "labels": [REASONS[r] for r in pair.reasons if r in REASONS],
        "counts": compare.related_counts(a, b),
        "decidable": pair.status == PairStatus.PROPOSED
        and a.status not in services.INACTIVE
        and b.status not in services.INACTIVE,
        "error": error,
    }
    return render(request, "dedup/pair.html", context, status=400 if error else 200)


@require_POST
@login_required
def merge_undo(request: AuthenticatedRequest, merge_id: int) -> HttpResponse:
    merge = (
        _merges_for(request.user).select_related("survivor", "merged").filter(pk=merge_id).first()
    )
    if merge is None:
        raise Http404
    attempt(
        request,
        _("The merge was undone; both records are back as they were."),
        lambda: services.undo_merge(request.user, merge),
    )
    return redirect("business_detail", merge.merged_id)


@require_POST
@login_required
def start_detection(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user.can_curate)
    business_ids = None
    if import_job := request.POST.get("import_job"):
        business_ids = get_job_for(request.user, import_job).result.get("touched")
        if business_ids is None:
            raise Http404
    job = start_job(request.user, JobKind.DEDUP, detect_duplicates, business_ids=business_ids)
    messages.success(
        request, _("Looking for duplicates across the registry; this page shows how it goes.")
    )
    return redirect("job_detail", job.pk)
