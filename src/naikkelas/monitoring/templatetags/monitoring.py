from django import template

from naikkelas.monitoring.dashboard import grouped

register = template.Library()


@register.filter
def number(value: float | None) -> str:
    """21270 as 21.270; a missing figure as a dash."""
    return "—" if value is None else grouped(value)


@register.filter
def decimal(value: float | None) -> str:
    """One decimal with a comma, as Indonesians write it: 12,5."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")
