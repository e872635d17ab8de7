"""Request bodies: JSON ones are objects.

Every write endpoint reads named fields from its body, so a body that is valid JSON but
not an object (`[]`, `"x"`, `3`) reached the views as a value without `.get` and
answered 500. It is refused here, once for every endpoint, as a 400 with a code; and so
is a body that is not JSON at all, in the user's language rather than the JSON decoder's
English.
"""

from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError(
                _("The request body is not valid JSON."), code="invalid_json"
            ) from None
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object."), code="not_an_object")
        return data
