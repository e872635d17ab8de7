"""Region names, as sources write them, resolved to Kepmendagri codes.

SIDT writes names, not codes, in any case and spacing ("KOTA MALANG", "Kota Malang",
"Tasikmadu" for "Tasik Madu"). Names are compared by a key that ignores case,
punctuation, spacing and the words that only say what kind of region it is; "Kota" and
"Kabupaten" are kept, since Kota Malang and Kabupaten Malang are two places.
"""

import functools
import re
from collections import defaultdict

from naikkelas.regions.models import Level, Region

# Spellings remembered per import, at most: a file of made-up names cannot fill memory.
FOUND_LIMIT = 100_000
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
# Words that say which kind of region a name is, dropped before comparing.
_KIND_WORDS = {"PROVINSI", "PROV", "KECAMATAN", "KEC", "KELURAHAN", "KEL", "DESA", "DS"}
# Spellings of the regency/city words, brought to one form.
_SYNONYMS = {"KAB": "KABUPATEN", "KABUPATEN": "KABUPATEN", "KOTA": "KOTA", "KOT": "KOTA"}


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    words = _NOT_ALNUM.sub(" ", name.upper()).split()
    words = [_SYNONYMS.get(w, w) for w in words if w not in _KIND_WORDS]
    # Spacing differs between sources ("Tasikmadu", "Tasik Madu"): compare without it.
    return "".join(words)


class Places:
    """Every region's name key, by parent, loaded once per import."""

    def __init__(self) -> None:
        self._children: dict[str | None, dict[str, list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self._names: dict[str, str] = {}
        self._found: dict[tuple[str, ...], tuple[str | None, int]] = {}
        for code, name, level in Region.objects.values_list("code", "name", "level"):
            self._names[code] = name
            parent = None if level == Level.PROVINCE else code.rsplit(".", 1)[0]
            key = name_key(name)
            self._children[parent][key].append(code)
            if level == Level.REGENCY:
                # "MALANG" alone is accepted where only one regency of the province
                # bears that name; the ambiguous case stays unresolved.
                bare = name_key(re.sub(r"(?i)^(kabupaten|kota)\s+", "", name))
                self._children[parent][bare].append(code)

    def find(self, names: list[str]) -> tuple[str | None, int]:
        """Resolve [province, regency, district, village] names top down. Returns the
        code of the deepest level resolved and how many levels were resolved; blank
        names end the walk."""
        # A file names the same few places on every row: each spelling is walked once.
        key = tuple(names)
        found = self._found.get(key)
        if found is None:
            found = self._walk(names)
            if len(self._found) < FOUND_LIMIT:
                self._found[key] = found
        return found

    def _walk(self, names: list[str]) -> tuple[str | None, int]:
        parent: str | None = None
        resolved = 0
        for name in names:
            if not name.strip():
                break
            codes = self._children[parent].get(name_key(name), [])
            if len(set(codes)) != 1:
                break
            parent = codes[0]
            resolved += 1
        return parent, resolved

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    def lineage(self, code: str) -> list[str]:
        """The names from the province down to the region of this code."""
        parts = code.split(".")
        return [self.name(".".join(parts[: n + 1])) for n in range(len(parts))]
