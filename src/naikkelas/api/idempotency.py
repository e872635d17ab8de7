"""`Idempotency-Key`: an API write sent again (a retry after a lost answer, an offline
phone's outbox sending once more) writes nothing twice and gets the first answer again.

The key is claimed through core.submissions, in one transaction with the write itself,
under the unique (user, key): a second request with the key waits for the first and then
finds the claim. A success is kept with its key (the request's fingerprint, the answer's
status and JSON), so a request with the same fingerprint gets that answer again, marked
`Idempotent-Replayed: true`, and one with another is refused (422). A refusal keeps
nothing: its claim rolls back with the write, and the corrected request may use the key.

Every view of the API that writes inherits `IdempotentWrites` (api/tests check each
write endpoint of the URL conf), except the login, whose answer is a token: kept, it
would be a credential in clear in the database.
"""

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from naikkelas.core import submissions
from naikkelas.core.errors import DomainError

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
# A UUID, or a token a client makes up: bounded, and plain enough to log and to type.
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")


class IdempotencyKeyInvalid(DomainError):
    code = "idempotency_key_invalid"

    def __init__(self) -> None:
        super().__init__(
            _(
                "The Idempotency-Key header must be a UUID or 8 to 64 letters, digits "
                "and . _ : - (starting with a letter or digit)."
            )
        )


class IdempotencyKeyReused(DomainError):
    """Answered 422: the request is well formed, but its key names another request."""

    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            _(
                "This Idempotency-Key was already used for another request. Nothing was "
                "saved: send each different request with a key of its own."
            )
        )


def key_of(request: Request) -> str | None:
    """The request's key (a UUID in its canonical lower-case form), None without one."""
    given = request.headers.get(HEADER)
    if given is None or request.method not in WRITES:
        return None
    given = given.strip()
    try:
        return str(uuid.UUID(given))
    except ValueError:
        pass
    if TOKEN.fullmatch(given) is None:
        raise IdempotencyKeyInvalid
    return given


def _value(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return "sha256:" + digest.hexdigest()
    return value


def fingerprint(request: Request) -> str:
    """Method, path with query and body, hashed. A JSON body counts as the value it
    parses to (key order and spacing aside); a form body as its fields, each file as the
    hash of its bytes (the multipart boundary and the file's name aside)."""
    data = request.data
    body = (
        {name: [_value(v) for v in data.getlist(name)] for name in sorted(data)}
        if isinstance(data, QueryDict | MultiValueDict)
        else data
    )
    text = json.dumps(
        [request.method, request.get_full_path(), body],
        sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False,
    )  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(earlier: Any) -> HttpResponse:
    answer = HttpResponse(earlier.body, status=earlier.status, content_type="application/json")
    answer[REPLAYED] = "true"
    return answer


def once(key: str, handler: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """`handler` (a view's method for this request) run at most once for the key."""

    def run(request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Read (and parse) the body before the claim: a body that cannot be read is
        # refused like any other, with nothing claimed.
        mark = fingerprint(request)
        with transaction.atomic():
            try:
                claimed = submissions.claim(request.user, key, mark)
            except submissions.AlreadySubmitted as seen:
                if seen.earlier.fingerprint != mark or seen.earlier.status is None:
                    raise IdempotencyKeyReused from None
                return _replay(seen.earlier)
            response = handler(request, *args, **kwargs)
            if isinstance(response, Response) and 200 <= response.status_code < 300:
                body = JSONRenderer().render(response.data).decode()
                submissions.keep_answer(claimed, response.status_code, body)
            else:
                # A refusal answered without raising keeps nothing either.
                transaction.set_rollback(True)
            return response

    return run


class IdempotentWrites(APIView):
    """Honours `Idempotency-Key` on this view's writes (put first among the bases)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        key = key_of(request)
        if key is not None:
            # DRF looks the method's handler up after initial() (which authenticated the
            # user the key belongs to); this request's runs through the key's claim.
            method = str(request.method).lower()
            setattr(self, method, once(key, getattr(self, method)))
