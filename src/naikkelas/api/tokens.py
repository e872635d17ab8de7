"""`POST /api/v1/auth/token/`: username and password for a token, throttled like the login page.

Every request issues a new token (the database keeps only its hash, so an existing one
cannot be handed out again); it expires after NAIKKELAS_API_TOKEN_TTL_HOURS.
"""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.authtoken import serializers as authtoken
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from naikkelas.accounts.lockout import LOCKED_OUT_CODE, lockout_message
from naikkelas.accounts.models import ApiToken


class AuthTokenSerializer(authtoken.AuthTokenSerializer):
    expires = serializers.DateTimeField(read_only=True)


class TokenView(APIView):
    # As DRF's ObtainAuthToken, whose model this project does not use.
    throttle_classes = ()
    permission_classes = ()
    renderer_classes = (renderers.JSONRenderer,)

    @extend_schema(request=AuthTokenSerializer, responses=AuthTokenSerializer)
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # django-axes marks the DRF request it was handed, which its middleware (looking
            # at Django's request) never sees: the lockout is answered here.
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"code": LOCKED_OUT_CODE, "detail": lockout_message()},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise
        token, key = ApiToken.objects.issue(serializer.validated_data["user"])
        return Response(AuthTokenSerializer({"token": key, "expires": token.expires_at}).data)
