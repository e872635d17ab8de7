"""Change requests follow their business (registry.access.businesses_for)."""

from typing import Any

from django.db.models import QuerySet

from naikkelas.core.access import get_or_404
from naikkelas.portal.models import ChangeRequest
from naikkelas.registry.access import businesses_for


def change_requests_for(user: Any) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(business__in=businesses_for(user))


def get_change_request_for(user: Any, pk: Any) -> ChangeRequest:
    return get_or_404(change_requests_for(user).select_related("business", "requested_by"), pk)
