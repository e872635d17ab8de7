"""`POST /api/v1/auth/token/`: username and password for a token, throttled like the login page."""

from typing import Any

from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.accounts.lockout import LOCKED_OUT_CODE, lockout_message


class TokenView(ObtainAuthToken):
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # django-axes marks the DRF request it was handed, which its middleware (looking
            # at Django's request) never sees: the lockout is answered here.
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"code": LOCKED_OUT_CODE, "detail": lockout_message()},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise
