"""The error answers in the OpenAPI schema.

drf-spectacular documents only the success of each operation, but clients (and the
schema fuzz test) meet the refusals too: a field or workflow error (400), a missing or
bad token (401), a role without the right (403), a record outside the caller's scope
or a page past the end (404), a stale edit (409) and a locked-out login (429). A
post-processing hook adds them to every operation where the API can answer them.
"""

from typing import Any

from naikkelas.accounts.lockout import LOCKED_OUT_CODE

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
    return result
