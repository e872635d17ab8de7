from typing import Any

from django import template

from naikkelas.programs.views import business_section

register = template.Library()


@register.inclusion_tag("programs/_business_section.html", takes_context=True)
def business_programmes(context: dict[str, Any], business: Any) -> dict[str, Any]:
    """The programmes, outcomes and referrals block of the business page."""
    request = context["request"]
    return business_section(request.user, business) | {"request": request}
