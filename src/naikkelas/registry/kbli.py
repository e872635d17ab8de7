"""KBLI 2020: the sector letter (kategori) of a 5-digit code, from its first two digits."""

from django.utils.translation import gettext_lazy as _

# (first two-digit division, last division, sector letter)
_RANGES = [
    (1, 3, "A"), (5, 9, "B"), (10, 33, "C"), (35, 35, "D"), (36, 39, "E"), (41, 43, "F"),
    (45, 47, "G"), (49, 53, "H"), (55, 56, "I"), (58, 63, "J"), (64, 66, "K"), (68, 68, "L"),
    (69, 75, "M"), (77, 82, "N"), (84, 84, "O"), (85, 85, "P"), (86, 88, "Q"), (90, 93, "R"),
    (94, 96, "S"), (97, 98, "T"), (99, 99, "U"),
]  # fmt: skip

# The same, by division as the code writes it ("01" to "99"): looked up once per row of
# an import.
_BY_DIVISION = {
    f"{division:02d}": letter for low, high, letter in _RANGES for division in range(low, high + 1)
}

SECTOR_NAMES = {
    "A": _("Agriculture, forestry and fishing"),
    "B": _("Mining and quarrying"),
    "C": _("Manufacturing"),
    "D": _("Electricity and gas"),
    "E": _("Water supply and waste management"),
    "F": _("Construction"),
    "G": _("Wholesale and retail trade"),
    "H": _("Transportation and storage"),
    "I": _("Accommodation and food service"),
    "J": _("Information and communication"),
    "K": _("Financial and insurance activities"),
    "L": _("Real estate"),
    "M": _("Professional, scientific and technical activities"),
    "N": _("Administrative and support services"),
    "O": _("Public administration"),
    "P": _("Education"),
    "Q": _("Human health and social work"),
    "R": _("Arts, entertainment and recreation"),
    "S": _("Other service activities"),
    "T": _("Activities of households as employers"),
    "U": _("Extraterritorial organisations"),
}

SECTOR_CHOICES = [(letter, f"{letter} — {name}") for letter, name in SECTOR_NAMES.items()]


def sector_of(kbli: str) -> str | None:
    """The sector letter of a 5-digit KBLI code, or None when the division does not exist."""
    if len(kbli) != 5 or not kbli.isdigit():
        return None
    return _BY_DIVISION.get(kbli[:2])
