from django import template
from django.utils.translation import gettext as _

from naikkelas.core import rules

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """Integer rupiah as Indonesians write it: Rp1.500.000 (no decimals, dot thousands)."""
    if value is None or value == "":
        return "—"
    sign = "-" if int(value) < 0 else ""
    return f"{sign}Rp{abs(int(value)):,}".replace(",", ".")


@register.filter
def accuracy_warning(accuracy: float | None) -> str:
    """The warning a curator reads beside a doubtful position (core.rules), else ""."""
    if not rules.doubtful_accuracy(accuracy):
        return ""
    if accuracy == 0:
        return _("Location accuracy 0 m: possibly a fake location")
    metres = f"{round(accuracy or 0):,}".replace(",", ".")
    return _("Location not accurate (± %(metres)s m)") % {"metres": metres}
