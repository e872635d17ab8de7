"""Swagger UI (`/api/v1/docs/`) under the Content Security Policy.

The split view serves Swagger UI's start-up script as a file, since the policy allows no
inline script. Its page keeps one small inline <style> block; rather than allow inline
styles, this page's policy names that block by its hash, taken from the template itself
so that an upgrade of drf-spectacular cannot silently break it.
"""

import base64
import hashlib
import re
from functools import cache

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponseBase
from django.template.loader import get_template
from drf_spectacular.views import SpectacularSwaggerSplitView

TEMPLATE = "drf_spectacular/swagger_ui.html"


@cache
def inline_style_hashes() -> list[str]:
    source = get_template(TEMPLATE).template.source  # type: ignore[attr-defined]
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in re.findall(r"<style>(.*?)</style>", source, re.S)
    ]


_swagger = SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name=TEMPLATE)


def swagger_ui(request: HttpRequest) -> HttpResponseBase:
    with_its_styles = csp_update({"style-src": inline_style_hashes()})(_swagger)
    return with_its_styles(request)
