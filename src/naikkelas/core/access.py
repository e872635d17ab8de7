"""How every access helper answers for a record the user may not see, and how a service
refuses a role that sees the record but may not act on it."""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from naikkelas.core.errors import Forbidden

M = TypeVar("M", bound=Model)
NOT_ALLOWED = _("You are not allowed to do this.")


def get_or_404(queryset: QuerySet[M], pk: Any) -> M:
    """The record with this id among those the scoped queryset holds, else 404: the same
    answer for a record outside the user's scope as for one that does not exist, or for
    an id that is not a number."""
    try:
        return queryset.get(pk=int(pk))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require(allowed: bool, message: str | Promise = NOT_ALLOWED) -> None:
    """Refuse (403) unless `allowed`: one of the actor's capabilities (`User.can_*`), or
    a check of the actor against the record, such as being its owner."""
    if not allowed:
        raise Forbidden(message)
