"""Who sees which programme records. Fails closed, like registry.access.

Programmes and cohorts are the programme office's: the city-wide roles see them.
Enrolments and milestones follow their business (registry.access.businesses_for), so
a volunteer sees those of the kelurahan and an owner those of the own business.
A bank partner sees only the referrals addressed to its bank — never the registry;
a volunteer sees no referral.
"""

from typing import Any, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from naikkelas.accounts.models import Role, User
from naikkelas.core.access import get_or_404
from naikkelas.programs.models import Cohort, Enrolment, Milestone, Programme, Referral
from naikkelas.registry.access import businesses_for


def _active(user: User | AnonymousUser) -> TypeGuard[User]:
    return bool(user and user.is_authenticated and user.is_active)


def programmes_for(user: User | AnonymousUser) -> QuerySet[Programme]:
    """Everyone signed in may see the catalogue of programmes (an owner applies to one)."""
    programmes = Programme.objects.all()
    if not _active(user) or user.role == Role.BANK:
        return programmes.none()
    return programmes


def cohorts_for(user: User | AnonymousUser) -> QuerySet[Cohort]:
    cohorts = Cohort.objects.all()
    if not _active(user) or not user.sees_whole_city:
        return cohorts.none()
    return cohorts


def enrolments_for(user: User | AnonymousUser) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(business__in=businesses_for(user))


def milestones_for(user: User | AnonymousUser) -> QuerySet[Milestone]:
    return Milestone.objects.filter(business__in=businesses_for(user))


def referrals_for(user: User | AnonymousUser) -> QuerySet[Referral]:
    referrals = Referral.objects.all()
    if not _active(user):
        return referrals.none()
    if user.role == Role.BANK:
        return referrals.filter(bank__in=user.banks.filter(active=True))
    if user.role == Role.VOLUNTEER:
        # Credit is between the office, the bank and the owner, not the field volunteer.
        return referrals.none()
    return referrals.filter(business__in=businesses_for(user))


def get_programme_for(user: User | AnonymousUser, pk: Any) -> Programme:
    return get_or_404(programmes_for(user), pk)


def get_cohort_for(user: User | AnonymousUser, pk: Any) -> Cohort:
    return get_or_404(cohorts_for(user), pk)


def get_enrolment_for(user: User | AnonymousUser, pk: Any) -> Enrolment:
    return get_or_404(enrolments_for(user).select_related("business", "programme"), pk)


def get_referral_for(user: User | AnonymousUser, pk: Any) -> Referral:
    return get_or_404(referrals_for(user).select_related("business", "bank"), pk)
