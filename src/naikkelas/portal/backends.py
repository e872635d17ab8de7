"""Owners sign in with their e-mail address or their business's NIB, plus the password.

Staff keep signing in with their username through Django's ModelBackend; this backend
only answers for owner accounts, so a NIB can never open a staff account.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from naikkelas.accounts.models import Role, User
from naikkelas.registry.identifiers import is_digits
from naikkelas.registry.models import Business


def owner_for(login: str) -> User | None:
    """The owner account an e-mail address (in any case) or a business's NIB names.

    The login throttle counts failures under the account this finds (`lockout_username`),
    so that every way of naming an owner adds to one count.
    """
    login = login.strip()
    if len(login) == 13 and is_digits(login):
        # One NIB can cover several businesses (OSS issues it to the pelaku usaha): it
        # names an owner only while their businesses' owner accounts are one account.
        accounts = list(
            Business.objects.filter(nib=login, owner_account__role=Role.OWNER)
            .order_by()
            .values_list("owner_account", flat=True)
            .distinct()[:2]
        )
        return User.objects.get(pk=accounts[0]) if len(accounts) == 1 else None
    if "@" in login:
        # Two owner accounts sharing an address cannot tell who is signing in: refuse.
        matches = list(User.objects.filter(email__iexact=login, role=Role.OWNER)[:2])
        return matches[0] if len(matches) == 1 else None
    return None


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The name failed logins are counted under (AXES_USERNAME_CALLABLE).

    One account answers to its username, and an owner's also to their e-mail address in
    any case and to their business's NIB: counted as typed, each would get its own
    failure limit. So a login that names an account counts under that account's
    username (the name `axes_reset_username` takes), and any other under itself trimmed
    and in lower case, so that case variants of an unknown name add up too.
    """
    if credentials is None:
        # As django-axes does without the callable: the login form's field.
        credentials = getattr(request, "data", request.POST)
    login = str(credentials.get("username") or "").strip()
    # The authentication backends in their order: a username exactly, then an owner's.
    account = User.objects.filter(username=login).first() or owner_for(login)
    return account.username if account else login.lower()


class EmailOrNibBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = owner_for(username)
        if user is None:
            # Spend the time of one hash, so a wrong login is not faster than a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
