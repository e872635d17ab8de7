"""Domain errors become API answers with a stable code and a translated message; so do a
body that cannot be read and, for the API's URLs, a server error.

Invalid input, whether the serializer or a service refuses it, answers one shape:
`{"code": "invalid", "fields": {field: [{"code": ..., "message": ...}]}}`, so a client
reacts to the codes, which are those of `GET /api/v1/rules/`, and shows the messages.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from naikkelas.api.idempotency import IdempotencyKeyReused
from naikkelas.core.errors import DomainError, FieldErrors, StaleEdit
from naikkelas.core.web import is_api_request

NON_FIELD_ERRORS = api_settings.NON_FIELD_ERRORS_KEY


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, FieldErrors):
        fields = {
            field: [found._asdict() for found in refusals]
            for field, refusals in exc.details.items()
        }
        return _invalid(fields)
    if isinstance(exc, ValidationError):
        details: Any = exc.get_full_details()
        # A refusal of the whole body (a bare list) is the serializer's own field for it.
        return _invalid(details if isinstance(details, dict) else {NON_FIELD_ERRORS: details})
    if isinstance(exc, DomainError) and exc.field:
        # A refusal of one field (a photo that is not one, say) is a field error.
        return _invalid({exc.field: [{"code": exc.code, "message": str(exc.message)}]})
    if isinstance(exc, DomainError):
        code: int = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, StaleEdit):
            code = status.HTTP_409_CONFLICT
        elif isinstance(exc, IdempotencyKeyReused):
            code = status.HTTP_422_UNPROCESSABLE_ENTITY
        return Response({"code": exc.code, "detail": str(exc.message)}, status=code)
    if isinstance(exc, ParseError):  # a body that cannot be read, or not an object
        return Response(
            {"code": exc.get_codes(), "detail": str(exc.detail)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


def _invalid(fields: dict[str, Any]) -> Response:
    return Response(
        {"code": FieldErrors.code, "fields": fields}, status=status.HTTP_400_BAD_REQUEST
    )


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
