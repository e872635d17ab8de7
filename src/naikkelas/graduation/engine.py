"""Size class and readiness for the whole registry in one set-based statement.

The computation is an INSERT ... SELECT ... ON CONFLICT over every business (or a chosen
few): no Python loop per business, so it carries to a province's millions on PostgreSQL
and runs the same on SQLite. The SELECT is written out by hand because its shape is what
makes it fast: each fact (latest sales and capital figure, valid documents, channels,
books, the latest visit) is read once per table, by one window or GROUP BY pass, and
joined to the businesses; the rules (graduation.eligibility) then read those facts in
the outer SELECTs. The ORM spelling of the same rules repeated each correlated subquery
wherever a rule used it (72 subqueries, 80 s for a million businesses).
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from naikkelas.graduation import eligibility
from naikkelas.graduation.models import (
    Assessment,
    Criterion,
    Graduation,
    ReadinessPolicy,
    SizeCriterion,
    SizePolicy,
    Standing,
)
from naikkelas.registry.models import (
    Basis,
    Business,
    ChannelKind,
    FinancialRecord,
    LegalityDocument,
    LegalityKind,
    SalesChannel,
    SizeClass,
)

# Channels that reach buyers beyond the business's own kelurahan.
FAR_REACHING = (
    ChannelKind.MARKETPLACE,
    ChannelKind.WEBSITE,
    ChannelKind.DELIVERY,
    ChannelKind.CATALOGUE,
)
# Ids are formatted into the SQL as integers (never text), a chunk at a time, so that a
# subset recompute reads only its own rows from every table.
CHUNK = 1000
# Past this many ids, one statement over the whole registry is cheaper than the chunks
# (it reads each table once; unchanged standings are not rewritten).
WHOLE_REGISTRY_FROM = 20_000

TABLES = {
    "business": Business._meta.db_table,
    "financial": FinancialRecord._meta.db_table,
    "legality": LegalityDocument._meta.db_table,
    "channel": SalesChannel._meta.db_table,
    "assessment": Assessment._meta.db_table,
    "standing": Standing._meta.db_table,
    "graduation": Graduation._meta.db_table,
}

# The latest year's figure of one column; within a year a verified figure wins.
LATEST_SQL = """
    SELECT business_id, {column} AS figure, year, basis FROM (
        SELECT business_id, {column}, year, basis, ROW_NUMBER() OVER (
            PARTITION BY business_id
            ORDER BY year DESC, CASE WHEN basis = %(verified)s THEN 0 ELSE 1 END
        ) AS n
        FROM {financial} WHERE {column} IS NOT NULL {and_scope}
    ) ranked WHERE n = 1"""

FACTS_SQL = """
WITH latest_sales AS ({latest_sales}
), latest_capital AS ({latest_capital}
), books AS (
    SELECT DISTINCT business_id FROM {financial}
    WHERE annual_sales IS NOT NULL AND year >= %(books_since)s {and_scope}
), documents AS (
    SELECT business_id,
        MAX(CASE WHEN kind IN (%(pirt)s, %(bpom)s) THEN 1 ELSE 0 END) AS permit,
        MAX(CASE WHEN kind = %(halal)s THEN 1 ELSE 0 END) AS halal,
        MAX(CASE WHEN kind = %(sni)s THEN 1 ELSE 0 END) AS sni,
        MAX(CASE WHEN kind = %(hki)s THEN 1 ELSE 0 END) AS trademark
    FROM {legality} WHERE (expires_on IS NULL OR expires_on >= %(today)s) {and_scope}
    GROUP BY business_id
), channels AS (
    SELECT business_id, MAX(CASE WHEN kind IN ({far_kinds}) THEN 1 ELSE 0 END) AS far
    FROM {channel} WHERE 1 = 1 {and_scope}
    GROUP BY business_id
), latest_visit AS (
    SELECT business_id, product_quality, packaging, branding, distribution FROM (
        SELECT business_id, product_quality, packaging, branding, distribution,
            ROW_NUMBER() OVER (
                PARTITION BY business_id ORDER BY assessed_on DESC, id DESC
            ) AS n
        FROM {assessment} WHERE 1 = 1 {and_scope}
    ) ranked WHERE n = 1
), facts AS (
    SELECT b.id, b.nib, b.kbli, b.sector,
        s.figure AS sales, s.year AS sales_year, s.basis AS sales_basis,
        c.figure AS capital, c.year AS capital_year, c.basis AS capital_basis,
        COALESCE(d.permit, 0) AS permit, COALESCE(d.halal, 0) AS halal,
        COALESCE(d.sni, 0) AS sni, COALESCE(d.trademark, 0) AS trademark,
        CASE WHEN ch.business_id IS NULL THEN 0 ELSE 1 END AS has_channel,
        COALESCE(ch.far, 0) AS far,
        CASE WHEN bk.business_id IS NULL THEN 0 ELSE 1 END AS keeps_books,
        v.product_quality, v.packaging, v.branding, v.distribution
    FROM {business} b
    LEFT JOIN latest_sales s ON s.business_id = b.id
    LEFT JOIN latest_capital c ON c.business_id = b.id
    LEFT JOIN books bk ON bk.business_id = b.id
    LEFT JOIN documents d ON d.business_id = b.id
    LEFT JOIN channels ch ON ch.business_id = b.id
    LEFT JOIN latest_visit v ON v.business_id = b.id
    WHERE 1 = 1 {business_scope}
), judged AS (
    SELECT id,
        CASE
            WHEN sales IS NOT NULL THEN {sales_class}
            WHEN capital IS NOT NULL THEN {capital_class}
        END AS size_class,
        CASE WHEN sales IS NOT NULL THEN %(on_sales)s
             WHEN capital IS NOT NULL THEN %(on_capital)s ELSE '' END AS size_criterion,
        CASE WHEN sales IS NOT NULL THEN sales_basis
             WHEN capital IS NOT NULL THEN capital_basis ELSE '' END AS size_basis,
        CASE WHEN sales IS NOT NULL THEN sales_year ELSE capital_year END AS size_year,
        CASE WHEN sales IS NOT NULL THEN sales ELSE capital END AS size_figure,
        {met}
    FROM facts
), standing AS (
    SELECT id AS business_id, size_class, size_criterion, size_basis, size_year,
        size_figure, %(size_policy)s AS size_policy_id, {met_flags},
        {score} AS readiness_score,
        CASE WHEN {ready} THEN TRUE ELSE FALSE END AS ready,
        %(readiness_policy)s AS readiness_policy_id, %(now)s AS computed_at
    FROM judged
)
"""

STANDING_COLUMNS = (
    "business_id", "size_class", "size_criterion", "size_basis", "size_year",
    "size_figure", "size_policy_id", *(f"met_{code}" for code in Criterion.values),
    "readiness_score", "ready", "readiness_policy_id", "computed_at",
)  # fmt: skip


def _class_case(column: str, bounds: list[tuple[str, int]], params: dict[str, Any]) -> str:
    whens = []
    for cls, bound in bounds:
        params[f"{column}_{cls}"] = bound
        whens.append(f"WHEN {column} <= %({column}_{cls})s THEN '{cls}'")
    return f"CASE {' '.join(whens)} ELSE '{SizeClass.LARGE}' END"


def _in_scope(ids: Sequence[int] | None, column: str) -> str:
    # Ids go into the SQL text as integers (never text), CHUNK at a time, so that a
    # subset recompute reads only its own rows from every table.
    if ids is None:
        return ""
    return f"AND {column} IN ({', '.join(str(int(pk)) for pk in ids)})"


def standing_sql(
    ids: Sequence[int] | None, size: SizePolicy, readiness: ReadinessPolicy
) -> tuple[str, dict[str, Any]]:
    """A WITH clause whose last table, `standing`, holds the standing of the given
    businesses (all when None) with one column per Standing field; and its parameters.
    The flags come out as comparisons so that PostgreSQL sees booleans, SQLite 0 and 1."""
    today = timezone.localdate()
    criteria = list(readiness.criteria.all())
    params: dict[str, Any] = {
        "verified": Basis.VERIFIED,
        "books_since": today.year - 2,
        "today": today,
        "pirt": LegalityKind.PIRT,
        "bpom": LegalityKind.BPOM,
        "halal": LegalityKind.HALAL,
        "sni": LegalityKind.SNI,
        "hki": LegalityKind.HKI,
        "on_sales": SizeCriterion.SALES,
        "on_capital": SizeCriterion.CAPITAL,
        "size_policy": size.pk,
        "readiness_policy": readiness.pk,
        "now": timezone.now(),
        **{f"far{n}": kind for n, kind in enumerate(FAR_REACHING)},
        **eligibility.params(readiness),
    }
    quote = connection.ops.quote_name
    tables = {name: quote(table) for name, table in TABLES.items()}
    and_scope = _in_scope(ids, "business_id")
    sql = FACTS_SQL.format(
        **tables,
        latest_sales=LATEST_SQL.format(column="annual_sales", and_scope=and_scope, **tables),
        latest_capital=LATEST_SQL.format(column="capital", and_scope=and_scope, **tables),
        and_scope=and_scope,
        business_scope=_in_scope(ids, "b.id"),
        far_kinds=", ".join(f"%(far{n})s" for n in range(len(FAR_REACHING))),
        sales_class=_class_case("sales", size.bounds("sales"), params),
        capital_class=_class_case("capital", size.bounds("capital"), params),
        met=",\n        ".join(
            f"{eligibility.CRITERIA[code].met_sql} AS met_{code}" for code in Criterion.values
        ),
        met_flags=", ".join(f"met_{code} = 1 AS met_{code}" for code in Criterion.values),
        score=eligibility.score_sql(criteria),
        ready=eligibility.ready_sql(criteria),
    )
    return sql, params


def _chunks(business_ids: Iterable[int] | None) -> Iterator[list[int] | None]:
    if business_ids is None:
        yield None
        return
    ids = sorted(set(business_ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _upsert_sql(with_standing: str) -> str:
    """INSERT ... ON CONFLICT that leaves a standing alone when nothing in it changed, so
    a repeated recompute costs reads only. Only quoted names are formatted in."""
    quote = connection.ops.quote_name
    table = quote(TABLES["standing"])
    columns = ", ".join(quote(c) for c in STANDING_COLUMNS)
    compared = [quote(c) for c in STANDING_COLUMNS[1:-1]]
    assignments = ", ".join(f"{c} = excluded.{c}" for c in [*compared, quote("computed_at")])
    current = ", ".join(f"{table}.{c}" for c in compared)
    incoming = ", ".join(f"excluded.{c}" for c in compared)
    # PostgreSQL spells the NULL-safe row comparison IS DISTINCT FROM, SQLite IS NOT.
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    # INSERT comes first so that SQLite's driver reports the rows written; WHERE 1 = 1
    # keeps SQLite from reading ON CONFLICT as part of a join.
    return f"""
INSERT INTO {table} ({columns})
{with_standing}
SELECT {columns} FROM standing WHERE 1 = 1
ON CONFLICT ({quote("business_id")}) DO UPDATE SET {assignments}
WHERE ({current}) {differs} ({incoming})
"""  # noqa: S608


@transaction.atomic
def recompute(business_ids: Iterable[int] | None = None) -> int:
    """Rewrite the standing of the given businesses (all when None) and propose the
    graduations their verified figures show; returns how many standings changed."""
    size, readiness = SizePolicy.in_force(), ReadinessPolicy.in_force()
    if business_ids is not None:
        business_ids = set(business_ids)
        if len(business_ids) >= WHOLE_REGISTRY_FROM:
            business_ids = None
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # JIT compiles hundreds of functions for this one statement and costs more
            # than it saves; LOCAL ends with the transaction.
            cursor.execute("SET LOCAL jit = off")
        for ids in _chunks(business_ids):
            with_standing, params = standing_sql(ids, size, readiness)
            cursor.execute(_upsert_sql(with_standing), params)
            written += max(cursor.rowcount, 0)
            propose_graduations(ids, size)
    return written


def ready_ids(business_ids: Iterable[int] | None = None) -> set[int]:
    """The businesses the policies in force find ready, computed without writing."""
    size, readiness = SizePolicy.in_force(), ReadinessPolicy.in_force()
    found: set[int] = set()
    with connection.cursor() as cursor:
        for ids in _chunks(business_ids):
            with_standing, params = standing_sql(ids, size, readiness)
            ready = "SELECT business_id FROM standing WHERE ready"
            cursor.execute(with_standing + ready, params)
            found.update(pk for (pk,) in cursor.fetchall())
    return found


# Pairs of the latest two verified sales figures of each business; a pair whose figures
# lie on either side of a class's upper bound is a move up.
PAIRS_SQL = """
SELECT business_id, from_year, to_year, from_sales, to_sales FROM (
    SELECT business_id,
        MAX(CASE WHEN n = 2 THEN year END) AS from_year,
        MAX(CASE WHEN n = 1 THEN year END) AS to_year,
        MAX(CASE WHEN n = 2 THEN annual_sales END) AS from_sales,
        MAX(CASE WHEN n = 1 THEN annual_sales END) AS to_sales
    FROM (
        SELECT business_id, year, annual_sales, ROW_NUMBER() OVER (
            PARTITION BY business_id ORDER BY year DESC
        ) AS n
        FROM {financial}
        WHERE basis = %(verified)s AND annual_sales IS NOT NULL {and_scope}
    ) ranked
    WHERE n <= 2
    GROUP BY business_id
) pairs
WHERE from_year IS NOT NULL AND ({crossed})
    AND NOT EXISTS (
        SELECT 1 FROM {graduation} g
        WHERE g.business_id = pairs.business_id AND g.to_year = pairs.to_year
    )
"""


def propose_graduations(ids: Sequence[int] | None, size: SizePolicy) -> int:
    """Propose a graduation wherever the latest verified year's sales put a business in a
    higher class than the verified year before it. Only verified figures count."""
    params: dict[str, Any] = {"verified": Basis.VERIFIED}
    crossed = []
    for cls, bound in size.bounds("sales"):
        params[cls] = bound
        crossed.append(f"(from_sales <= %({cls})s AND to_sales > %({cls})s)")
    quote = connection.ops.quote_name
    sql = PAIRS_SQL.format(
        financial=quote(TABLES["financial"]),
        graduation=quote(TABLES["graduation"]),
        and_scope=_in_scope(ids, "business_id"),
        crossed=" OR ".join(crossed),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        proposals = [
            Graduation(
                business_id=pk,
                from_year=from_year,
                to_year=to_year,
                from_sales=from_sales,
                to_sales=to_sales,
                size_policy=size,
                from_class=size.class_of_sales(from_sales),
                to_class=size.class_of_sales(to_sales),
            )
            for pk, from_year, to_year, from_sales, to_sales in cursor.fetchall()
        ]
    Graduation.objects.bulk_create(proposals, batch_size=2000)
    return len(proposals)
