"""Likely duplicates of a business being registered, for the warning on the entry form.

Identifiers (NIB, and the blind index of the owner's NIK and phone) match exactly,
wherever the record lies. Names match by similarity, and only near the business: a
similar name in the same kelurahan is enough, in a neighbouring kelurahan the owner's
name must be similar too (a common name such as "Warung Barokah" recurs across the city).
Only records the user may see are shown; an exact match outside their scope is told as
"exists in another kelurahan" and nothing more.
"""

import contextlib
import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.models import User
from naikkelas.core import pii
from naikkelas.regions.models import Region
from naikkelas.registry.access import businesses_for
from naikkelas.registry.identifiers import clean_phone
from naikkelas.registry.models import Business, Owner, Status

SIMILAR = 0.85
# Titles, legal forms and shop words that people add or drop when they say a name: OSS
# and SIDT keep the legal form in the name ("CV. Maju Jaya"), a list written from what
# people say does not, and a shop is "Toko X", "Warung X" or X.
TITLES = frozenset(
    {"ud", "toko", "warung", "cv", "pt", "pd", "bu", "ibu", "pak", "bapak", "h", "hj"}
)
# The spellings of one sound that Indonesian names are written with, brought to one: the
# pre-1972 spelling older people keep in their names (oe for u, dj for j, tj for c, sj
# for sy: Soekarno, Djoko, Tjahjo, Sjarif) and the transliterations of Arabic ḥ and kh
# (Ahmad / Achmad / Akhmad, Rahmat / Rachmat, Khoirul / Choirul). No modern spelling
# writes oe, dj, tj or sj, so nothing else changes; ch and kh become h on both sides.
_SPELLINGS = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("ch", "h"), ("kh", "h"))
# A letter written twice sounds as once (Sitti / Siti, Muhammad / Muhamad, a doubled key).
_DOUBLED = re.compile(r"([^\W\d_])\1+")
# Whole names with short forms, to their shortest written form (a key is then never
# longer than the name it comes from, which the length filter below relies on).
_SHORT_FORMS = {
    "muhamad": "muh", "mohamad": "muh", "muhamed": "muh", "mohamed": "muh", "moh": "muh",
    "mhd": "muh", "mohd": "muh", "abdul": "abd",
}  # fmt: skip
# A key this ratio shorter or longer than another cannot reach SIMILAR (2m/(a+b) ≤ 2a/(a+b)).
_LENGTH_RATIO = SIMILAR / (2 - SIMILAR)
# The database filters on the raw name, which also carries the titles and punctuation the
# key drops; this much room above the longest similar key keeps them in.
_TITLE_ROOM = 16
# An owner with many businesses must not make one check read hundreds of rows.
_EXACT_ROWS = 100

REASONS: dict[str, Promise] = {
    "same_nib": _("same NIB"),
    "same_nik": _("same owner NIK"),
    "same_phone": _("same phone number"),
    "similar_name": _("similar business name"),
    "similar_owner": _("similar owner name"),
    "same_kelurahan": _("same kelurahan"),
    "neighbouring_kelurahan": _("neighbouring kelurahan"),
}
ELSEWHERE: dict[str, Promise] = {
    "same_nib": _("A record with this NIB already exists in another kelurahan."),
    "same_nik": _("A record with this owner's NIK already exists in another kelurahan."),
    "same_phone": _("A record with this phone number already exists in another kelurahan."),
}
# Ordering only: an identifier says more than a name, the NIB (issued by OSS to the
# pelaku usaha, who may run several businesses under it) most.
_WEIGHTS = {"same_nib": 3.0, "same_nik": 2.0, "same_phone": 2.0}
_SAME_KELURAHAN_WEIGHT = 0.25


@dataclass(frozen=True)
class Candidate:
    """A record that may be the one being registered.

    `business` is None for exact matches outside the user's scope: they learn that such a
    record exists (the reasons) but not which one.
    """

    business: Business | None
    reasons: tuple[str, ...]
    score: float

    @property
    def descriptions(self) -> list[Promise]:
        labels = REASONS if self.business is not None else ELSEWHERE
        return [labels[r] for r in self.reasons if r in labels]

    @property
    def nib_masked(self) -> str:
        # NIB is not personal data, but the warning only needs to recognise it.
        return pii.mask_nik(self.business.nib) if self.business is not None else ""


def name_key(name: str) -> str:
    """What two spellings of one name have in common: no case, punctuation or titles,
    one spelling of each sound (`_SPELLINGS`) and of each short form."""
    text = re.sub(r"['’`]", "", name.casefold())
    words = [_spelled(w) for w in re.sub(r"[\W_]+", " ", text).split()]
    kept = [w for w in words if w not in TITLES]
    # "Toko" alone is a name too.
    return " ".join(kept or words)


@functools.lru_cache(maxsize=65536)
def _spelled(word: str) -> str:
    # Cached: the batch linkage keys every name of the registry, and words recur.
    for old, new in _SPELLINGS:
        if old in word:
            word = word.replace(old, new)
    word = _DOUBLED.sub(r"\1", word)
    return _SHORT_FORMS.get(word, word)


def similarity(a: str, b: str) -> float:
    """The ratio of two keys when it reaches SIMILAR, else 0; the cheap upper bounds
    spare the full comparison for most of the rows a check reads."""
    if not a or not b or 2 * min(len(a), len(b)) / (len(a) + len(b)) < SIMILAR:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < SIMILAR:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= SIMILAR else 0.0


_NEIGHBOURS: dict[str, frozenset[str]] = {}


def neighbours(kelurahan_code: str) -> set[str]:
    """Kelurahan whose boundary shares a vertex with this one's; read once per process."""
    if not _NEIGHBOURS:
        # Not cached while empty: a test database may get its regions after the first call.
        _NEIGHBOURS.update(_adjacency())
    return set(_NEIGHBOURS.get(kelurahan_code, ()))


def _adjacency() -> dict[str, frozenset[str]]:
    owners: dict[tuple[float, float], set[str]] = defaultdict(set)
    villages = Region.objects.home().kelurahan().filter(boundary__isnull=False)
    for code, boundary in villages.values_list("code", "boundary"):
        for point in _vertices(boundary) if boundary else ():
            owners[point].add(code)
    adjacent: dict[str, set[str]] = defaultdict(set)
    for codes in owners.values():
        for code in codes:
            adjacent[code] |= codes - {code}
    return {code: frozenset(others) for code, others in adjacent.items()}


def _vertices(geometry: Mapping[str, Any]) -> Iterator[tuple[float, float]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    for polygon in polygons:
        for ring in polygon:
            for x, y, *_z in ring:
                # Neighbouring polygons digitised separately agree to about a metre.
                yield round(x, 5), round(y, 5)


def _exact_keys(data: Mapping[str, Any]) -> dict[str, str]:
    """Reason code -> what to look for. A malformed identifier matches nothing stored,
    so it is left out rather than reported: the form reports it."""
    keys: dict[str, str] = {}
    nib = str(data.get("nib") or "").strip().replace(" ", "")
    if nib:
        keys["same_nib"] = nib
    nik = str(data.get("nik") or "").strip().replace(" ", "")
    if nik:
        keys["same_nik"] = pii.blind_index(nik)
    phone = str(data.get("phone") or "").strip()
    if phone:
        with contextlib.suppress(ValidationError):
            keys["same_phone"] = pii.blind_index(clean_phone(phone))
    return keys


def identity_changed(business: Business, data: Mapping[str, Any]) -> bool:
    """Whether an edit touches what duplicates are recognised by (name, NIB, NIK, phone)."""
    keys = _exact_keys(data)
    stored = {
        "same_nib": business.nib,
        "same_nik": business.owner.nik_index,
        "same_phone": business.owner.phone_index,
    }
    return name_key(str(data.get("name") or "")) != name_key(business.name) or any(
        value != stored[reason] for reason, value in keys.items()
    )


def _live(businesses: QuerySet[Business], exclude_id: int | None) -> QuerySet[Business]:
    businesses = businesses.exclude(status__in=(Status.MERGED, Status.ARCHIVED))
    return businesses.exclude(pk=exclude_id) if exclude_id is not None else businesses


_ROW = ("pk", "name", "owner__name", "kelurahan_id")
_LOOKUP = {"same_nib": "nib", "same_nik": "owner__nik_index", "same_phone": "owner__phone_index"}


def likely_duplicates(
    user: User, data: Mapping[str, Any], *, exclude_id: int | None = None, limit: int = 5
) -> list[Candidate]:
    """Records `data` (form or service input) may duplicate, most likely first.

    At most three queries whatever the registry's size: exact identifiers, similar names
    nearby, and the chosen records themselves.
    """
    village = data.get("kelurahan")
    village_code = village.pk if isinstance(village, Region) else str(village or "")
    nearby = {village_code} | neighbours(village_code) if village_code else set()
    key = name_key(str(data.get("name") or ""))
    owner_key = name_key(str(data.get("owner_name") or ""))
    exact = _exact_keys(data)

    rows: dict[int, tuple[str, str, str]] = {}
    matched: dict[int, set[str]] = defaultdict(set)
    elsewhere: set[str] = set()
    if exact:
        found = Q()
        for reason, value in exact.items():
            if reason == "same_nib":
                # The second term lets SQLite use the partial index on NIB.
                found |= Q(nib=value) & ~Q(nib="")
            else:
                # Through the owner's own index: an OR across the join scans every row.
                owners = Owner.objects.filter(**{_LOOKUP[reason].removeprefix("owner__"): value})
                found |= Q(owner__in=owners.values("pk"))
        visible = businesses_for(user).filter(pk=OuterRef("pk"))
        exact_rows = (
            _live(Business.objects.filter(found), exclude_id)
            .annotate(visible=Exists(visible))
            .values_list(*_ROW, *(_LOOKUP[r] for r in exact), "visible")
        )
        for pk, name, owner, code, *values, is_visible in exact_rows[:_EXACT_ROWS]:
            reasons = {r for r, v in zip(exact, values, strict=True) if v == exact[r]}
            if is_visible:
                rows[pk] = (name, owner, code)
                matched[pk] |= reasons
            else:
                elsewhere |= reasons

    if key and nearby:
        shortest = math.floor(len(key) * _LENGTH_RATIO)
        longest = math.ceil(len(key) / _LENGTH_RATIO) + _TITLE_ROOM
        near_rows = (
            _live(businesses_for(user).filter(kelurahan_id__in=nearby), exclude_id)
            .annotate(length=Length("name"))
            .filter(length__gte=shortest, length__lte=longest)
            .values_list(*_ROW)
        )
        for pk, name, owner, code in near_rows:
            rows.setdefault(pk, (name, owner, code))

    scored: list[tuple[float, int, tuple[str, ...]]] = []
    for pk, (name, owner, code) in rows.items():
        exact_reasons = matched.get(pk, set())
        name_ratio = similarity(key, name_key(name))
        if not exact_reasons and not name_ratio:
            continue
        owner_ratio = similarity(owner_key, name_key(owner))
        same_village = code == village_code
        near_enough = same_village or (code in nearby and owner_ratio > 0)
        if not exact_reasons and not near_enough:
            continue
        reasons = set(exact_reasons)
        reasons |= {"similar_name"} if name_ratio else set()
        reasons |= {"similar_owner"} if owner_ratio else set()
        if same_village:
            reasons.add("same_kelurahan")
        elif code in nearby:
            reasons.add("neighbouring_kelurahan")
        score = sum(_WEIGHTS[r] for r in exact_reasons) + name_ratio + owner_ratio / 2
        score += _SAME_KELURAHAN_WEIGHT if same_village else 0.0
        scored.append((score, pk, tuple(r for r in REASONS if r in reasons)))

    scored.sort(key=lambda s: (-s[0], s[1]))
    chosen = scored[:limit]
    candidates = []
    if chosen:
        businesses = (
            businesses_for(user)
            .select_related("kelurahan", "owner")
            .in_bulk([pk for _score, pk, _reasons in chosen])
        )
        candidates = [
            Candidate(businesses[pk], reasons, round(score, 3))
            for score, pk, reasons in chosen
            if pk in businesses
        ]
    if elsewhere:
        candidates.append(Candidate(None, tuple(r for r in ELSEWHERE if r in elsewhere), 0.0))
    return candidates
