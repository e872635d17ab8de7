"""The request a signed-in user's page receives."""

from django.http import HttpRequest

from naikkelas.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request of a `login_required` view: its user is signed in, never anonymous.
    (A view anyone may open keeps HttpRequest, whose user may be anonymous.)"""

    user: User
