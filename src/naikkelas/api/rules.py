"""`GET /api/v1/rules/`: the field rules of every API write, as data.

A client that checks input before sending (an offline volunteer's, say) takes the codes,
the messages in both languages and the simple checks from here, instead of keeping a
copy that would drift. Everything is generated: from the serializers that parse each
write's body (required, lengths, number limits, choices: DRF's codes) and from the
rules the services apply (`core.rules`, with the codes the API's errors carry). A rule
with no check beyond its code is the server's to decide (it needs the database).
"""

from typing import Any

from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from naikkelas.api import engagement, programs
from naikkelas.api.serializers import (
    BusinessWriteSerializer,
    FinancialRecordWriteSerializer,
    LegalitySerializer,
    PhotoUploadSerializer,
    ProductSerializer,
    ReasonSerializer,
)
from naikkelas.api.tokens import AuthTokenSerializer
from naikkelas.core import rules
from naikkelas.registry.services import BUSINESS_RULES, FIGURES

# A year's figures, as registry.services.save_financial_record checks them.
FIGURE_RULES: dict[str, tuple[rules.Rule, ...]] = {
    "year": (rules.YEAR,),
    **dict.fromkeys(FIGURES, rules.AMOUNT),
}

# Each write's body, named as the schema names its request (without "Request"), with the
# service rules of its fields.
INPUTS: dict[str, tuple[type[serializers.Serializer[Any]], dict[str, tuple[rules.Rule, ...]]]] = {
    "BusinessWrite": (BusinessWriteSerializer, BUSINESS_RULES),
    "Reason": (ReasonSerializer, {"reason": (rules.REQUIRED,)}),
    "FinancialRecordWrite": (FinancialRecordWriteSerializer, FIGURE_RULES),
    "Legality": (LegalitySerializer, {}),
    "Product": (ProductSerializer, {}),
    "PhotoUpload": (PhotoUploadSerializer, {}),
    "VisitWrite": (engagement.VisitWriteSerializer, rules.POSITION),
    "ComplaintWrite": (engagement.ComplaintWriteSerializer, rules.POSITION),
    "AuthToken": (AuthTokenSerializer, {}),
    "Programme": (programs.ProgrammeSerializer, {}),
    "Session": (programs.SessionSerializer, {}),
    "Attendance": (programs.AttendanceSerializer, {}),
    "CohortCreate": (programs.CohortCreateSerializer, {}),
    "Nomination": (programs.NominationSerializer, {}),
    "Step": (programs.StepSerializer, {}),
    "ReferralCreate": (programs.ReferralCreateSerializer, {}),
    "Answer": (programs.AnswerSerializer, {}),
    "Milestone": (programs.MilestoneSerializer, {}),
}


def _message(field: serializers.Field, key: str, **params: Any) -> dict[str, str]:
    found = {}
    for language in rules.LANGUAGES:
        with translation.override(language):
            text = str(field.error_messages[key])
        try:
            found[language] = text.format(**params)
        except KeyError:  # a placeholder for the value refused, such as {input}
            found[language] = text
    return found


def _parsing(field: serializers.Field) -> list[dict[str, Any]]:
    """The checks the serializer makes on this field, with DRF's codes."""
    found: list[dict[str, Any]] = []

    def add(code: str, **check: Any) -> None:
        found.append({"code": code, "message": _message(field, code, **check), **check})

    if field.required:
        add("required")
    if isinstance(field, serializers.CharField) and not field.allow_blank:
        add("blank")
    if isinstance(field, serializers.ChoiceField):
        choices = [str(choice) for choice in field.choices]
        found.append({"code": "invalid_choice", "message": _message(field, "invalid_choice"),
                      "choices": choices})  # fmt: skip
    for code in ("max_length", "min_length", "min_value", "max_value"):
        limit = getattr(field, code, None)
        if limit is not None:
            add(code, **{code: limit if isinstance(limit, int) else float(limit)})
    return found


def served(only: str = "") -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for name, (serializer_class, service_rules) in INPUTS.items():
        if only and name != only:
            continue
        fields = {}
        for field_name, field in serializer_class().fields.items():
            if field.read_only:
                continue
            checks = {rule.code: rule.served() for rule in service_rules.get(field_name, ())}
            # A service rule and a serializer check of one code are served once (a name
            # of invisible characters is as "required" as a missing one).
            for check in _parsing(field):
                checks.setdefault(check["code"], check)
            fields[field_name] = list(checks.values())
        inputs[name] = fields
    return {"languages": list(rules.LANGUAGES), "inputs": inputs}


LIMIT = {"oneOf": [{"type": "number"}, {"type": "string", "format": "date"}]}
RULE = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {
            "type": "object",
            "description": "The message in each language; `%(name)s` or `{name}` stands "
            "for the value refused where the message names it.",
            "additionalProperties": {"type": "string"},
        },
        # A number's limits, or a date's (ISO dates).
        "min": LIMIT, "max": LIMIT,
        "min_value": {"type": "number"}, "max_value": {"type": "number"},
        "min_length": {"type": "integer"}, "max_length": {"type": "integer"},
        "pattern": {"type": "string", "description": "A regular expression the whole "
                    "value must match, in the syntax JavaScript and Python share."},
        "choices": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["code", "message"],
}  # fmt: skip
RULES_SCHEMA = {
    "type": "object",
    "properties": {
        "languages": {"type": "array", "items": {"type": "string"}},
        "inputs": {
            "type": "object",
            "description": "Per write body (as the schema names its request, without "
            "`Request`; `Patched…` bodies share the rules), per field, its rules.",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": RULE},
            },
        },
    },
    "required": ["languages", "inputs"],
}


class RulesQuerySerializer(serializers.Serializer[dict[str, str]]):
    input = serializers.ChoiceField(choices=list(INPUTS), required=False)


@extend_schema(
    parameters=[RulesQuerySerializer],
    responses={200: OpenApiResponse(RULES_SCHEMA, description="The field rules of every write")},
)
@api_view(["GET"])
def rules_view(request: Request) -> Response:
    """The field rules of every write (`?input=` for one body's), with their error codes
    and both languages' messages."""
    query = RulesQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return Response(served(query.validated_data.get("input", "")))
