"""A request id per request, carried into the audit log and every log line; the
Permissions-Policy header on every response; a clear answer while the database is
unreachable."""

import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from naikkelas.core.web import is_api_request

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again while the database is away.
DATABASE_RETRY_AFTER = 30

_request_id: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Accept a proxy's id so one request can be followed across the stack.
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming[:64] if incoming.isalnum() else uuid.uuid4().hex
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class PermissionsPolicyMiddleware:
    """Django sets no Permissions-Policy header (SecurityMiddleware knows only the older
    headers), so the policy in settings.PERMISSIONS_POLICY is sent from here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class DatabaseUnavailableMiddleware:
    """While the database is down or restarting, answer 503 with a page (or, for the API,
    a coded error) that says to try again shortly, rather than a 500 traceback.

    Django closes the broken connection at the end of the request, and CONN_HEALTH_CHECKS
    replaces a kept one that died idle, so the app recovers by itself once the database is
    back. Nearly every query runs inside a view or its template, which is where
    process_exception sees it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s %s: %s", request.method, request.path, exception)
        message = _(
            "The database cannot be reached at the moment, for example during maintenance. "
            "Please try again in a minute. If you were saving something, check afterwards "
            "whether it was saved."
        )
        response: HttpResponse
        if is_api_request(request):
            response = JsonResponse({"code": "database_unavailable", "detail": message}, status=503)
        else:
            # Not base.html: its menu reads the signed-in user, which needs the database.
            html = render_to_string("core/503.html", {"message": message})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
