"""Batch duplicate linkage on look-alikes the project did not generate (issue 19, part 3).

    .venv/bin/python -m benchmarks.lookalikes             # 400 (10 registries) and 40,000
    BENCH_LOOKALIKE_SIZES=400 .venv/bin/python -m benchmarks.lookalikes

`benchmarks.dedup` measures the linkage on the demo generator's own second registrations
(`intake.synthetic.planted`): the linkage and its test data were written together, so
it says how well the linkage recognises its own generator. This module is a second,
independent model of how one business comes to be recorded twice, written from the
patterns real Indonesian business lists show, and shares no corruption code with
`intake.synthetic` (only the demo's base rows are reused: NIKs, phones, places, figures;
the names of people, businesses and streets are this module's own).

The kinds of corruption, each planted on its own (one kind per duplicate, so that results
break down by kind) and in a mix:

- ``legal_form``: "UD.", "CV", "TOKO", "WARUNG" added before (or ", CV" after) the name.
  OSS and SIDT records carry the legal form in the name ("CV. Maju Jaya"); a volunteer's
  list writes the name as it is said, and a shop is called "Toko X" or "Warung X" or X.
- ``upper_case``: the whole record in capitals, as SIDT and Dukcapil exports are.
- ``typo``: one letter dropped or doubled in the business's or the owner's name; single
  insertions and deletions are the commonest typing errors (Damerau 1964, the basis of
  every edit-distance matcher).
- ``owner_order``: the owner's names in another order. Most Indonesians have no family
  name and no fixed order of their names; forms with "first name / last name" fields
  get them either way round.
- ``spelling``: the spelling variants of names Indonesian records are known for:
  Arabic-origin names transliterated several ways (Muhammad / Mochammad / Moh. /
  Mohammad / Muhamad, Ahmad / Achmad / Akhmad, Abdul / Abd. / Abdoel, Nur / Noer,
  Siti / Sitti, Rahmat / Rachmat, Khoirul / Choirul) and the pre-1972 (Dutch-based)
  spelling that older people keep in their names: oe for u (Soekarno), dj for j
  (Djoko), tj for c (Tjahjo), ch for kh.
- ``phone_format``: the phone as 628…, +62 8…, 08… with spaces or dashes.
- ``nib_missing``, ``nik_missing``: the second record lacks the NIB (volunteers rarely
  know it) or the owner's NIK.
- ``rt_rw``: another RT or RW (the business's neighbourhood unit is often confused
  with the owner's home one).
- ``street_words``: "Jl." / "JL" / "Jln." / "Jalan" / "JALAN", "Gg." / "GG" / "Gang",
  with or without "No.".
- ``kelurahan_spelling``: the kelurahan written with or without the space of its
  compound name (Ketawanggede / Ketawang Gede, Tlogomas / Tlogo Mas, Tasik Madu /
  Tasikmadu), the hyphen of Oro-oro Dowo, a "Kel." in front, any case: the real
  Kota Malang names of the region table, spelled as lists spell them.
- ``mix``: three kinds drawn from those above, applied together: what a second
  registration by another person usually is.
- ``volunteer_list``: the record a volunteer's list holds: no NIB and no NIK, the phone
  written another way, and two of the name kinds (legal form, case, typo, order,
  spelling): the business is recognised by its names, phone and place alone.

And the hard negatives real data has, which must NOT be linked:

- ``second_business``: the same owner's other, different business (same NIK, phone,
  home and street; another product and name): an owner may run several.
- ``common_name``: a business with the same common name ("Warung Barokah", "Bakso Pak
  Joko") in another kelurahan, of another person.
- ``street_neighbour``: a neighbour on the same street and RT, often of the same trade
  ("Keripik Tempe …" streets), another person.

Every row is rendered as a SIDT row (the 49 columns of `intake.columns.SIDT_COLUMNS`)
and read by the import's own row reader (`intake.rows.RowReader` with `intake.places
.Places`), which resolves kelurahan spellings and phone formats as an import does; the
comparison table is then built from what was read, as `naikkelas dedup` builds it from
the registry (`dedup.linkage.table_of`), and linked at the product's default threshold
(`dedup.linkage.THRESHOLD`). Each row keeps the owner name it was written with (an
import would give a second record with a known NIK the first one's owner, and with it
the first owner name): the harder case.

Figures, per kind k:

- recall: the share of the planted pairs of kind k that the linkage proposes;
- precision: among the proposed pairs that involve a duplicate planted with kind k, the
  share that are true pairs (1 when none is proposed; the recall then shows the miss);
- for a hard-negative kind, kept apart: the share of its records in no proposed pair.

Overall precision and recall are over every proposed pair, planted or not. The shares
planted (a fifth of the rows a duplicate, one in fifteen a hard negative) exceed a
registry's, so that each kind has enough pairs at 400 businesses; the linkage's prior
does not depend on them. At 400 businesses the figures pool ten registries of 400
(seeds 1 to 10), each linked on its own: one registry of 400 holds about six pairs of
each kind, too few for a rate. Prints figures; never asserts on time.
"""

import functools
import itertools
import os
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIZES = [int(n) for n in os.environ.get("BENCH_LOOKALIKE_SIZES", "400,40000").split(",")]
# Registries of one size linked one by one and pooled (see the docstring).
REPEATS = {400: 10}
DUPLICATE_SHARE = 0.2
NEGATIVE_SHARE = 0.1
TARGET = 0.95

Row = dict[str, str]

# -- The base records' names (the demo generator's are not reused) ----------------------

FIRST = ("Muhammad", "Ahmad", "Abdul", "Nur", "Siti", "Sri", "Budi", "Joko", "Slamet",
         "Agus", "Eko", "Dwi", "Tri", "Wahyu", "Rahmat", "Khoirul", "Candra", "Cahyo",
         "Dewi", "Umi", "Yuli", "Endang", "Fatimah", "Aminah", "Suparmi", "Sutrisno",
         "Hidayat", "Rohman", "Kholifah", "Juwariyah", "Lilik", "Kusnadi")  # fmt: skip
# "Abdul" is followed by one of the names of God.
ABDUL = ("Rohman", "Aziz", "Ghofur", "Karim", "Malik", "Rozak", "Kadir", "Jalil")
MIDDLE = ("Nur", "Ali", "Sri", "Dwi", "Hadi", "Arif", "Fauzi", "Rohmah", "Yulia", "Budi",
          "Cahya", "Joko", "Kurnia", "Putri", "Indah", "Choirul")  # fmt: skip
ROOTS = ("Sur", "Sug", "Sup", "Wid", "Har", "Pur", "Set", "Sant", "Kus", "Mul", "Wah",
         "Jum", "Rum", "Tug", "Sub", "Jun", "Darm", "Suk")  # fmt: skip
ENDINGS = ("iyanto", "iyono", "adi", "oso", "ono", "ati", "awati", "iyah", "ani", "arto",
           "ipto", "ardi", "uningsih", "ijah", "uddin")  # fmt: skip
TRADES = ("Keripik Tempe", "Sambal", "Bakso", "Warung Makan", "Jahit", "Kue Basah", "Jamu",
          "Kopi Bubuk", "Tahu", "Batik", "Rias Pengantin", "Cuci Motor", "Catering",
          "Laundry", "Bengkel", "Sablon", "Kerajinan Rotan", "Keripik Buah", "Konveksi",
          "Roti", "Madu", "Tas Rajut")  # fmt: skip
BRANDS = ("Barokah", "Sumber Rejeki", "Berkah", "Makmur", "Jaya", "Sejahtera", "Mandiri",
          "Sentosa", "Arema", "Tugu", "Kawi", "Cahaya", "Sari Rasa", "Abadi", "Amanah",
          "Rizky", "Harapan", "Permata", "Dhoho", "Singhasari", "Nikmat", "Lancar")  # fmt: skip
STREETS = ("Sukarno Hatta", "MT Haryono", "Kalpataru", "Kenanga", "Melati", "Mawar",
           "Sumbersari", "Bendungan Sutami", "Tlogo Indah", "Candi Panggung", "Simpang Borobudur",
           "Danau Toba", "Ikan Piranha", "Raya Langsep", "Mergan Lori", "Kol. Sugiono",
           "Gajayana", "Kertanegara", "Joyo Agung", "Cengger Ayam", "Teluk Grajakan",
           "Sawojajar", "Ranugrati", "Klayatan")  # fmt: skip


def _person(rng: random.Random) -> str:
    first = rng.choice(FIRST)
    names = [first, rng.choice(ABDUL)] if first == "Abdul" else [first]
    if first != "Abdul" and rng.random() < 0.4:
        names.append(rng.choice(MIDDLE))
    if rng.random() < 0.8:  # a fifth have a single name, as many Javanese do
        names.append(rng.choice(ROOTS) + rng.choice(ENDINGS))
    return " ".join(names)


def _business_name(rng: random.Random, owner: str, woman: bool, trade: str) -> str:
    words = owner.split()
    roll = rng.random()
    if roll < 0.55:
        return f"{trade} {rng.choice(BRANDS)} {words[-1]}"
    if roll < 0.7:  # "Bakso Pak Joko": common across the city
        return f"{trade} {'Bu' if woman else 'Pak'} {words[0]}"
    if roll < 0.85:  # "Keripik Tempe Barokah": common too
        return f"{trade} {rng.choice(BRANDS)}"
    return f"{trade} {words[-1]}"


def _street(rng: random.Random) -> str:
    kind = "Gg." if rng.random() < 0.3 else "Jl."
    number = rng.randrange(1, 150)
    return f"{kind} {rng.choice(STREETS)} No. {number}"


def _phone(rng: random.Random) -> str:
    return f"08{rng.randrange(11_0000_0000, 99_9999_9999)}"


def _nik(rng: random.Random, kelurahan_code: str, serial: int) -> str:
    """A valid NIK of a person registered in this kecamatan; serials from 5,000 up keep
    clear of the demo's (which count from 1)."""
    born = rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(55, 100)
    day = born[0] + (40 if rng.random() < 0.5 else 0)
    return f"{kelurahan_code[:8].replace('.', '')}{day:02d}{born[1]:02d}{born[2]:02d}{serial:04d}"


# -- The corruptions -------------------------------------------------------------------

Corruption = Callable[[random.Random, Row], Row | None]
LEGAL_FORMS = ("UD. ", "UD ", "CV. ", "CV ", "TOKO ", "Toko ", "WARUNG ", "Warung ")


def legal_form(rng: random.Random, row: Row) -> Row:
    name = row["nama_usaha"]
    if rng.random() < 0.15:
        return dict(row, nama_usaha=f"{name}, {rng.choice(('CV', 'UD'))}")
    forms = [f for f in LEGAL_FORMS if not name.upper().startswith(f.strip().upper())]
    return dict(row, nama_usaha=rng.choice(forms) + name)


def upper_case(rng: random.Random, row: Row) -> Row:
    columns = ("nama_usaha", "nama_pengusaha", "alamat_usaha", "alamat_pengusaha", "kel_usaha")
    return dict(row, **{c: row[c].upper() for c in columns})


def _drop_or_double(rng: random.Random, text: str) -> str | None:
    # Not the first letter of a word: people rarely mistype that.
    places = [i for i, c in enumerate(text) if c.isalpha() and i > 0 and text[i - 1].isalpha()]
    if not places:
        return None
    i = rng.choice(places)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def typo(rng: random.Random, row: Row) -> Row | None:
    column = "nama_usaha" if rng.random() < 0.7 else "nama_pengusaha"
    changed = _drop_or_double(rng, row[column])
    return None if changed is None else dict(row, **{column: changed})


def owner_order(rng: random.Random, row: Row) -> Row | None:
    words = row["nama_pengusaha"].split()
    if len(words) < 2:
        return None
    turned = words[-1:] + words[:-1] if rng.random() < 0.7 else words[::-1]
    return dict(row, nama_pengusaha=" ".join(turned))


# Whole names and their other spellings.
VARIANTS: dict[str, tuple[str, ...]] = {
    "Muhammad": ("Mochammad", "Moh.", "Mohammad", "Muhamad", "Mochamad", "Muh."),
    "Ahmad": ("Achmad", "Akhmad"),
    "Abdul": ("Abd.", "Abdoel"),
    "Nur": ("Noer",),
    "Siti": ("Sitti",),
    "Rahmat": ("Rachmat",),
    "Khoirul": ("Choirul",),
    "Choirul": ("Khoirul",),
    "Kholifah": ("Cholifah",),
    "Rohman": ("Rochman",),
    "Rohmah": ("Rochmah",),
}
# The old spelling's letters, for the new ones in any other word.
OLD_SPELLING = (("u", "oe"), ("j", "dj"), ("c", "tj"), ("kh", "ch"))


def _respelled(rng: random.Random, word: str) -> str | None:
    if word in VARIANTS:
        return rng.choice(VARIANTS[word])
    rules = [(new, old) for new, old in OLD_SPELLING if new in word.lower()]
    if not rules:
        return None
    new, old = rng.choice(rules)
    # Every occurrence, as the person spells their name (Soeroso, not Suroso-half).
    return re.sub(new, old, word, flags=re.IGNORECASE)


def spelling(rng: random.Random, row: Row) -> Row | None:
    words = row["nama_pengusaha"].split()
    options = [w for w in words if w in VARIANTS or any(n in w.lower() for n, _ in OLD_SPELLING)]
    if not options:
        return None
    word = rng.choice(options)
    other = _respelled(rng, word)
    assert other is not None
    # The business named after its owner is spelled the owner's way too.
    pattern = rf"\b{re.escape(word)}\b"
    return dict(
        row,
        nama_pengusaha=re.sub(pattern, other, row["nama_pengusaha"]),
        nama_usaha=re.sub(pattern, other, row["nama_usaha"]),
    )


def phone_format(rng: random.Random, row: Row) -> Row | None:
    phone = row["kontak_hp"]
    if not phone.startswith("08"):
        return None
    rest = phone[1:]  # 8…
    style = rng.randrange(5)
    if style == 0:
        written = f"62{rest}"
    elif style == 1:
        written = f"+62 {rest[:3]}-{rest[3:7]}-{rest[7:]}"
    elif style == 2:
        written = f"+62{rest}"
    elif style == 3:
        written = f"0{rest[:3]} {rest[3:7]} {rest[7:]}"
    else:
        written = f"0{rest[:3]}-{rest[3:7]}-{rest[7:]}"
    return dict(row, kontak_hp=written)


def nib_missing(rng: random.Random, row: Row) -> Row | None:
    return dict(row, nib="") if row["nib"] else None


def nik_missing(rng: random.Random, row: Row) -> Row | None:
    return dict(row, nik_pengusaha="") if row["nik_pengusaha"] else None


def rt_rw(rng: random.Random, row: Row) -> Row:
    column = rng.choice(("rt_usaha", "rw_usaha"))
    value = int(row[column])
    other = rng.choice([v for v in range(max(1, value - 3), value + 4) if v != value])
    return dict(row, **{column: str(other)})


STREET_WORDS = {
    "Jl.": ("JL.", "JL", "Jln.", "Jalan", "JALAN", "jl"),
    "Gg.": ("GG.", "GG", "Gang", "GANG", "gg"),
}


def street_words(rng: random.Random, row: Row) -> Row | None:
    kind, _, rest = row["alamat_usaha"].partition(" ")
    if kind not in STREET_WORDS:
        return None
    if rng.random() < 0.4:
        rest = rest.replace("No. ", "")
    return dict(row, alamat_usaha=f"{rng.choice(STREET_WORDS[kind])} {rest}")


# The words Javanese place names are compounded of, where lists put a space or not.
PLACE_WORDS = ("gede", "mas", "rejo", "rejosari", "sari", "mulyo", "wangi", "jajar",
               "kandang", "kasri", "lama", "celaket", "dalem", "harjo", "waru", "besuki",
               "krajan", "candi", "wulung", "sekar", "langu", "madu", "toro", "winangun",
               "puro", "sono", "koyo", "ayu", "josari", "wijen", "dadi", "sari")  # fmt: skip


def _place_spellings(name: str) -> list[str]:
    """Other spellings of a kelurahan's name (in its region-table form)."""
    spellings = set()
    if " " in name:  # Tasik Madu, Gading Kasri
        spellings.add(name.replace(" ", "").capitalize())
    if "-" in name:  # Oro-oro Dowo
        spellings |= {name.replace("-", " "), name.replace("-", " ").title()}
    if " " not in name and "-" not in name:  # Ketawanggede, Tlogomas
        lower = name.lower()
        for word in PLACE_WORDS:
            head = lower.removesuffix(word)
            if head != lower and len(head) >= 3:
                spellings.add(f"{name[: len(head)]} {word.capitalize()}")
    spellings.discard(name)
    return sorted(spellings)


def kelurahan_spelling(rng: random.Random, row: Row) -> Row | None:
    name = row["kel_usaha"]
    proper = next(v for c, v in _villages() if v.upper() == name)
    choices = _place_spellings(proper)
    written = f"Kel. {proper}" if not choices or rng.random() < 0.2 else rng.choice(choices)
    if rng.random() < 0.5:
        written = written.upper()
    return None if written == name else dict(row, kel_usaha=written)


@functools.cache
def _villages() -> tuple[tuple[str, str], ...]:
    from naikkelas.regions.models import Level, Region

    return tuple(Region.objects.home().filter(level=Level.VILLAGE).values_list("code", "name"))


SINGLE: dict[str, Corruption] = {
    "legal_form": legal_form,
    "upper_case": upper_case,
    "typo": typo,
    "owner_order": owner_order,
    "spelling": spelling,
    "phone_format": phone_format,
    "nib_missing": nib_missing,
    "nik_missing": nik_missing,
    "rt_rw": rt_rw,
    "street_words": street_words,
    "kelurahan_spelling": kelurahan_spelling,
}


def mix(rng: random.Random, row: Row) -> Row | None:
    """Three kinds together; at least two must apply."""
    applied = 0
    for name in rng.sample(sorted(SINGLE), 3):
        changed = SINGLE[name](rng, row)
        if changed is not None:
            row, applied = changed, applied + 1
    return row if applied >= 2 else None


NAME_KINDS = ("legal_form", "upper_case", "typo", "owner_order", "spelling")


def volunteer_list(rng: random.Random, row: Row) -> Row | None:
    """A volunteer's list: no NIB and no NIK, the phone written the volunteer's way, and
    the names as they were said (two of the name kinds)."""
    copy = dict(row, nib="", nik_pengusaha="")
    copy = phone_format(rng, copy) or copy
    for name in rng.sample(NAME_KINDS, 2):
        copy = SINGLE[name](rng, copy) or copy
    return copy


KINDS: dict[str, Corruption] = {**SINGLE, "mix": mix, "volunteer_list": volunteer_list}
NEGATIVES = ("second_business", "common_name", "street_neighbour")


# -- Planting ----------------------------------------------------------------------------


@dataclass
class Planted:
    rows: list[Row] = field(default_factory=list)
    # (base key, duplicate key) -> kind
    pairs: dict[tuple[str, str], str] = field(default_factory=dict)
    # duplicate key -> kind; negative key -> kind
    duplicates: dict[str, str] = field(default_factory=dict)
    negatives: dict[str, str] = field(default_factory=dict)


class _Maker:
    """The base rows' own names and the hard negatives' new people."""

    def __init__(self, rng: random.Random, villages: list[tuple[str, str, str]]) -> None:
        self.rng = rng
        self.villages = villages  # (code, kecamatan name, kelurahan name)
        self.serial = itertools.count(5000)

    def base(self, row: Row) -> Row:
        rng = self.rng
        owner = _person(rng)
        trade = rng.choice(TRADES)
        street = _street(rng)
        return dict(
            row,
            nama_pengusaha=owner,
            nama_usaha=_business_name(rng, owner, row["jenis_kelamin"] == "P", trade),
            produk_utama=trade,
            kegiatan_utama=f"Usaha {trade.lower()}",
            alamat_usaha=street,
            alamat_pengusaha=street if rng.random() < 0.6 else _street(rng),
        )

    def person(self, row: Row, code: str) -> Row:
        """Another person: their own name, NIK, phone, NIB."""
        rng = self.rng
        woman = rng.random() < 0.6
        return dict(
            row,
            nama_pengusaha=_person(rng),
            jenis_kelamin="P" if woman else "L",
            nik_pengusaha=_nik(rng, code, next(self.serial)),
            kontak_hp=_phone(rng),
            nib=f"{8_200_000_000_000 + next(self.serial):013d}" if rng.random() < 0.5 else "",
        )

    def negative(self, kind: str, row: Row, key: str, code: str) -> Row | None:
        rng = self.rng
        if kind == "second_business":
            trade = rng.choice([t for t in TRADES if t != row["produk_utama"]])
            name = _business_name(rng, row["nama_pengusaha"], row["jenis_kelamin"] == "P", trade)
            nib = f"{8_300_000_000_000 + next(self.serial):013d}" if row["nib"] else ""
            return dict(
                row, id_data_badan_usaha=key, nama_usaha=name, produk_utama=trade, nib=nib,
                kegiatan_utama=f"Usaha {trade.lower()}",
            )  # fmt: skip
        if kind == "common_name":
            # Only a common name recurs: not one carrying its owner's family name.
            family = row["nama_pengusaha"].split()[-1]
            if (
                row["nama_usaha"].endswith(family)
                and " Bu " not in row["nama_usaha"]
                and (" Pak " not in row["nama_usaha"])
            ):
                return None
            other, district, village = rng.choice([v for v in self.villages if v[0] != code])
            copy = self.person(row, other)
            return dict(
                copy, id_data_badan_usaha=key, kec_usaha=district.upper(),
                kel_usaha=village.upper(), kec_pengusaha=district.upper(),
                kel_pengusaha=village.upper(), alamat_usaha=_street(rng),
                alamat_pengusaha=_street(rng), rt_usaha=str(rng.randrange(1, 15)),
            )  # fmt: skip
        # A neighbour on the same street and RT, often of the same trade.
        copy = self.person(row, code)
        street, _, number = row["alamat_usaha"].rpartition(" ")
        house = int(number) + rng.choice((1, 2, 3))
        address = f"{street} {house}"
        trade = row["produk_utama"] if rng.random() < 0.6 else rng.choice(TRADES)
        name = _business_name(rng, copy["nama_pengusaha"], copy["jenis_kelamin"] == "P", trade)
        return dict(
            copy, id_data_badan_usaha=key, nama_usaha=name, produk_utama=trade,
            alamat_usaha=address, alamat_pengusaha=address,
        )  # fmt: skip


def plant(n: int, seed: int, accepted: Callable[[Row], bool]) -> Planted:
    """n rows: base businesses, about DUPLICATE_SHARE second registrations (each kind in
    turn) and NEGATIVE_SHARE hard negatives. `accepted` says whether the import reads a
    base row; the demo's deliberately wrong rows are left out, so that every planted
    pair is one the import keeps."""
    from naikkelas.intake.synthetic import planted as demo_rows
    from naikkelas.regions.models import Level, Region

    districts = dict(Region.objects.home().filter(level=Level.DISTRICT).values_list("code", "name"))
    villages = [(code, districts[code[:8]], name) for code, name in _villages()]
    codes = {(d.upper(), v.upper()): c for c, d, v in villages}
    rng = random.Random(seed * 7919 + 3)
    maker = _Maker(rng, villages)
    kinds = itertools.cycle(KINDS)
    negatives = itertools.cycle(NEGATIVES)
    pending_kind = next(kinds)
    pending_negative = next(negatives)
    per_base = 1 - DUPLICATE_SHARE - NEGATIVE_SHARE
    result = Planted()
    rows = result.rows
    for demo in demo_rows(n, seed, 0.0, []):
        if len(rows) >= n:
            break
        base = maker.base(demo)
        if not accepted(base):
            continue
        rows.append(base)
        key = base["id_data_badan_usaha"]
        code = codes[base["kec_usaha"], base["kel_usaha"]]
        if len(rows) < n and rng.random() < DUPLICATE_SHARE / per_base:
            copy = KINDS[pending_kind](rng, base)
            if copy is not None:
                copy["id_data_badan_usaha"] = f"{key}-L"
                rows.append(copy)
                result.pairs[key, copy["id_data_badan_usaha"]] = pending_kind
                result.duplicates[copy["id_data_badan_usaha"]] = pending_kind
                pending_kind = next(kinds)
        if len(rows) < n and rng.random() < NEGATIVE_SHARE / per_base:
            negative = maker.negative(pending_negative, base, f"{key}-N", code)
            if negative is not None:
                rows.append(negative)
                result.negatives[negative["id_data_badan_usaha"]] = pending_negative
                pending_negative = next(negatives)
    return result


# -- Reading, linking, measuring -------------------------------------------------------


class Reader:
    """The import's row reader, as an import sets it up."""

    def __init__(self) -> None:
        from naikkelas.intake.places import Places
        from naikkelas.intake.rows import RowReader
        from naikkelas.regions.models import Level, Region

        districts = set(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
        self.reader = RowReader(Places(), districts)

    def read(self, number: int, row: Row) -> Any:
        from naikkelas.intake.columns import SIDT_COLUMNS

        # Exactly the 49 columns a SIDT file has, every value a string.
        return self.reader.read(number, {column: row[column] for column in SIDT_COLUMNS})

    def accepts(self, row: Row) -> bool:
        return not self.read(0, row).errors


@dataclass
class Tally:
    planted: int = 0  # pairs (duplicate kinds) or records (negatives)
    found: int = 0  # planted pairs proposed; negatives in no proposed pair
    proposed: int = 0  # proposed pairs involving a record of this kind
    true: int = 0  # of which true pairs

    def add(self, other: "Tally") -> None:
        self.planted += other.planted
        self.found += other.found
        self.proposed += other.proposed
        self.true += other.true

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.true / self.proposed if self.proposed else 1.0


@dataclass
class Result:
    kinds: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    rejected: Counter[str] = field(default_factory=Counter)  # rows the reader refused, by kind
    rows: int = 0
    seconds: float = 0.0

    def add(self, other: "Result") -> None:
        for kind, tally in other.kinds.items():
            self.kinds.setdefault(kind, Tally()).add(tally)
        self.overall.add(other.overall)
        self.rejected.update(other.rejected)
        self.rows += other.rows
        self.seconds += other.seconds


def run(n: int, seed: int) -> Result:
    """Plant, read and link one registry of n rows; the figures per kind."""
    from naikkelas.dedup.linkage import THRESHOLD, link, table_of

    reader = Reader()
    planted = plant(n, seed, reader.accepts)
    ids: dict[str, int] = {}
    records = []
    result = Result(rows=len(planted.rows))
    for number, values in enumerate(planted.rows, start=1):
        key = values["id_data_badan_usaha"]
        row = reader.read(number, values)
        if row.errors:  # a corruption the import refuses: counted, and reported
            result.rejected[planted.duplicates.get(key) or planted.negatives.get(key, "base")] += 1
            continue
        ids[key] = number
        records.append((
            number, row.business["name"], row.owner["name"], row.nik_index,
            _blind_index(row.phone), row.business["nib"], row.business["kelurahan_id"],
            row.business["street"],
        ))  # fmt: skip
    start = time.perf_counter()
    proposed = {(p.a, p.b) for p in link(table_of(records), THRESHOLD)}
    result.seconds = time.perf_counter() - start

    kind_of = {ids[k]: kind for k, kind in planted.duplicates.items() if k in ids}
    negative_of = {ids[k]: kind for k, kind in planted.negatives.items() if k in ids}
    truth = {
        tuple(sorted((ids[a], ids[b]))): kind
        for (a, b), kind in planted.pairs.items()
        if a in ids and b in ids
    }
    tallies = {kind: Tally() for kind in (*KINDS, *NEGATIVES)}
    for kind in truth.values():
        tallies[kind].planted += 1
    for kind in negative_of.values():
        tallies[kind].planted += 1
        tallies[kind].found += 1  # until a proposed pair involves it
    paired_negatives: set[int] = set()
    for a, b in proposed:
        is_true = (a, b) in truth
        if is_true:
            tallies[truth[a, b]].found += 1
        for planted_kind in {kind_of[r] for r in (a, b) if r in kind_of}:
            tallies[planted_kind].proposed += 1
            tallies[planted_kind].true += is_true
        for record in (a, b):
            if record in negative_of and record not in paired_negatives:
                paired_negatives.add(record)
                tallies[negative_of[record]].found -= 1
    result.kinds = tallies
    result.overall = Tally(
        planted=len(truth), found=len(proposed & truth.keys()), proposed=len(proposed),
        true=len(proposed & truth.keys()),
    )  # fmt: skip
    return result


def _blind_index(phone: str) -> str:
    from naikkelas.core import pii

    return pii.blind_index(phone)


def measure(n: int, repeats: int = 1) -> Result:
    """`repeats` registries of n rows (seeds 1, 2, …), pooled."""
    pooled = Result()
    for seed in range(1, repeats + 1):
        pooled.add(run(n, seed))
    return pooled


def below_target(result: Result) -> list[str]:
    """The figures under TARGET, for a test's message."""
    missed = []
    for kind, tally in result.kinds.items():
        if kind in NEGATIVES:
            if tally.recall < TARGET:
                missed.append(f"{kind}: kept apart {tally.recall:.3f}")
            continue
        if tally.recall < TARGET or tally.precision < TARGET:
            missed.append(
                f"{kind}: precision {tally.precision:.3f}, recall {tally.recall:.3f} "
                f"({tally.found}/{tally.planted} found, {tally.true}/{tally.proposed} true)"
            )
    overall = result.overall
    if overall.recall < TARGET or overall.precision < TARGET:
        missed.append(f"overall: precision {overall.precision:.3f}, recall {overall.recall:.3f}")
    return missed


def table(result: Result) -> list[str]:
    lines = [f"{'kind':<20} {'pairs':>7} {'precision':>10} {'recall':>8}"]
    for kind, tally in result.kinds.items():
        if kind in NEGATIVES:
            lines.append(f"{kind:<20} {tally.planted:>7} {'kept apart':>10} {tally.recall:>8.3f}")
        else:
            lines.append(
                f"{kind:<20} {tally.planted:>7} {tally.precision:>10.3f} {tally.recall:>8.3f}"
            )
    o = result.overall
    lines.append(f"{'overall':<20} {o.planted:>7} {o.precision:>10.3f} {o.recall:>8.3f}")
    return lines


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="naikkelas-bench-lookalikes-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    os.environ["NAIKKELAS_VAR_DIR"] = str(scratch)
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("NAIKKELAS_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.results import Figure, machine, record

    call_command("migrate", verbosity=0)
    print(f"machine: {machine()}")
    figures = []
    for n in SIZES:
        repeats = REPEATS.get(n, 1)
        start = time.perf_counter()
        result = measure(n, repeats)
        took = time.perf_counter() - start
        label = f"{n:,} businesses" + (f" x {repeats} registries" if repeats > 1 else "")
        refused = dict(result.rejected) or 0
        print(
            f"\n{label}: {result.rows:,} rows, linkage {result.seconds:.1f} s "
            f"(all in {took:.0f} s); rows the reader refused: {refused}"
        )
        print("\n".join(table(result)))
        size = label
        for kind, tally in result.kinds.items():
            if kind in NEGATIVES:
                name = f"look-alikes {size}, {kind}: kept apart"
                figures.append(Figure(name, tally.recall, "", TARGET, True))
                continue
            figures += [
                Figure(f"look-alikes {size}, {kind}: precision", tally.precision, "", TARGET, True),
                Figure(f"look-alikes {size}, {kind}: recall", tally.recall, "", TARGET, True),
            ]
        overall = result.overall
        figures += [
            Figure(f"look-alikes {size}, overall: precision", overall.precision, "", TARGET, True),
            Figure(f"look-alikes {size}, overall: recall", overall.recall, "", TARGET, True),
        ]
    print(f"\ntarget: precision and recall >= {TARGET} on every kind at the default threshold")
    from naikkelas.dedup.linkage import THRESHOLD

    record("lookalikes", f"independent corruption model, default threshold {THRESHOLD}", figures)


if __name__ == "__main__":
    main()
