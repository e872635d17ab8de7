"""How every access helper answers for a record the user may not see."""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M], pk: Any) -> M:
    """The record with this id among those the scoped queryset holds, else 404: the same
    answer for a record outside the user's scope as for one that does not exist, or for
    an id that is not a number."""
    try:
        return queryset.get(pk=int(pk))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
