"""Domain errors with stable codes, raised by service functions.

Views and the API turn them into a message next to the right field (web) or a 400/409
with the code (API); the message is translated, the code never is.
"""

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise


class DomainError(Exception):
    code = "invalid"

    def __init__(self, message: str | Promise, *, code: str | None = None, field: str = "") -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class InvalidTransition(DomainError):
    code = "invalid_transition"


class StaleEdit(DomainError):
    """Somebody else saved the record after this edit was started (optimistic concurrency)."""

    code = "stale_edit"


class FieldErrors(DomainError):
    """Several fields are invalid; `errors` maps each field to its messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class Forbidden(PermissionDenied):
    """The actor sees the record but their role may not do this: 403 on web and API.

    (A record the actor may not see never gets this far: the access layer answers 404.)
    """
