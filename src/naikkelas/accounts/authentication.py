"""API token authentication: `Authorization: Token <key>`, checked against the hash the
database keeps, the token's expiry and the password it was issued under."""

from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from naikkelas.accounts.models import ApiToken, User, token_digest


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        # Unknown, revoked by a password change, or of a deactivated account: the same
        # answer, which tells a holder of a stolen token nothing about the account.
        if token is None or not token.user.is_active or not token.issued_under_current_password():
            raise AuthenticationFailed(_("Invalid token."))
        if token.expired:
            raise AuthenticationFailed(
                _("This token has expired. Ask for a new one at /api/v1/auth/token/.")
            )
        return token.user, token
