"""Catalogue categories a buyer understands, derived from the business's KBLI division."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# category -> the KBLI 2020 divisions (first two digits) it covers
DIVISIONS: dict[str, tuple[str, ...]] = {
    "makanan": ("10", "56"),
    "minuman": ("11",),
    "fesyen": ("13", "14", "15"),
    "kerajinan": ("16", "22", "23", "25", "31", "32"),
}
CHOICES = [
    ("makanan", _("Food")),
    ("minuman", _("Drinks")),
    ("fesyen", _("Fashion and textiles")),
    ("kerajinan", _("Crafts and furniture")),
    ("lainnya", _("Other")),
]


def _any_division(divisions: tuple[str, ...], field: str) -> Q:
    match = Q()
    for division in divisions:
        match |= Q(**{f"{field}__startswith": division})
    return match


def condition(category: str, field: str = "business__kbli") -> Q:
    """A filter for products (or, with `field="kbli"`, businesses) in the category."""
    if category == "lainnya":
        every = tuple(d for divisions in DIVISIONS.values() for d in divisions)
        return ~_any_division(every, field)
    return _any_division(DIVISIONS[category], field)
