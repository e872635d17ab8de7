"""The one scoping layer for businesses. Fails closed.

Every read of businesses on behalf of a user goes through `businesses_for`; a record
outside the user's scope is indistinguishable from one that does not exist (404).
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from naikkelas.accounts.models import Role, User
from naikkelas.core.access import get_or_404
from naikkelas.regions.models import Region, in_region
from naikkelas.registry.models import Business, Status


def businesses_for(user: User | AnonymousUser) -> QuerySet[Business]:
    businesses = Business.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return businesses.none()
    if user.sees_whole_city:
        return businesses.filter(in_region("kelurahan__code", settings.NAIKKELAS_REGION))
    if user.role == Role.VOLUNTEER:
        return businesses.filter(kelurahan_id__in=user.kelurahan.values("code"))
    if user.role == Role.OWNER:
        return businesses.filter(owner_account=user)
    # Bank partners see businesses through the referrals addressed to them (programmes);
    # any role this function does not know sees nothing.
    return businesses.none()


def countable(businesses: QuerySet[Business]) -> QuerySet[Business]:
    """The businesses that count in figures: a record merged into another is the same
    business counted twice. (`businesses_for` keeps them, so their pages still open.)"""
    return businesses.exclude(status=Status.MERGED)


def get_business_for(user: User | AnonymousUser, business_id: Any) -> Business:
    return get_or_404(
        businesses_for(user).select_related("owner", "kelurahan", "sentra"), business_id
    )


def kelurahan_for(user: User | AnonymousUser) -> QuerySet[Region]:
    """The kelurahan a user may register businesses in, or filter by."""
    villages = Region.objects.home().kelurahan()
    if not (user and user.is_authenticated and user.is_active):
        return villages.none()
    if user.sees_whole_city:
        return villages
    if user.role == Role.VOLUNTEER:
        return villages.filter(code__in=user.kelurahan.values("code"))
    return villages.none()
