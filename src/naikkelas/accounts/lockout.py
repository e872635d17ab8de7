"""Login throttling: django-axes counts failed logins; this is where it meets the app.

The web login form and the API token endpoint both authenticate with the request, so
both are throttled; the lockout answers 429 with a message in the user's language.
Failures are counted per account, not per string typed: the name they count under is
portal.backends.lockout_username, beside the ways an account can be named.
"""

from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LOCKED_OUT_CODE = "locked_out"


class LoginThrottle(AxesStandaloneBackend):
    """Refuses a login for a locked-out username and address before any password check.

    A login without a request (the test client's `login()`, the shell) has no client
    address to throttle, so it passes here and is decided by the next backend. Every
    login over HTTP carries the request: Django's login form and DRF's token serializer
    both pass it, and the lockout tests go through both.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The address a login comes from (AXES_CLIENT_IP_CALLABLE).

    Behind NAIKKELAS_PROXY_COUNT proxies, each appending the address it saw to
    X-Forwarded-For, the client is that many entries from the right; anything further
    left was written by the client and proves nothing. A request with fewer entries did
    not come through the proxies: its own address counts.
    """
    proxies: int = settings.NAIKKELAS_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies and forwarded[-proxies]:
        return forwarded[-proxies]
    address: str | None = request.META.get("REMOTE_ADDR")
    return address


def lockout_message() -> str:
    cool_off: timedelta | None = get_cool_off()
    if cool_off is None:
        return _(
            "Too many failed login attempts. This account is locked on this device; "
            "ask an administrator to unlock it."
        )
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return ngettext(
        "Too many failed login attempts. This account is locked on this device for "
        "%(minutes)d minute; try again later or ask an administrator to unlock it.",
        "Too many failed login attempts. This account is locked on this device for "
        "%(minutes)d minutes; try again later or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The login page again, the lockout said plainly above the form (AXES_LOCKOUT_CALLABLE)."""
    username = (credentials or {}).get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
