from django import template

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """Integer rupiah as Indonesians write it: Rp1.500.000 (no decimals, dot thousands)."""
    if value is None or value == "":
        return "—"
    sign = "-" if int(value) < 0 else ""
    return f"{sign}Rp{abs(int(value)):,}".replace(",", ".")
