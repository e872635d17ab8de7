"""Who sees monitoring figures, and over which kelurahan.

The dashboard and its reports are for the roles that see the whole city (leadership
first): a volunteer, a bank partner or an owner gets 403. The stats
API answers everyone for their own scope.
"""

from django.contrib.auth.models import AnonymousUser

from naikkelas.accounts.models import User
from naikkelas.core.access import require
from naikkelas.registry.access import kelurahan_for


def access_dashboard(user: User | AnonymousUser) -> None:
    """403 for anyone who is not shown the whole city. (Whose dashboard therefore covers
    every kelurahan of the city: `dashboard.places` has them, no second query needed.)"""
    require(user.is_authenticated and user.sees_whole_city)


def kelurahan_codes(user: User | AnonymousUser) -> list[str] | None:
    """The kelurahan a user's figures may be read from the roll-ups for: None for a user
    who sees the whole city (the roll-ups hold the city and nothing else), the
    `kelurahan_for` list otherwise, empty for a user whose scope is not made of
    kelurahan (an owner, a bank partner)."""
    if user.is_authenticated and user.is_active and user.sees_whole_city:
        return None
    return list(kelurahan_for(user).values_list("code", flat=True))
