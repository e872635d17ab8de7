"""The signed-in user of a page's request or an API call, typed as such."""

from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from naikkelas.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request of a `login_required` view: its user is signed in, never anonymous.
    (A view anyone may open keeps HttpRequest, whose user may be anonymous.)"""

    user: User


def api_actor(request: Request) -> User:
    """The user an API call acts as. Every API view wants a signed-in user (the default
    permission), so DRF has answered an anonymous caller 401 before a view asks; were a
    view opened to everyone, its writes would still refuse anonymous callers here."""
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated
    return user
