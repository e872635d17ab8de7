"""The error answers in the OpenAPI schema.

drf-spectacular documents only the success of each operation, but clients (and the
schema fuzz test) meet the refusals too: a field or workflow error (400), a missing or
bad token (401), a role without the right (403), a record outside the caller's scope
or a page past the end (404), a stale edit (409), an Idempotency-Key used for another
request (422) and a locked-out login (429). A post-processing hook adds them to every
operation where the API can answer them, and the `Idempotency-Key` header to every write
(api.idempotency).
"""

from typing import Any

from naikkelas.accounts.lockout import LOCKED_OUT_CODE
from naikkelas.api.idempotency import HEADER, REPLAYED, WRITES

ERROR = {"$ref": "#/components/schemas/Error"}
FIELD_ERROR_SCHEMA = {
    "type": "object",
    "description": "One refusal of a field: a stable `code` (those of `GET /api/v1/rules/`, "
    "or DRF's own such as `required`, `invalid`, `max_length`) and its translated message.",
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
    "required": ["code", "message"],
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "`code` and `detail` for a refusal or a workflow error. For invalid "
    'input, `code` is `"invalid"` and `fields` holds the refusals per field '
    "(`non_field_errors` for the whole request; for a list field, per item number), "
    'e.g. `{"code": "invalid", "fields": {"start_year": [{"code": "year_range", '
    '"message": "…"}]}}`.',
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {
                "oneOf": [
                    {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
                    {"type": "object"},
                ]
            },
        },
    },
}
LOCKED_OUT_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "enum": [LOCKED_OUT_CODE]},
        "detail": {"type": "string"},
    },
    "required": ["code", "detail"],
}
LOGIN_OPERATION = "auth_token_create"
# Operations that need no record: everything else may name one the caller cannot see,
# in its path, its body or (for lists) its page number.
NOTHING_TO_FIND = {LOGIN_OPERATION, "stats_retrieve", "rules_retrieve"}
# Updates carry the version the client edited (optimistic concurrency).
VERSIONED = {"businesses_update", "businesses_partial_update"}


IDEMPOTENCY_KEY = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "A key the client makes for this one write (a UUID, or 8 to 64 of "
    "`A-Z a-z 0-9 . _ : -`), kept per user for "
    "NAIKKELAS_IDEMPOTENCY_RETENTION_DAYS (7) days with the answer of a success. The same "
    "key with the same method, path and body answers that kept answer again, with "
    f"`{REPLAYED}: true`, and writes nothing; with another request it is refused (422, "
    "`idempotency_key_reused`). A refusal keeps nothing: the key may be sent again. "
    "Not a UUID nor such a token: 400, `idempotency_key_invalid`.",
    "schema": {"type": "string", "maxLength": 64, "pattern": r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$"},
}
REPLAYED_HEADER = {
    "description": "`true` on an answer kept from the first request with this Idempotency-Key.",
    "schema": {"type": "string", "enum": ["true"]},
}


def _answer(description: str, schema: dict[str, Any] = ERROR) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    schemas = result["components"].setdefault("schemas", {})
    schemas["Error"], schemas["FieldError"] = ERROR_SCHEMA, FIELD_ERROR_SCHEMA
    for methods in result["paths"].values():
        for method, operation in methods.items():
            name = operation["operationId"]
            takes_input = method != "get" or any(
                p["in"] == "query" for p in operation.get("parameters", [])
            )
            answers = operation["responses"]
            if takes_input:
                answers.setdefault("400", _answer("Invalid input or a step the workflow refuses"))
            if name == LOGIN_OPERATION:
                answers["429"] = _answer("Too many failed logins", LOCKED_OUT_SCHEMA)
                continue
            answers.setdefault("401", _answer("No or an invalid token"))
            answers.setdefault("403", _answer("The caller's role may not do this"))
            if name not in NOTHING_TO_FIND:
                answers.setdefault("404", _answer("Not found, or outside the caller's scope"))
            if name in VERSIONED:
                answers.setdefault("409", _answer("Edited by someone else since `version`"))
            if method.upper() in WRITES:
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                answers["422"] = _answer("The Idempotency-Key was used for another request")
                for code, answer in answers.items():
                    if code.startswith("2"):
                        answer.setdefault("headers", {})[REPLAYED] = REPLAYED_HEADER
    return result
