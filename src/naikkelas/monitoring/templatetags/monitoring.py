import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

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


@register.filter
def moment(value: datetime.datetime) -> str:
    """When figures are from, in the time zone's own abbreviation: 10.31 WIB today,
    3 Desember 2026 10.31 WIB on another day."""
    local = timezone.localtime(value)
    clock = f"{date_format(local, 'TIME_FORMAT')} {local.tzname()}"
    if local.date() == timezone.localdate():
        return clock
    return f"{date_format(local, 'j F Y')} {clock}"
