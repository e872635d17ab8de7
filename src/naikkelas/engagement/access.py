"""Who sees which visits and complaints. Fails closed, like registry.access.

Both are scoped by the kelurahan where they happened, through the registry's own
`kelurahan_for`: the city-wide roles see the city, a volunteer the assigned kelurahan,
everyone else nothing.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from naikkelas.accounts.models import Role
from naikkelas.engagement.models import Complaint, ComplaintQuerySet, Visit
from naikkelas.registry.access import kelurahan_for

# The programme office follows complaints up; volunteers and leadership do not.
FOLLOWERS = {Role.ADMIN, Role.CURATOR, Role.MANAGER}
RECORDERS = {Role.ADMIN, Role.CURATOR, Role.MANAGER, Role.VOLUNTEER}


def visits_for(user: Any) -> QuerySet[Visit]:
    return Visit.objects.filter(kelurahan__in=kelurahan_for(user))


def complaints_for(user: Any) -> ComplaintQuerySet:
    return Complaint.objects.filter(kelurahan__in=kelurahan_for(user))


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_visit_for(user: Any, pk: Any) -> Visit:
    return _get(visits_for(user).select_related("kelurahan", "recorded_by"), pk)


def get_complaint_for(user: Any, pk: Any) -> Complaint:
    return _get(
        complaints_for(user).select_related(
            "kelurahan", "office", "business", "visit", "enrolment__programme", "referral__bank"
        ),
        pk,
    )


def can_record(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in RECORDERS)


def can_follow_up(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in FOLLOWERS)
