"""Domain errors become API answers with a stable code and a translated message."""

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from naikkelas.core.errors import DomainError, FieldErrors, StaleEdit


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, FieldErrors):
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        code: int = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, StaleEdit):
            code = status.HTTP_409_CONFLICT
        return Response({"code": exc.code, "detail": str(exc.message)}, status=code)
    return drf_exception_handler(exc, context)
