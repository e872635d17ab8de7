"""Change requests follow their business (registry.access.businesses_for)."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from naikkelas.accounts.models import User
from naikkelas.core.access import get_or_404
from naikkelas.portal.models import ChangeRequest, LinkOffer, OfferStatus
from naikkelas.registry.access import businesses_for


def change_requests_for(user: User | AnonymousUser) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(business__in=businesses_for(user))


def get_change_request_for(user: User | AnonymousUser, pk: Any) -> ChangeRequest:
    return get_or_404(change_requests_for(user).select_related("business", "requested_by"), pk)


def pending_offers_for(user: User | AnonymousUser) -> QuerySet[LinkOffer]:
    """Offers of a business addressed to this account; nobody else sees them."""
    if not user.is_authenticated:
        return LinkOffer.objects.none()
    return LinkOffer.objects.filter(account=user, status=OfferStatus.PENDING)


def get_offer_for(user: User | AnonymousUser, pk: Any) -> LinkOffer:
    return get_or_404(pending_offers_for(user).select_related("business"), pk)
