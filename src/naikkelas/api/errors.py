"""Domain errors become API answers with a stable code and a translated message; so do a
body that cannot be read and, for the API's URLs, a server error."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from naikkelas.core.errors import DomainError, FieldErrors, StaleEdit
from naikkelas.core.web import is_api_request


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, FieldErrors):
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        code: int = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, StaleEdit):
            code = status.HTTP_409_CONFLICT
        return Response({"code": exc.code, "detail": str(exc.message)}, status=code)
    if isinstance(exc, ParseError):  # a body that cannot be read, or not an object
        return Response(
            {"code": exc.get_codes(), "detail": str(exc.detail)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 404 handler: an API client that asks for a URL no route matches (an
    id that is not a number, say) gets the API's JSON answer, not the site's HTML page."""
    if is_api_request(request):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """The project's 500 handler (with DEBUG off; Django has logged the error by then): an
    API client gets JSON in its language, not the site's HTML page."""
    if is_api_request(request):
        return JsonResponse(
            {"code": "server_error", "detail": str(APIException.default_detail)}, status=500
        )
    return defaults.server_error(request)
