"""Batch duplicate detection over the registry with Splink (DuckDB backend).

The registry's comparable facts are copied into an in-process DuckDB table: normalised
business and owner names, the NIK and phone blind indexes (never the clear values),
NIB, kelurahan and kecamatan, street. Candidate pairs come from blocking on each
identifier, on the kelurahan with both ends of the name and on the kelurahan with the
owner; a Fellegi-Sunter model, its u probabilities measured on random pairs and its m
probabilities set from how duplicates arise (see `_settings`), scores them. Splink's
Spark backend runs the same settings at national scale.

One business rule sits on top of the model: an owner may run two businesses, so a pair
whose names are not similar is never proposed, however much else it shares.
"""

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, NamedTuple

import pyarrow as pa
from django.conf import settings
from django.db.models import Q, QuerySet

from naikkelas.regions.models import in_region
from naikkelas.registry.duplicates import name_key, similarity
from naikkelas.registry.models import Business, Owner, Status

if TYPE_CHECKING:
    # Splink and DuckDB load only when linkage runs: the web server never needs them.
    import splink.comparison_library as cl
    from splink import SettingsCreator

# The default threshold of the review queue and of `naikkelas dedup`.
THRESHOLD = 0.9
# Names less alike than this (`alike` on the normalised names) are two businesses.
NAME_FLOOR = 0.9


class Pair(NamedTuple):
    """In the shape `services.propose_pairs` takes."""

    a: int
    b: int
    probability: float
    reasons: tuple[str, ...]


Record = tuple[int, str, str, str, str, str, str, str]


def table_of(records: Iterable[Record]) -> pa.Table:
    """The comparison table from (id, name, owner name, NIK index, phone index, NIB,
    kelurahan code, street); empty values become NULL, which Splink treats as unknown."""
    columns: dict[str, list[object]] = {
        k: []
        for k in ("id", "name", "owner", "nik", "phone", "nib", "kelurahan", "kecamatan", "street")
    }
    for pk, name, owner, nik, phone, nib, kelurahan, street in records:
        columns["id"].append(pk)
        columns["name"].append(name_key(name) or None)
        columns["owner"].append(name_key(owner) or None)
        columns["nik"].append(nik or None)
        columns["phone"].append(phone or None)
        columns["nib"].append(nib or None)
        columns["kelurahan"].append(kelurahan)
        columns["kecamatan"].append(kelurahan[:8])
        columns["street"].append(street_key(street) or None)
    return pa.table(columns)


# The words a street address is written with, in the spellings lists use ("Jl.", "JL",
# "Jln.", "Jalan"; "Gg.", "Gang"), brought to one; the house number's "No." dropped.
_STREET_WORDS = {"jl": "jl", "jln": "jl", "jalan": "jl", "gg": "gg", "gang": "gg"}
_STREET_NOISE = frozenset({"no", "nomor", "nmr"})


def street_key(street: str) -> str:
    words = name_key(street).split()
    return " ".join(_STREET_WORDS.get(w, w) for w in words if w not in _STREET_NOISE)


# The share of records expected to be a second registration of another: the prior that
# two random records are one business is then about 2 x this / n. Set, not estimated:
# a small registry has too few exact duplicates to estimate it from.
DUPLICATE_SHARE = 0.02
U_SAMPLE_FROM = 1000


def alike(column: str) -> str:
    """SQL: how alike two names are, from 0 to 1: Jaro-Winkler, or the share of letters
    the Levenshtein distance leaves alike, whichever is higher. Jaro-Winkler alone marks
    one dropped letter early in a long name with repeated letters as unlike ("kerajinan
    rotan abadi surardi" / "keajinan …": 0.88), since its left-to-right matching of
    repeated letters then counts transpositions; one edit in 29 letters is 0.97 alike.
    The edit distance (quadratic, against Jaro-Winkler's linear cost) is computed only
    where Jaro-Winkler is between 0.7 and 0.99: below 0.7 a tenth of the letters or more
    differ, and most random pairs (the u sampling's) stop there. (DuckDB's
    damerau_levenshtein is some 15 times slower than its levenshtein: not used.)"""
    a, b, jaro, edits = _measures(column)
    return (
        f"(CASE WHEN {a} = '' OR {b} = '' THEN 0.0 WHEN {jaro} < 0.7 OR {jaro} >= 0.99 "
        f"THEN {jaro} ELSE greatest({jaro}, {edits}) END)"
    )


def _alike_level(column: str, threshold: float) -> str:
    """SQL: `alike` >= threshold, the edit distance computed only when Jaro-Winkler
    alone does not decide (blocked pairs share a name's ends, so most are in between)."""
    _a, _b, jaro, edits = _measures(column)
    return (
        f"(CASE WHEN {jaro} >= {threshold} THEN TRUE WHEN {jaro} < 0.7 THEN FALSE "
        f"ELSE {edits} >= {threshold} END)"
    )


def _measures(column: str) -> tuple[str, str, str, str]:
    a, b = f"coalesce({column}_l, '')", f"coalesce({column}_r, '')"
    jaro = f"jaro_winkler_similarity({a}, {b})"
    edits = f"1.0 - levenshtein({a}, {b}) / greatest(length({a}), length({b}), 1)"
    return a, b, jaro, edits


def _alike_at(column: str, thresholds: list[float]) -> "cl.CustomComparison":
    """Like Splink's JaroWinklerAtThresholds, with its lowest level on `alike`: a name
    with one edit early on reaches that level at least (the edit distance, the costly
    part, is then computed once per pair)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    *upper, lowest = thresholds
    levels = [cll.NullLevel(column), cll.ExactMatchLevel(column)]
    levels += [cll.JaroWinklerLevel(column, t) for t in upper]
    levels.append(cll.CustomLevel(_alike_level(column, lowest), f"{column} alike >= {lowest}"))
    return cl.CustomComparison(
        output_column_name=column, comparison_levels=[*levels, cll.ElseLevel()]
    )


def _settings(records: int) -> "SettingsCreator":
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    place = cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            cll.NullLevel("kelurahan"),
            cll.ExactMatchLevel("kelurahan"),
            cll.ExactMatchLevel("kecamatan"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=min(0.5, 2 * DUPLICATE_SHARE / records),
        unique_id_column_name="id",
        # m probabilities (how often each level holds for a true duplicate) are set from
        # how duplicates arise, not learnt by EM: a registry's duplicates share a
        # person's NIK whenever both records carry it, and EM on blocks of look-alike
        # names and owners learnt otherwise and proposed neighbours with different NIKs.
        # The u probabilities (random pairs) given here are replaced by ones measured
        # on the registry once it is large enough to sample (U_SAMPLE_FROM).
        comparisons=[
            _alike_at("name", [0.98, 0.95, NAME_FLOOR]).configure(
                m_probabilities=[0.55, 0.25, 0.12, 0.06, 0.02],
                u_probabilities=[1e-4, 1e-4, 5e-4, 2e-3, 0.9973],
            ),
            cl.JaroWinklerAtThresholds("owner", [0.95, 0.85]).configure(
                m_probabilities=[0.6, 0.1, 0.05, 0.25], u_probabilities=[1e-3, 1e-3, 1e-2, 0.988]
            ),
            cl.ExactMatch("nik").configure(
                m_probabilities=[0.98, 0.02], u_probabilities=[1e-5, 1 - 1e-5]
            ),
            cl.ExactMatch("phone").configure(
                m_probabilities=[0.9, 0.1], u_probabilities=[1e-5, 1 - 1e-5]
            ),
            cl.ExactMatch("nib").configure(
                m_probabilities=[0.95, 0.05], u_probabilities=[1e-6, 1 - 1e-6]
            ),
            place.configure(m_probabilities=[0.85, 0.13, 0.02], u_probabilities=[0.02, 0.18, 0.8]),
            cl.JaroWinklerAtThresholds("street", [0.9]).configure(
                m_probabilities=[0.5, 0.2, 0.3], u_probabilities=[1e-4, 1e-3, 0.9989]
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nib"),
            block_on("nik"),
            block_on("phone"),
            # Typos rarely hit both ends of a name; the owner catches the rest.
            block_on("kelurahan", "substr(name, 1, 4)", "right(name, 3)"),
            block_on("kelurahan", "owner"),
        ],
        retain_matching_columns=True,
    )


REASONS = {"nik": "same_nik", "phone": "same_phone", "nib": "same_nib"}


def find_pairs(
    businesses: QuerySet[Business] | None = None, threshold: float = THRESHOLD
) -> list[Pair]:
    """Likely duplicate pairs among the businesses (the home region's when None), each
    once with a < b, most likely first."""
    if businesses is None:
        businesses = Business.objects.filter(
            in_region("kelurahan__code", settings.NAIKKELAS_REGION)
        )
    records = businesses.exclude(status__in=[Status.MERGED, Status.ARCHIVED]).values_list(
        "pk", "name", "owner__name", "owner__nik_index", "owner__phone_index", "nib",
        "kelurahan_id", "street",
    )  # fmt: skip
    return link(table_of(records.iterator(chunk_size=5000)), threshold)


def link(table: pa.Table, threshold: float = THRESHOLD) -> list[Pair]:
    """Score the likely pairs of a comparison table (`table_of`)."""
    import duckdb
    from splink import DuckDBAPI, Linker

    if table.num_rows < 2:
        return []
    logging.getLogger("splink").setLevel(logging.ERROR)
    connection = duckdb.connect()
    connection.register("businesses", table)
    linker = Linker(
        DuckDBAPI(connection).register("businesses"),
        _settings(table.num_rows),
        log_level=logging.ERROR,
    )
    training = linker.training
    if table.num_rows >= U_SAMPLE_FROM:
        training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    relation = linker.inference.predict(threshold_match_probability=threshold).as_duckdbpyrelation()
    relation = relation.project(
        f"*, {alike('name')} AS name_alike, "
        "jaro_winkler_similarity(coalesce(owner_l, ''), coalesce(owner_r, '')) AS owner_alike"
    )
    columns = relation.columns
    pairs: dict[tuple[int, int], Pair] = {}
    for values in relation.fetchall():
        record = dict(zip(columns, values, strict=True))
        if record["name_alike"] < NAME_FLOOR:  # names not alike: two businesses of one owner
            continue
        reasons = [
            code for column, code in REASONS.items()
            if record[f"{column}_l"] is not None and record[f"{column}_l"] == record[f"{column}_r"]
        ]  # fmt: skip
        reasons.append("similar_name")
        if record["owner_alike"] >= NAME_FLOOR:
            reasons.append("similar_owner")
        if record["kelurahan_l"] == record["kelurahan_r"]:
            reasons.append("same_kelurahan")
        a, b = sorted((int(record["id_l"]), int(record["id_r"])))
        pairs[a, b] = Pair(a, b, float(record["match_probability"]), tuple(reasons))
    connection.close()
    return sorted(pairs.values(), key=lambda p: (-p.probability, p.a, p.b))


def as_json(pairs: Iterable[Pair]) -> dict[str, list[dict[str, object]]]:
    """The command line's fixed JSON contract."""
    return {"pairs": [{"a": p.a, "b": p.b, "probability": round(p.probability, 4)} for p in pairs]}


# ---- The pairs that some businesses take part in: an import's new records, a
# registration. The model above is not changed; only what it is run over.

# Ids and identifiers are asked for this many at a time: a large import's would exceed
# what one statement may carry (SQLite takes 32,766 values).
CHUNK = 5000
# A pair that shares a NIB but whose names the model does not find alike: two outlets
# or activities of one pelaku usaha (OSS issues one NIB to the business actor), or one
# business under two names. Queued at the threshold, below the pairs the model is sure of.
SHARED_NIB_PROBABILITY = THRESHOLD
_RECORD = (
    "pk", "name", "owner__name", "owner__nik_index", "owner__phone_index", "nib",
    "kelurahan_id", "street",
)  # fmt: skip


def _live() -> QuerySet[Business]:
    """The records `find_pairs` links: the home region's, neither merged nor archived."""
    return Business.objects.filter(in_region("kelurahan__code", settings.NAIKKELAS_REGION)).exclude(
        status__in=[Status.MERGED, Status.ARCHIVED]
    )


def _chunks(values: Iterable[object]) -> Iterator[list[object]]:
    items = sorted(values, key=str)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def find_pairs_for(business_ids: Collection[int], threshold: float = THRESHOLD) -> list[Pair]:
    """The likely duplicate pairs in which one of `business_ids` takes part, each once
    with a < b, most likely first.

    The model runs over those businesses and every record that shares a blocking key
    with one of them (its kelurahan, NIB, owner's NIK or phone index): the pairs the
    registry-wide linkage could propose for them, at the cost of their neighbourhood.
    Every pair sharing a NIB is added whatever the names (`same_nib_pairs`).
    """
    wanted = set(business_ids)
    if not wanted:
        return []
    kelurahans: set[str] = set()
    keys: dict[str, set[str]] = {"nib": set(), "nik": set(), "phone": set()}
    for chunk in _chunks(wanted):
        rows = _live().filter(pk__in=chunk)
        for kelurahan, nib, nik, phone in rows.values_list(
            "kelurahan_id", "nib", "owner__nik_index", "owner__phone_index"
        ):
            kelurahans.add(kelurahan)
            for name, value in (("nib", nib), ("nik", nik), ("phone", phone)):
                if value:
                    keys[name].add(value)
    if not kelurahans:
        return []
    nearby = _live().filter(kelurahan_id__in=kelurahans)
    records: list[Record] = list(nearby.values_list(*_RECORD).iterator(chunk_size=CHUNK))
    # The records elsewhere that share an identifier (an owner's business in another
    # kelurahan, a NIB registered twice across the city).
    elsewhere: set[int] = set()
    lookups = {
        "nib": lambda values: Q(nib__in=values),
        "nik": lambda values: Q(owner__in=Owner.objects.filter(nik_index__in=values)),
        "phone": lambda values: Q(owner__in=Owner.objects.filter(phone_index__in=values)),
    }
    for name, values in keys.items():
        for chunk in _chunks(values):
            others = _live().filter(lookups[name](chunk)).exclude(kelurahan_id__in=kelurahans)
            elsewhere.update(others.values_list("pk", flat=True))
    for chunk in _chunks(elsewhere):
        records += _live().filter(pk__in=chunk).values_list(*_RECORD)
    found = {
        (p.a, p.b): p for p in link(table_of(records), threshold) if p.a in wanted or p.b in wanted
    }
    for pair in same_nib_pairs(wanted):
        found.setdefault((pair.a, pair.b), pair)
    return sorted(found.values(), key=lambda p: (-p.probability, p.a, p.b))


def same_nib_pairs(business_ids: Collection[int]) -> list[Pair]:
    """Every pair of records sharing a NIB in which one of `business_ids` takes part,
    whatever their names, with what else they share. Plain SQL, no model: cheap enough
    for a registration form's save."""
    wanted = set(business_ids)
    nibs: set[str] = set()
    for chunk in _chunks(wanted):
        nibs.update(_live().filter(pk__in=chunk).exclude(nib="").values_list("nib", flat=True))
    holders: dict[str, list[Record]] = defaultdict(list)
    for chunk in _chunks(nibs):
        for record in _live().filter(nib__in=chunk).values_list(*_RECORD):
            holders[record[5]].append(record)
    pairs = []
    for records in holders.values():
        for x, y in combinations(sorted(records), 2):
            if x[0] in wanted or y[0] in wanted:
                pairs.append(Pair(x[0], y[0], SHARED_NIB_PROBABILITY, _shared(x, y)))
    return sorted(pairs, key=lambda p: (p.a, p.b))


def _shared(x: Sequence[object], y: Sequence[object]) -> tuple[str, ...]:
    """What two records of one NIB share, as the registration form's warning says it
    (`registry.duplicates.REASONS`, in its order)."""
    _pk, name, owner, nik, phone, _nib, kelurahan, _street = range(8)
    reasons = ["same_nib"]
    if x[nik] and x[nik] == y[nik]:
        reasons.append("same_nik")
    if x[phone] and x[phone] == y[phone]:
        reasons.append("same_phone")
    if similarity(name_key(str(x[name])), name_key(str(y[name]))):
        reasons.append("similar_name")
    if similarity(name_key(str(x[owner] or "")), name_key(str(y[owner] or ""))):
        reasons.append("similar_owner")
    if x[kelurahan] == y[kelurahan]:
        reasons.append("same_kelurahan")
    return tuple(reasons)
