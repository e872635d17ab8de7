"""Domain errors with stable codes, raised by service functions.

Views and the API turn them into a message next to the right field (web) or a 400/409
with the code (API); the message is translated, the code never is.
"""

from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
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


class FieldError(NamedTuple):
    code: str
    message: str


# What a field's refusal is given as: a ValidationError carries its code (a rule's, or
# Django's); a bare message gets the generic code.
Refusal = str | Promise | ValidationError | FieldError


def _coded(refusal: Refusal) -> Iterator[FieldError]:
    if isinstance(refusal, FieldError):
        yield refusal
    elif isinstance(refusal, ValidationError):
        for error in refusal.error_list:
            message = error.message % error.params if error.params else error.message
            yield FieldError(error.code or DomainError.code, str(message))
    else:
        yield FieldError(DomainError.code, str(refusal))


class FieldErrors(DomainError):
    """Several fields are invalid; `details` maps each field to its coded refusals
    (what the API answers), `errors` to their messages (what a form shows)."""

    code = "invalid"

    def __init__(self, errors: Mapping[str, Iterable[Refusal]]) -> None:
        self.details = {
            field: [coded for refusal in refusals for coded in _coded(refusal)]
            for field, refusals in errors.items()
        }
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))

    @property
    def errors(self) -> dict[str, list[str]]:
        return {field: [e.message for e in found] for field, found in self.details.items()}


class Forbidden(PermissionDenied):
    """The actor sees the record but their role may not do this: 403 on web and API.

    (A record the actor may not see never gets this far: the access layer answers 404.)
    """
