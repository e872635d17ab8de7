"""Who sees which visits and complaints. Fails closed, like registry.access.

Both are scoped by the kelurahan where they happened, through the registry's own
`kelurahan_for`: the city-wide roles see the city, a volunteer the assigned kelurahan,
everyone else nothing.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from naikkelas.accounts.models import User
from naikkelas.core.access import get_or_404
from naikkelas.engagement.models import Complaint, ComplaintQuerySet, Visit
from naikkelas.registry.access import kelurahan_for


def visits_for(user: User | AnonymousUser) -> QuerySet[Visit]:
    return Visit.objects.filter(kelurahan__in=kelurahan_for(user))


def complaints_for(user: User | AnonymousUser) -> ComplaintQuerySet:
    return Complaint.objects.filter(kelurahan__in=kelurahan_for(user))


def get_visit_for(user: User | AnonymousUser, pk: Any) -> Visit:
    return get_or_404(visits_for(user).select_related("kelurahan", "recorded_by"), pk)


def get_complaint_for(user: User | AnonymousUser, pk: Any) -> Complaint:
    return get_or_404(
        complaints_for(user).select_related(
            "kelurahan", "office", "business", "visit", "enrolment__programme", "referral__bank"
        ),
        pk,
    )
